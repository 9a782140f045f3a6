"""Progress: the stages call the hooks with true counts; the renderers show bars or lines."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from actito_iac.progress import Stage
from actito_iac.render.progress import StageBars, StageLines, shown_on, summary
from actito_iac.session import Inputs, apply_against, load_desired, plan_against

from ..conftest import EXAMPLE_SECRETS

ROOT = Path(__file__).parents[2]
SCENARIO = ROOT / "tests" / "scenarios" / "011-remove-attribute-with-data"
EXAMPLES = ROOT / "examples"


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, Stage, int]] = []

    def start(self, stage: Stage, total: int) -> None:
        self.events.append(("start", stage, total))

    def advance(self, stage: Stage) -> None:
        self.events.append(("advance", stage, 1))

    def finish(self, stage: Stage, count: int) -> None:
        self.events.append(("finish", stage, count))

    def of(self, stage: Stage) -> list[tuple[str, int]]:
        return [(what, n) for what, s, n in self.events if s is stage]


def test_summaries_read_like_a_log() -> None:
    assert summary(Stage.READ, 12, 0.4) == "read 12 objects in 400 ms"
    assert summary(Stage.SAMPLE, 1, 2.25) == "sampled rows of 1 table in 2.2 s"
    assert summary(Stage.APPLY, 5, 1.0) == "applied 5 changes in 1.0 s"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_lines_give_one_line_per_finished_stage_and_nothing_else() -> None:
    buffer, clock = io.StringIO(), Clock()
    lines = StageLines(Console(file=buffer, no_color=True, width=200), clock)
    lines.start(Stage.READ, 3)
    for _ in range(3):
        lines.advance(Stage.READ)
    clock.now += 0.4
    lines.finish(Stage.READ, 12)
    assert buffer.getvalue() == "read 12 objects in 400 ms\n"


def test_bars_draw_on_a_terminal_then_leave_the_line() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    with shown_on(console) as progress:
        assert isinstance(progress, StageBars)
        progress.start(Stage.APPLY, 2)
        progress.advance(Stage.APPLY)
        progress.advance(Stage.APPLY)
        progress.finish(Stage.APPLY, 2)
    text = buffer.getvalue()
    assert "Applying changes" in text
    assert "\x1b[" in text  # drawn, with cursor control
    assert "applied 2 changes in" in text


def test_a_console_that_is_no_terminal_gets_lines() -> None:
    with shown_on(Console(file=io.StringIO())) as progress:
        assert type(progress) is StageLines


def test_a_failed_stage_does_not_leave_its_bar_running() -> None:
    console = Console(file=io.StringIO(), force_terminal=True)

    def failed_read() -> StageBars:
        with shown_on(console) as progress:
            assert isinstance(progress, StageBars)
            progress.start(Stage.READ, 4)
            assert progress._bars.live.is_started
            raise RuntimeError(progress)
        raise AssertionError("unreachable")

    with pytest.raises(RuntimeError) as failure:
        failed_read()
    bars = failure.value.args[0]
    assert not bars._bars.live.is_started


@pytest.mark.anyio
async def test_read_sample_and_apply_report_true_counts(licence: Any) -> None:
    licence.seed(SCENARIO / "seed.yaml")
    desired = load_desired(Inputs(None, (SCENARIO / "manifests",)), {})
    recorder = Recorder()
    async with licence.client() as client:
        actual, plan = await plan_against(client, desired, progress=recorder)
        read = recorder.of(Stage.READ)
        assert read[0][0] == "start"
        assert read.count(("advance", 1)) == read[0][1]  # every list announced was read
        assert read[-1] == ("finish", len(actual.objects))
        assert recorder.of(Stage.SAMPLE) == [("start", 1), ("advance", 1), ("finish", 1)]
        result = await apply_against(
            client, plan, actual, allow_destructive=True, progress=recorder
        )
    assert result.ok
    applied = recorder.of(Stage.APPLY)
    assert applied[0] == ("start", len(plan.executable))
    assert applied[-1] == ("finish", len(result.outcomes))
    assert applied.count(("advance", 1)) == len(plan.executable)


@pytest.mark.anyio
async def test_a_plan_without_risky_changes_samples_nothing(licence: Any) -> None:
    licence.seed(EXAMPLES / "emulator-seed.yaml")
    desired = load_desired(Inputs(None, (EXAMPLES / "manifests",)), EXAMPLE_SECRETS)
    recorder = Recorder()
    async with licence.client() as client:
        await plan_against(client, desired, progress=recorder)
    assert recorder.of(Stage.SAMPLE) == []  # no line saying nothing was sampled
