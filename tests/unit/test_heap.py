"""The cycle collector is paused (and what a stage built frozen) only in a process that ends
with the command; a process planning again and again keeps its collector as it is."""

from __future__ import annotations

import gc
import subprocess
import sys

from actito_iac import heap


def test_a_process_the_command_does_not_own_keeps_its_collector() -> None:
    frozen = gc.get_freeze_count()
    with heap.collector_paused():
        assert gc.isenabled()
        kept = [[object()] for _ in range(1000)]
    assert gc.get_freeze_count() == frozen
    assert kept


def test_in_the_commands_own_process_a_stage_pauses_the_collector_then_freezes() -> None:
    # In a child: freezing in this test process would keep its garbage until the run ends.
    printed = in_a_command(
        "heap.imported()\n"
        "before = gc.get_freeze_count()\n"
        "with heap.collector_paused():\n"
        "    paused = not gc.isenabled()\n"
        "    kept = [[object()] for _ in range(1000)]\n"
        "print(paused, gc.isenabled(), gc.get_freeze_count() > before + 1000)\n"
    )
    assert printed == ["True", "True", "True"]


def in_a_command(code: str) -> list[str]:
    """`code` run in a process that, as the console script does, the command owns."""
    prelude = "import gc\nfrom actito_iac import heap\nheap.owned_by_command()\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_the_collector_is_paused_while_the_command_imports_and_on_once_it_runs() -> None:
    printed = in_a_command(
        "importing = not gc.isenabled()\n"
        "import actito_iac.runs\n"
        "before = gc.get_freeze_count()\n"
        "heap.imported()\n"
        "print(importing, gc.isenabled(), gc.get_freeze_count() > before + 10_000)\n"
    )
    assert printed == ["True", "True", "True"]


def test_the_first_stage_and_every_network_run_end_the_pause() -> None:
    staged = in_a_command("with heap.collector_paused():\n    pass\nprint(gc.isenabled())\n")
    ran = in_a_command(
        "from actito_iac.cli import _run\n"
        "async def probe():\n    return gc.isenabled()\n"
        "print(_run(probe()))\n"
    )
    assert staged == ran == ["True"]


def test_the_emulator_a_server_that_runs_for_hours_has_its_collector_from_the_start() -> None:
    printed = in_a_command(
        "import click\n"
        "from actito_iac.cli import cli\n"
        "cli.get_command(click.Context(cli), 'emulator')\n"
        "print(gc.isenabled())\n"
    )
    assert printed == ["True"]
