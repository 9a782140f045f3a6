"""The README stays true: its capability table is the generated one, its first commands the two."""

from __future__ import annotations

from pathlib import Path

from actito_iac.render.capabilities import capability_table

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_capability_table_is_the_generated_one() -> None:
    assert capability_table() in README, "refresh README with `actito-iac capabilities`"


def test_readme_quick_start_shows_the_two_commands_first() -> None:
    first_block = README.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands[:2] == ["make demo", "make test"]


def test_every_exit_code_is_documented() -> None:
    from actito_iac import exit_codes

    for name in ("OK", "ERROR", "CHANGES_PENDING", "DESTRUCTIVE_REFUSED", "INTERRUPTED"):
        assert f"| {getattr(exit_codes, name)} |" in README, name
