"""`make demo`: the main job on examples/, against the emulator on a free loopback port.

Starts the emulator seeded with examples/emulator-seed.yaml, then runs, in examples/:
validate, plan, apply --auto-approve, and plan again (which must show no changes), printing
each command as a user would type it. Stops the emulator whatever happens.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DEMO_KEY = "demo-api-key"
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


def step(args: list[str], env: dict[str, str], expect: tuple[int, ...] = (0,)) -> None:
    print(f"\n\033[1m$ actito-iac {' '.join(args)}\033[0m", flush=True)
    code = subprocess.run([*CLI, *args], cwd=EXAMPLES, env=env, check=False).returncode
    if code not in expect:
        sys.exit(f"demo failed: `actito-iac {' '.join(args)}` exited {code}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ready = Path(tmp) / "emulator.url"
        server = start_emulator(ready)
        try:
            url = wait_for(ready, server)
            print(f"Emulator listening on {url} (seeded with examples/emulator-seed.yaml)")
            env = {**os.environ, "ACTITO_API_URL": url, "ACTITO_API_KEY": DEMO_KEY}
            step(["validate"], env)
            step(["plan"], env)
            step(["apply", "--auto-approve"], env)
            step(["plan", "--detailed-exitcode"], env)  # 0: nothing left to change
        finally:
            server.terminate()
            server.wait(timeout=10)
    print("\nDemo complete: the licence now matches examples/manifests.")


if __name__ == "__main__":
    main()
