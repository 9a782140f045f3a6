"""`-v` and `-vv`: which log lines reach stderr, and how they read.

`-v` shows the tool's own lines — each HTTP attempt (method, path, status, milliseconds) and
each retry with its reason — one per line, without tracebacks. `-vv` adds every library's
lines (httpx, httpcore, httpx-retries), named by their logger. Log lines never carry a query
string or a header (api/transport.py), and stderr is masked like every other output.
"""

from __future__ import annotations

import logging
import sys

OWN = "actito_iac"
PREFIX = "actito-iac: "
_MARK = "_actito_iac_verbosity"


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is when a line comes: the run's masked stream, or, while
    a progress bar is drawn, rich's stand-in that prints the line above the bar."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


class _OwnLines(logging.Formatter):
    """The message alone: a library's traceback attached to a record is left out."""

    def format(self, record: logging.LogRecord) -> str:
        return PREFIX + record.getMessage()


def configure(verbosity: int) -> None:
    """0: warnings only (Python's default); 1: the tool's own lines; 2 and more: all lines."""
    root, own = logging.getLogger(), logging.getLogger(OWN)
    for logger in (root, own):
        for handler in [h for h in logger.handlers if getattr(h, _MARK, False)]:
            logger.removeHandler(handler)
    own.setLevel(logging.NOTSET)
    own.propagate = True
    if verbosity <= 0:
        return
    handler = _Stderr()
    setattr(handler, _MARK, True)
    own.setLevel(logging.DEBUG)
    if verbosity == 1:
        handler.setFormatter(_OwnLines())
        own.addHandler(handler)
        own.propagate = False  # a root handler set by someone else would repeat the lines
    else:
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
