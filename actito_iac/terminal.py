"""What one CLI invocation shares across its stages: the process environment, the masker
(which learns secrets as the run finds them), the consoles, and the GitHub annotations budget.

Created once in `cli.main` and handed to the commands as click's context object, so nothing
here is global; the streams the consoles write to are masked for the whole run
(render/streams.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from actito_iac.constants import DATA_SAMPLE
from actito_iac.errors import ConfigError, Diagnostic
from actito_iac.render.github import Annotations, in_github_actions
from actito_iac.secrets import Masker

if TYPE_CHECKING:  # rich and the renderers are loaded when something is printed (fast start)
    from rich.console import Console

    from actito_iac.progress import Progress
    from actito_iac.render.progress import StageLines


@dataclass
class Terminal:
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    masker: Masker = field(default_factory=Masker)
    annotations: Annotations = field(default_factory=Annotations)
    data_sample: int = DATA_SAMPLE
    """Rows read per table to quantify risky changes (--data-sample)."""
    verbosity: int = 0
    """-v: the tool's log lines; -vv: the HTTP libraries' too (render/logs.py)."""
    _progress: StageLines | None = field(default=None, init=False, repr=False)

    def out(self) -> Console:
        from rich.console import Console

        return Console(highlight=False, soft_wrap=True, emoji=False)

    def err(self) -> Console:
        from rich.console import Console

        return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

    @property
    def github(self) -> bool:
        return in_github_actions(self.environ)

    @property
    def progress(self) -> Progress:
        """Progress of the long stages on stderr: bars on a terminal, a line per stage else.

        Made on first use; `close()` (at the end of the run, whatever happened) removes a bar
        a failed stage left drawn."""
        if self._progress is None:
            from actito_iac.render.progress import for_console

            self._progress = for_console(self.err())
        return self._progress

    def close(self) -> None:
        if self._progress is not None:
            self._progress.close()

    def learn(self, values: Iterable[str]) -> None:
        for value in values:
            self.masker.add(value)

    def diagnostics(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Print problems on stderr; inside GitHub Actions also as annotations."""
        from actito_iac.render import human

        listed = list(diagnostics)
        human.render_diagnostics(self.err(), listed)
        if self.github:
            for line in self.annotations.lines(listed):
                click.echo(line, err=True)  # verbatim: no markup, no emoji codes

    def annotate(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Inside GitHub Actions only: annotations for problems the run already showed in its
        own words (an apply refused or failed), so that none is only in the log."""
        if self.github:
            for line in self.annotations.lines(list(diagnostics)):
                click.echo(line, err=True)

    def message(self, text: str) -> None:
        """One line on stderr, rich markup allowed (the caller escapes what it inserts)."""
        self.err().print(text)

    def write_file(self, path: Path, text: str) -> None:
        """Files the run writes (saved plans) go through the masker like its output."""
        try:
            path.write_text(self.masker.text(text), encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
