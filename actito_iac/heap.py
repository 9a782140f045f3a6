"""Pausing Python's cycle collector while a stage builds many objects that stay alive.

Loading ten thousand manifests, reading the licence's answers into specs, planning and writing
the plan each allocate hundreds of thousands of small objects that live until the command
ends. Each allocation burst triggers the cycle collector, whose full passes walk every object
alive, again and again: a third of the CPU of planning 10,000 objects went there. These stages
make no garbage cycles (what they drop is freed by reference counting, which the collector
does not affect), so the collector is off during the stage, and what the stage built and keeps
is then frozen (`gc.freeze`): later passes no longer walk it. The price: a cycle made during a
stage would be freed only at exit; the stages make none on purpose. The collector is also
off while the command imports what it runs (pydantic's models, the HTTP stack), until its
first stage or network run: 5% of the CPU of planning 500 tables.

Only a process that ends with the command does this (`owned_by_command`, called by the console
entry point): a process that plans again and again (a test run, a program using the library)
keeps its collector as it is, since freezing there would also keep every cycle left unreachable
by earlier work until that process ends. A leaf module: it imports nothing of the project.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_owned = False
_importing = False


def owned_by_command() -> None:
    """The process ends with this command: its stages may pause the collector, and it is
    paused from now until the command has imported what it runs (`imported`). Importing
    builds hundreds of thousands of objects that live until the end (classes, models,
    functions), and the passes it triggers walk them again and again."""
    global _owned, _importing
    _owned = True
    if gc.isenabled():
        gc.disable()
        _importing = True


def imported() -> None:
    """The command has imported what it runs (its first stage begins, or a long-running
    command starts): the collector is on again, the imported objects out of its sight."""
    global _importing
    if _importing:
        _importing = False
        gc.freeze()
        gc.enable()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The block runs with the cycle collector off; it is on again after, as before. Nested
    blocks, a collector already off and a process the command does not own are left as they
    are."""
    imported()
    if not _owned or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        # What the stage built is moved out of the collector's sight (its permanent
        # generation): left young, it would be walked by the next passes all the same.
        gc.freeze()
        gc.enable()
