"""Check built distributions as a user gets them: `python scripts/check_release.py DIST_DIR`.

The release workflow runs it on what `python -m build` made, before attaching anything to a
release; a test runs it on a fresh build too. It checks that:

- DIST_DIR holds one wheel and one sdist, both of the version in actito_iac/__init__.py;
- the wheel and the sdist carry the licence, the wheel the example workflows `init` copies;
- the wheel installs in a fresh virtualenv, where `actito-iac --version` gives that version
  and `actito-iac validate` accepts examples/;
- the installed emulator starts and answers a `plan` of examples/, then stops.

Exits 0 when all hold, else 1 with one line per failed check.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
KEY = "release-check-key"


def version() -> str:
    text = (ROOT / "actito_iac" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"$', text, re.M)
    if found is None:
        sys.exit("actito_iac/__init__.py has no __version__")
    return found.group(1)


def fail(message: str) -> None:
    print(f"release check failed: {message}", file=sys.stderr)
    raise SystemExit(1)


def check_archives(dist: Path, wanted: str) -> Path:
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        fail(f"expected one wheel and one sdist in {dist}, found {len(wheels)} and {len(sdists)}")
    wheel, sdist = wheels[0], sdists[0]
    for archive in (wheel, sdist):
        if f"-{wanted}" not in archive.name:
            fail(f"{archive.name} is not version {wanted}")
    with zipfile.ZipFile(wheel) as zipped:
        names = zipped.namelist()
    if f"actito_iac-{wanted}.dist-info/licenses/LICENSE" not in names:
        fail(f"{wheel.name} does not carry LICENSE")
    templates = {n for n in names if n.startswith("actito_iac/templates/workflows/")}
    shipped = {f"actito_iac/templates/workflows/{p.name}" for p in (EXAMPLES / "github").iterdir()}
    if templates != shipped:
        fail(f"{wheel.name} carries workflows {sorted(templates)}, not {sorted(shipped)}")
    with tarfile.open(sdist) as tarred:
        members = {m.name.split("/", 1)[-1] for m in tarred.getmembers()}
    for needed in ("LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml"):
        if needed not in members:
            fail(f"{sdist.name} lacks {needed}")
    return wheel


def run(command: list[str], cwd: Path, env: dict[str, str], expect: int = 0) -> str:
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != expect:
        fail(f"`{' '.join(command)}` exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def check_installed(wheel: Path, wanted: str, work: Path) -> None:
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTITO_")}
    env["NO_COLOR"] = "1"
    env.setdefault("CRM_WEBHOOK_TOKEN", "release-check-token")  # the examples' secret header
    run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], work, env)
    command = str(bin_dir / "actito-iac")
    if wanted not in run([command, "--version"], work, env):
        fail(f"the installed command does not say version {wanted}")
    run([command, "validate"], EXAMPLES, env)
    ready = work / "emulator.url"
    server = subprocess.Popen(
        [
            command,
            "emulator",
            "serve",
            "--port",
            "0",
            "--api-key",
            KEY,
            "--ready-file",
            str(ready),
            "--seed",
            str(EXAMPLES / "emulator-seed.yaml"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not (ready.exists() and ready.read_text().strip()):
            if server.poll() is not None or time.monotonic() > deadline:
                fail("the installed emulator did not start")
            time.sleep(0.1)
        live = {**env, "ACTITO_API_URL": ready.read_text().strip(), "ACTITO_API_KEY": KEY}
        run([command, "plan", "--detailed-exitcode"], EXAMPLES, live, expect=2)
        run([command, "init", str(work / "project"), "--from-licence"], work, live)
    finally:
        server.terminate()
        server.wait(timeout=10)
    if server.returncode not in (0, -15):
        fail(f"the emulator stopped with exit {server.returncode}")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 1
    wanted = version()
    wheel = check_archives(Path(argv[0]), wanted)
    with tempfile.TemporaryDirectory() as tmp:
        check_installed(wheel.resolve(), wanted, Path(tmp))
    print(f"actito-iac {wanted}: the wheel and the sdist check out")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
