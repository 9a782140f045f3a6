"""`python -m actito_iac.github run`: the entry point `action.yml` calls."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from actito_iac.github.action import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m actito_iac.github",
        description="The actito-iac GitHub Action's step. Inputs come from INPUT_* variables "
        "(see action.yml); outputs go to $GITHUB_OUTPUT.",
    )
    parser.add_argument("step", choices=["run"], help="run the action")
    parser.parse_args(argv)
    return run(os.environ, Path.cwd())


if __name__ == "__main__":
    sys.exit(main())
