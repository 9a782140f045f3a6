"""One contract, every registered kind: create → read → plan is empty → update → plan is empty
→ delete where the kind can (else it stays, saying why) → plan shows it gone; and export →
plan is empty. A kind gets this test by being registered and having a sample in `samples/`.

A sample (`samples/<kind>.yaml`) holds `seed` (the emulator seed the objects need), `create`
and `update` (manifest documents; the update changes the kind's object in place),
optionally `environment` (variables the manifests read, e.g. `${secret:…}`) and `files`
(files written beside the manifests, by relative path: an e-mail's HTML).

A kind only ACTITO's UI can create (scenarios, forms) keeps the same contract with a person in
the loop: each create and update is a `manual` step that apply never makes, the sample's
`ui.create` / `ui.update` (`{seed key: definition}` items) are what the person then designs
through the emulator's UI surface, and the plan after it is empty.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from ruamel.yaml import YAML

from actito_iac.emulator.seed import apply_seed
from actito_iac.emulator.transport import in_process_transport
from actito_iac.export import export_files
from actito_iac.kinds.base import Kind
from actito_iac.kinds.registry import KINDS
from actito_iac.live import read_objects
from actito_iac.plan.model import Action, Plan
from actito_iac.plan.select import Selection
from actito_iac.session import Inputs, apply_against, load_desired, plan_against

SAMPLES = Path(__file__).parent / "samples"


def sample(kind: Kind) -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load((SAMPLES / f"{kind.name}.yaml").read_text())
    return loaded


def write(
    folder: Path, documents: list[dict[str, Any]], files: dict[str, str] | None = None
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for relative, text in (files or {}).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(text.encode())
    yaml = YAML(typ="safe", pure=True)
    with (folder / "manifest.yaml").open("w", encoding="utf-8") as handle:
        yaml.dump_all(documents, handle)
    return folder


def without_kind(documents: list[dict[str, Any]], kind: Kind) -> list[dict[str, Any]]:
    return [{k: v for k, v in d.items() if k != kind.section} for d in documents]


def of_kind(plan: Plan, kind: Kind) -> list[Any]:
    return [c for c in plan.changes if c.address.kind == kind.name]


def pending(plan: Plan) -> list[str]:
    return [f"{c.action} {c.address}" for c in plan.pending]


def test_every_registered_kind_has_a_sample() -> None:
    missing = [k.name for k in KINDS if not (SAMPLES / f"{k.name}.yaml").exists()]
    assert not missing, f"add tests/kinds/samples/<kind>.yaml for: {', '.join(missing)}"


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
async def test_a_kind_keeps_the_contract(kind: Kind, licence: Any, tmp_path: Path) -> None:
    case = sample(kind)
    environ = {str(k): str(v) for k, v in (case.get("environment") or {}).items()}
    apply_seed(licence.store, case["seed"])

    async def plan_of(documents: list[dict[str, Any]], folder: str, **selection: Any) -> Any:
        written = write(tmp_path / folder, documents, case.get("files"))
        desired = load_desired(Inputs(None, (written,)), environ)
        return await plan_against(client, desired, selection=Selection(**selection))

    async def apply(planned: Any) -> None:
        actual, plan = planned
        result = await apply_against(client, plan, actual, allow_destructive=True)
        assert result.ok, result.failed

    by_hand = not kind.capabilities.create.supported  # designed in ACTITO's UI only
    verbs = (Action.MANUAL, Action.MANUAL) if by_hand else (Action.CREATE, Action.UPDATE)

    async def make(planned: Any, step: str) -> None:
        """Apply; where only the UI can, check apply left it, then do it as a person would."""
        await apply(planned)
        if not by_hand:
            return
        assert [c.action for c in of_kind((await plan_of(case[step], step))[1], kind)] == [
            Action.MANUAL
        ], "apply never makes, nor claims to make, a manual step"
        await design_in_ui(licence.app, case["ui"][step])

    async with licence.client() as client:
        # create, then read back
        created = await plan_of(case["create"], "create")
        assert {c.action for c in of_kind(created[1], kind)} == {verbs[0]}
        await make(created, "create")
        objects = await read_objects(client, ["B2C"])
        wanted = {c.address for c in of_kind(created[1], kind)}
        assert wanted <= set(objects), "the created objects are read back under their addresses"
        assert pending((await plan_of(case["create"], "create"))[1]) == []

        # update in place, then nothing is left to do
        updated = await plan_of(case["update"], "update")
        assert [c.action for c in of_kind(updated[1], kind) if c.action is not Action.NO_OP] == [
            verbs[1]
        ]
        await make(updated, "update")
        assert pending((await plan_of(case["update"], "update"))[1]) == []

        # export, then the exported manifests plan nothing
        secrets = {value: f"${{secret:{name}}}" for name, value in environ.items()}
        files = export_files(
            await read_objects(client, ["B2C"]), "exported", lambda text: secrets.get(text, text)
        )
        for exported in files:
            target = tmp_path / "export" / exported.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(exported.text, encoding="utf-8")
            for path, data in exported.files:  # beside the manifest: an e-mail's HTML
                (tmp_path / "export" / path).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / "export" / path).write_bytes(data)
        desired = load_desired(Inputs(None, (tmp_path / "export",)), environ)
        assert pending((await plan_against(client, desired))[1]) == []

        # delete where the kind can; otherwise it stays and says why
        gone = without_kind(case["update"], kind)
        if not kind.capabilities.delete.supported:
            (_, kept) = await plan_of(gone, "gone")
            left = of_kind(kept, kind)
            assert left
            assert {c.action for c in left} == {Action.UNMANAGED}
            assert all("cannot be deleted" in c.reason for c in left)
            return
        (_, unpruned) = await plan_of(gone, "gone")
        assert {c.action for c in of_kind(unpruned, kind)} == {Action.UNMANAGED}
        pruned = await plan_of(gone, "gone", prune=(kind.name,))
        assert {c.action for c in of_kind(pruned[1], kind)} == {Action.DELETE}
        await apply(pruned)
        (_, after) = await plan_of(gone, "gone", prune=(kind.name,))
        assert of_kind(after, kind) == []
        assert not wanted & set(await read_objects(client, ["B2C"]))


async def design_in_ui(app: Any, items: list[dict[str, Any]]) -> None:
    """What a person does in the ACTITO UI: each `{seed key: definition}` through the
    emulator's UI surface (created, or changed under the API's rules)."""
    transport = in_process_transport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as ui:
        for item in items:
            for key, definition in item.items():
                path = f"/__emulator__/ui/entities/B2C/{key}/{definition['name']}"
                answer = await ui.put(path, json=definition)
                assert answer.status_code in (200, 201), answer.text
