"""Inside GitHub Actions every refusal and failure of `apply` is an annotation, at the manifest
object it concerns: destructive changes refused (exit 3), a stale saved plan (exit 4), blocked
changes, and changes the API refused. Outside it, none."""

from __future__ import annotations

from pathlib import Path

import httpx

from actito_iac import exit_codes

from .conftest import no_traceback, run

STORES = Path("manifests") / "b2c" / "stores.yaml"
TITLE = "title=actito-iac::"


def github(live: dict[str, str]) -> dict[str, str]:
    return {**live, "GITHUB_ACTIONS": "true"}


def edit(config: Path, old: str, new: str) -> None:
    path = config / STORES
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def annotations(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("::error", "::warning"))]


def line_of(config: Path, needle: str) -> int:
    lines = (config / STORES).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_refused_destructive_changes_are_annotated_at_their_object(
    live: dict[str, str], config: Path
) -> None:
    assert run("apply", "--auto-approve", cwd=config, env=live).returncode == 0
    edit(config, "      - {name: city, valueType: STRING, indexed: true}\n", "")

    plain = run("apply", "--auto-approve", cwd=config, env=live)
    refused = run("apply", "--auto-approve", cwd=config, env=github(live))

    assert plain.returncode == refused.returncode == exit_codes.DESTRUCTIVE_REFUSED
    assert annotations(plain.stderr) == []
    found = annotations(refused.stderr)
    where = f"file={STORES},line={line_of(config, '- name: Stores')},col=5"
    assert any(
        a.startswith(f"::error {where},{TITLE}apply refused: update B2C/customTable/Stores is")
        and "destructive" in a
        and "--allow-destructive" in a
        for a in found
    ), found
    assert any(f"{TITLE}apply refused: 1 destructive change(s)" in a for a in found), found
    no_traceback(refused)


def test_blocked_changes_are_annotated_with_the_way_around(
    live: dict[str, str], config: Path
) -> None:
    assert run("apply", "--auto-approve", cwd=config, env=live).returncode == 0
    edit(config, "{name: city, valueType: STRING,", "{name: city, valueType: LONG,")

    refused = run("apply", "--auto-approve", "--allow-destructive", cwd=config, env=github(live))

    assert refused.returncode == exit_codes.ERROR
    found = annotations(refused.stderr)
    blocked = [a for a in found if "B2C/customTable/Stores is blocked" in a]
    assert len(blocked) == 1, found
    assert f"file={STORES},line={line_of(config, '- name: Stores')}" in blocked[0]
    assert "the valueType of attribute 'city' cannot be changed" in blocked[0]
    assert any(f"{TITLE}apply refused: 1 change(s) are blocked" in a for a in found), found


def test_a_stale_saved_plan_is_annotated(live: dict[str, str], config: Path) -> None:
    saved = run("plan", "--out", "plan.json", cwd=config, env=live)
    assert saved.returncode == 0, saved.stderr
    edit(config, "maxLength: 80", "maxLength: 80, displayName: Name")

    stale = run("apply", "plan.json", cwd=config, env=github(live))

    assert stale.returncode == exit_codes.STALE_PLAN
    found = annotations(stale.stderr)
    assert len(found) == 1, found
    assert found[0].startswith(f"::error {TITLE}saved plan is stale, nothing was changed: ")
    assert str(STORES) in found[0]


def test_changes_the_api_refused_are_annotated_and_what_waited_on_them_too(
    live: dict[str, str], served: str, config: Path
) -> None:
    fault = {"method": "POST", "path": "custom-tables$", "status": 400, "count": 1}
    httpx.post(f"{served}/__emulator__/faults", json=fault).raise_for_status()

    failed = run("apply", "--auto-approve", cwd=config, env=github(live))

    assert failed.returncode == exit_codes.ERROR
    found = annotations(failed.stderr)
    errors = [a for a in found if a.startswith("::error")]
    assert len(errors) == 1, found
    where = f"file={STORES},line={line_of(config, '- name: Stores')},col=5"
    expected = f"::error {where},{TITLE}apply failed: create B2C/customTable/Stores: "
    assert errors[0].startswith(expected), errors
    assert "400" in errors[0]
    skipped = [a for a in found if a.startswith("::warning")]
    assert skipped, found
    assert all("apply skipped: " in a and "whose change was not applied" in a for a in skipped)
    assert any("needs B2C/customTable/Stores" in a for a in skipped), found
    no_traceback(failed)
