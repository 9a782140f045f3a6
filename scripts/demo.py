"""`make demo`: the main job on examples/, against the emulator on a free loopback port.

Starts the emulator seeded with examples/emulator-seed.yaml, then runs, in examples/:
validate, and apply --auto-approve (which shows the plan, makes what the API can, and ends with
the manual steps it cannot: the scenarios and the form, which only ACTITO's UI designs). Then
it plays the person who follows those steps — examples/emulator-ui.yaml goes to the emulator's
UI surface, one scenario left in definition — and plans again: nothing is left but that one
step (activate the scenario), reported honestly, so `plan --detailed-exitcode` exits 2. Each
command is printed as a user would type it; the plan is shown once (a separate `plan` before
the apply would print the same plan twice). Stops the emulator whatever happens.

Headings are bold only on a terminal, and never with NO_COLOR: piped into a file or a CI log,
the demo is plain text (the commands it runs decide the same way for their own output).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DEMO_KEY = "demo-api-key"
WEBHOOK_SECRET_VARIABLE = "CRM_WEBHOOK_TOKEN"  # noqa: S105 (a variable name, not a secret)
CLI = [sys.executable, "-m", "actito_iac"]


def start_emulator(ready_file: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            *CLI,
            "emulator",
            "serve",
            "--port",
            "0",
            "--api-key",
            DEMO_KEY,
            "--seed",
            str(EXAMPLES / "emulator-seed.yaml"),
            "--ready-file",
            str(ready_file),
        ],
        stdout=subprocess.DEVNULL,
    )


def wait_for(ready_file: Path, server: subprocess.Popen[bytes], seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready_file.exists() and ready_file.read_text().strip():
            return ready_file.read_text().strip()
        if server.poll() is not None:
            sys.exit(f"the emulator stopped at start (exit {server.returncode})")
        time.sleep(0.1)
    sys.exit("the emulator did not start within 30 s")


def bold(text: str, environ: dict[str, str] | None = None) -> str:
    """`text` in bold on a terminal that accepts colour; as it is everywhere else."""
    environ = os.environ.copy() if environ is None else environ
    if not sys.stdout.isatty() or "NO_COLOR" in environ or environ.get("TERM") == "dumb":
        return text
    return f"\033[1m{text}\033[0m"


def step(args: list[str], env: dict[str, str], expect: tuple[int, ...] = (0,)) -> None:
    print(f"\n{bold('$ actito-iac ' + ' '.join(args))}", flush=True)
    code = subprocess.run([*CLI, *args], cwd=EXAMPLES, env=env, check=False).returncode
    if code not in expect:
        sys.exit(f"demo failed: `actito-iac {' '.join(args)}` exited {code}")


def design_in_ui(url: str) -> None:
    """Do, as a person in the ACTITO UI would, the manual steps apply listed: design the
    scenarios and the form (the emulator's UI-only objects), leaving one scenario inactive."""
    document = YAML(typ="safe").load((EXAMPLES / "emulator-ui.yaml").read_text(encoding="utf-8"))
    print(f"\n{bold('# In the ACTITO UI, someone designs the scenarios and the form')}")
    print("# (examples/emulator-ui.yaml; loyaltyBonus is left in definition, not activated)")
    httpx.post(f"{url}/__emulator__/seed", json=document, timeout=30).raise_for_status()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ready = Path(tmp) / "emulator.url"
        server = start_emulator(ready)
        try:
            url = wait_for(ready, server)
            print(f"Emulator listening on {url} (seeded with examples/emulator-seed.yaml)")
            env = {**os.environ, "ACTITO_API_URL": url, "ACTITO_API_KEY": DEMO_KEY}
            # The secret the webhook to the CRM sends (examples/manifests/b2c/webhooks.yaml):
            # secrets come from the environment only; no command ever shows it.
            env.setdefault(WEBHOOK_SECRET_VARIABLE, "demo-crm-webhook-token")
            step(["validate"], env)
            step(["apply", "--auto-approve"], env)  # the plan, each change made, manual steps
            design_in_ui(url)
            # 2: nothing left to change but the one manual step the "person" did not do.
            step(["plan", "--detailed-exitcode"], env, expect=(2,))
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(
        "\nDemo complete: the licence matches examples/manifests, but for the one step left "
        "to a person in the ACTITO UI (activate loyaltyBonus); the plan says so until it is done."
    )
    print(
        "To run the commands yourself: .venv/bin/actito-iac, or `source .venv/bin/activate` "
        "to have actito-iac on your PATH (README, 'Install')."
    )


if __name__ == "__main__":
    main()
