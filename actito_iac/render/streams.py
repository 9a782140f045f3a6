"""stdout and stderr behind the masker, for the whole of one CLI run.

Everything a run prints — rich consoles, click's messages, usage errors, log records — goes
through `sys.stdout` / `sys.stderr`, so wrapping those two catches all of it, including text
no renderer controls (an API error echoing a request body that held a secret). Text is held
until a line is complete, so a secret written in two pieces is still seen whole; `flush()`
(before a prompt, at exit) writes out what is held.

Some writers want bytes: click writes its shell-completion scripts and answers to the stream's
`buffer`. That buffer is masked too: bytes are decoded and go through the same text stream.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TextIO

from actito_iac.secrets import Masker


class MaskedStream:
    """A text stream in front of another; duck-typed like the one it replaces."""

    def __init__(self, target: TextIO, masker: Masker) -> None:
        self._target = target
        self._masker = masker
        self._held = ""
        self.buffer = MaskedBuffer(self)

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click probes for binary streams with b""
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        complete, newline, rest = (self._held + text).rpartition("\n")
        if newline:
            self._target.write(self._masker.text(complete + newline))
            self._held = rest
        else:
            self._held = rest
        return len(text)

    def flush(self) -> None:
        if self._held:
            self._target.write(self._masker.text(self._held))
            self._held = ""
        self._target.flush()

    def isatty(self) -> bool:  # rich decides on colour with this
        return self._target.isatty()

    def fileno(self) -> int:
        return self._target.fileno()

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return self._target.closed

    @property
    def encoding(self) -> str:
        return getattr(self._target, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:
        return getattr(self._target, "errors", None)


class MaskedBuffer:
    """The binary side of a MaskedStream: bytes in, decoded, masked with the text."""

    def __init__(self, text: MaskedStream) -> None:
        self._text = text

    def write(self, data: bytes | bytearray) -> int:
        if not isinstance(data, bytes | bytearray):
            raise TypeError(f"a bytes-like object is required, not {type(data).__name__}")
        self._text.write(bytes(data).decode(self._text.encoding, errors="replace"))
        return len(data)

    def flush(self) -> None:
        self._text.flush()

    def isatty(self) -> bool:
        return self._text.isatty()

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return self._text.closed


@contextlib.contextmanager
def masked_streams(masker: Masker) -> Iterator[None]:
    """Replace sys.stdout and sys.stderr for the duration; restore them, flushed, after."""
    saved = sys.stdout, sys.stderr
    out, err = MaskedStream(saved[0], masker), MaskedStream(saved[1], masker)
    sys.stdout, sys.stderr = out, err
    try:
        yield
    finally:
        out.flush()
        err.flush()
        sys.stdout, sys.stderr = saved
