"""The README's "Guarantees" names the test keeping each promise: every one must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
NAMED = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")


def guarantees() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Guarantees\n", 1)[1]
    return section.split("\n## ", 1)[0]


def test_every_test_the_guarantees_name_exists() -> None:
    named = NAMED.findall(guarantees())
    assert len(named) >= 15
    for file, function in named:
        path = ROOT / file
        assert path.is_file(), file
        if function:
            assert re.search(rf"^(async )?def {function}\(", path.read_text(), re.M), (
                f"{file} has no test {function}"
            )
