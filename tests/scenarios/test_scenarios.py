"""Golden scenarios: seed a licence, plan the manifests, compare, apply, re-plan to empty.

Each folder holds `seed.yaml` (emulator seed), `manifests/`, `scenario.yaml` (steps and
expectations; optionally `prune:` kinds as `--prune` gives them, and `environment:` the
variables the manifests read) and `expected-plan.txt` (the human rendering, colourless). Set
UPDATE_GOLDEN=1 to rewrite the expected plans after an intended rendering change, then review
the diff.

A step may inject `faults:` into the emulator before it applies (as `/__emulator__/faults`
takes them), and may `replan: true` first (the plan a user would see on the next run; with
`replanGolden: FILE`, compared with that file as the first plan is with expected-plan.txt). After
the steps, `stored: {kind: count}` checks how many objects of each kind the licence holds, and
`exportRoundTrip: true` exports the licence and plans the exported files: nothing to change.
`manualSteps: {count, exit: {without, failOnManual}}` checks what the last apply leaves to a
person — the end of its output in `expected-apply.txt` — and its exit code without and with
`--fail-on-manual`.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from ruamel.yaml import YAML

from actito_iac.emulator.faults import Fault
from actito_iac.errors import ActitoIacError, ApplyRefused
from actito_iac.export import export_files
from actito_iac.live import read_objects
from actito_iac.plan.model import manual_steps
from actito_iac.plan.select import Selection
from actito_iac.render.human import (
    render_apply_summary,
    render_manual_steps,
    render_outcome,
    render_plan,
)
from actito_iac.runs import apply_exit
from actito_iac.session import Inputs, apply_against, load_desired, plan_against

HERE = Path(__file__).parent
SCENARIOS = sorted(p for p in HERE.iterdir() if (p / "scenario.yaml").exists())


def rendered(plan: Any) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, no_color=True, width=200, soft_wrap=True, highlight=False)
    render_plan(console, plan)
    return buffer.getvalue()


def check_golden(path: Path, text: str) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def desired_of(folder: Path, config: dict[str, Any]) -> Any:
    environ = {str(k): str(v) for k, v in (config.get("environment") or {}).items()}
    return load_desired(Inputs(None, (folder / "manifests",)), environ)


def selection_of(config: dict[str, Any]) -> Selection:
    return Selection(prune=tuple(config.get("prune") or ()))


async def load_and_plan(client: Any, folder: Path, config: dict[str, Any]) -> None:
    await plan_against(client, desired_of(folder, config), selection=selection_of(config))


@pytest.mark.anyio
@pytest.mark.parametrize("folder", SCENARIOS, ids=[p.name for p in SCENARIOS])
async def test_scenario(folder: Path, licence: Any, tmp_path: Path) -> None:
    config = YAML(typ="safe").load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    licence.seed(folder / "seed.yaml")
    async with licence.client() as client:
        if "error" in config:
            with pytest.raises(ActitoIacError) as failure:
                await load_and_plan(client, folder, config)
            text = str(failure.value) + "".join(
                str(d) for d in getattr(failure.value, "diagnostics", [])
            )
            for expected in config["error"]:
                assert expected in text
            return
        desired = desired_of(folder, config)
        selection = selection_of(config)
        actual, plan = await plan_against(client, desired, selection=selection)
        check_golden(folder / "expected-plan.txt", rendered(plan))
        result = None
        for step in config.get("steps", []):
            for fault in step.get("faults", []):
                licence.app.state.emulator.faults.add(Fault.from_json(fault))
            if step.get("replan"):
                actual, plan = await plan_against(client, desired, selection=selection)
                if "replanGolden" in step:
                    check_golden(folder / step["replanGolden"], rendered(plan))
            before = licence.store.dump()
            expect = step["expect"]
            if expect.startswith("refused"):
                with pytest.raises(ApplyRefused) as refused:
                    await apply_against(
                        client, plan, actual, allow_destructive=step["allowDestructive"]
                    )
                assert refused.value.destructive == (expect == "refused-destructive")
                assert licence.store.dump() == before, "a refused apply changed the licence"
            else:
                result = await apply_against(
                    client, plan, actual, allow_destructive=step["allowDestructive"]
                )
                assert len(result.outcomes) == len(plan.executable)
                if expect == "failed":
                    messages = " ".join(o.message for o in result.failed)
                    assert step["message"] in messages, messages
                else:
                    assert result.ok, result.failed
        if "manualSteps" in config:
            _check_manual_steps(folder, config["manualSteps"], plan, result)
        if config.get("replanEmpty", True) and config.get("steps"):
            _, again = await plan_against(client, desired, selection=selection)
            allowed = set(config.get("replanPending", []))
            assert {c.action for c in again.pending} <= allowed, rendered(again)
            assert not again.executable, rendered(again)
        for kind, count in (config.get("stored") or {}).items():
            held = [o for e in licence.store.dump()["objects"].values() for o in e.get(kind, [])]
            assert len(held) == count, f"{kind}: {len(held)} stored, {count} expected"
        if config.get("exportRoundTrip"):
            await _export_round_trip(client, desired, tmp_path / "export", config)


def _check_manual_steps(folder: Path, expected: dict[str, Any], plan: Any, result: Any) -> None:
    """What the last apply leaves to a person, as apply ends (`expected-apply.txt`), and how
    it exits without and with --fail-on-manual."""
    assert result is not None, "manualSteps needs an apply step"
    steps = manual_steps(plan)
    assert len(steps) == expected["count"]
    buffer = io.StringIO()
    console = Console(file=buffer, no_color=True, width=200, soft_wrap=True, highlight=False)
    for outcome in result.outcomes:
        render_outcome(console, outcome)
    render_apply_summary(console, result)
    render_manual_steps(console, steps)
    check_golden(folder / "expected-apply.txt", buffer.getvalue())
    codes = expected["exit"]
    assert apply_exit(result, steps, fail_on_manual=False) == codes["without"]
    assert apply_exit(result, steps, fail_on_manual=True) == codes["failOnManual"]


async def _export_round_trip(client: Any, desired: Any, out: Path, config: dict[str, Any]) -> None:
    """Export what the manifests' entities hold, files beside manifests included; planning
    the exported files finds nothing to change."""
    objects = await read_objects(client, sorted(desired.entities))
    for exported in export_files(objects, "exported"):
        for path, data in [(exported.path, exported.text.encode()), *exported.files]:
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_bytes(data)
    environ = {str(k): str(v) for k, v in (config.get("environment") or {}).items()}
    again = load_desired(Inputs(None, (out,)), environ)
    _, plan = await plan_against(client, again)
    assert not plan.pending, rendered(plan)
