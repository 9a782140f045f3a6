"""Line diffs of long texts (an e-mail's HTML) for the plan: what a reviewer approves. Pure.

The canonical form holds such a text only as its digest and size, so a big HTML file does not
bloat `before`/`after`; the change carries a unified diff of it beside them instead, cut to
MAX_LINES lines and MAX_CHARS characters (the pull-request comment has a size limit too), with
the count of lines left out and the number of lines added and removed in the whole diff.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from actito_iac.vocabulary import Path

MAX_LINES = 200
MAX_CHARS = 20_000
LINE_CHARS = 1_000
"""A longer line (minified HTML) is cut, saying how much of it is left out."""
CONTEXT = 3
"""Unchanged lines shown around each change, as `git diff` does."""


@dataclass(frozen=True)
class TextDiff:
    path: Path
    """Where the text sits in the canonical form (`content.html`)."""
    text: str
    """The unified diff (`@@` hunks, `-`/`+`/` ` lines), cut to the limits."""
    added: int
    removed: int
    more: int = 0
    """Lines of the diff left out of `text` by the limits."""

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    @property
    def counts(self) -> str:
        """`+12 −3 lines`, and what was left out."""
        cut = f", {self.more:,} more diff lines not shown" if self.more else ""
        return f"+{self.added:,} −{self.removed:,} lines{cut}"


def text_diff(path: Path, before: str, after: str) -> TextDiff | None:
    """The diff from `before` (live) to `after` (manifests); None when they are equal."""
    if before == after:
        return None
    lines = list(
        difflib.unified_diff(
            before.splitlines(), after.splitlines(), "live", "manifests", n=CONTEXT, lineterm=""
        )
    )[2:]  # the `---`/`+++` header says nothing the plan does not
    added = sum(1 for line in lines if line.startswith("+"))
    removed = sum(1 for line in lines if line.startswith("-"))
    kept: list[str] = []
    size = 0
    for line in map(_cut, lines):
        if len(kept) == MAX_LINES or size + len(line) + 1 > MAX_CHARS:
            break
        kept.append(line)
        size += len(line) + 1
    return TextDiff(path, "\n".join(kept), added, removed, len(lines) - len(kept))


def _cut(line: str) -> str:
    if len(line) <= LINE_CHARS:
        return line
    return f"{line[:LINE_CHARS]} … ({len(line) - LINE_CHARS:,} more characters)"
