"""Print the CHANGELOG.md section of a version: `python scripts/release_notes.py v1.2.3`.

The release workflow uses it as the release's notes, and fails the release when the section
is missing: a version is released only once its changes are written down.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

CHANGELOG = Path(__file__).resolve().parent.parent / "CHANGELOG.md"


def section(text: str, version: str) -> str | None:
    """The body under `## [VERSION]` (with or without a date), up to the next `## `."""
    heading = re.compile(rf"^## \[{re.escape(version)}\][^\n]*\n", re.M)
    found = heading.search(text)
    if found is None:
        return None
    rest = text[found.end() :]
    following = re.search(r"^## ", rest, re.M)
    body = rest[: following.start()] if following else rest
    return body.strip() + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 1
    version = argv[0].removeprefix("v")
    body = section(CHANGELOG.read_text(encoding="utf-8"), version)
    if body is None or not body.strip():
        print(f"CHANGELOG.md has no section for {version}: write it, then tag", file=sys.stderr)
        return 1
    sys.stdout.write(body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
