"""The command itself, in-process, on hostile manifests and project files: exit 0 or 1, a
diagnostic naming the file on every failure, never a traceback (an exception escaping `_main`
fails the test) and never a hang (an alarm fails it)."""

from __future__ import annotations

import contextlib
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actito_iac import exit_codes
from actito_iac.cli import _main

from ..manifest.test_fuzz import (
    DEFAULTS,
    HOSTILE,
    PLACES,
    PROJECT_DEFAULTS,
    PROJECT_PLACES,
    PROJECT_TEMPLATE,
    TEMPLATE,
)

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextlib.contextmanager
def within(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"no answer in {seconds}s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def validate(files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files.items():
            (Path(folder) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(folder) / name).write_text(text, encoding="utf-8")
        capsys.readouterr()
        with within(60):
            code = _main(["validate", "--project", str(Path(folder) / "actito-iac.yaml")])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM")
@EXAMPLES
@given(
    st.dictionaries(st.sampled_from(PLACES), HOSTILE, max_size=3),
    st.dictionaries(st.sampled_from(PROJECT_PLACES), HOSTILE, max_size=1),
)
def test_validate_says_why_or_succeeds(
    capsys: pytest.CaptureFixture[str], manifest: dict[str, str], project: dict[str, str]
) -> None:
    files = {
        "actito-iac.yaml": PROJECT_TEMPLATE.format(**{**PROJECT_DEFAULTS, **project}),
        "manifests/m.yaml": TEMPLATE.format(**{**DEFAULTS, **manifest}),
    }

    code, output = validate(files, capsys)

    assert code in (exit_codes.OK, exit_codes.ERROR), output
    assert "Traceback" not in output
    if code == exit_codes.ERROR:
        assert "error:" in output, output
