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
    code = (
        "import gc\n"
        "from actito_iac import heap\n"
        "heap.owned_by_command()\n"
        "before = gc.get_freeze_count()\n"
        "with heap.collector_paused():\n"
        "    paused = not gc.isenabled()\n"
        "    kept = [[object()] for _ in range(1000)]\n"
        "print(paused, gc.isenabled(), gc.get_freeze_count() > before + 1000)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True", "True"]
