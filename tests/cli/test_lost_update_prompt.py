"""What changes in the UI while `apply` waits at its prompt is never overwritten."""

from __future__ import annotations

import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from .conftest import COMMAND, run


def wait_for(fd: int, text: str, timeout: float = 60) -> str:
    """Read `fd` until `text` shows (the prompt is written without a newline)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {text!r} in {seen.decode(errors='replace')!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 4096)
            assert chunk, f"the command ended before {text!r}: {seen.decode(errors='replace')}"
            seen += chunk
    return seen.decode()


def test_an_attribute_added_in_the_ui_at_the_prompt_survives_the_apply(
    live: dict[str, str], served: str, config: Path, licence: Any
) -> None:
    assert run("apply", "--auto-approve", cwd=config, env=live).returncode == 0
    stores = config / "manifests" / "b2c" / "stores.yaml"
    text = stores.read_text(encoding="utf-8")
    added = "      - {name: phone, valueType: STRING}\n\n  - name: LoyaltyEvents"
    stores.write_text(text.replace("\n  - name: LoyaltyEvents", added, 1), encoding="utf-8")

    controller, terminal = os.openpty()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ACTITO_", "GITHUB_"))}
    process = subprocess.Popen(
        [str(COMMAND), "apply"],
        cwd=config,
        env={**base, **live, "NO_COLOR": "1"},
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stderr is not None
        wait_for(process.stderr.fileno(), "Apply these 1 change(s)?")
        # A person adds an attribute to the same table in the ACTITO UI meanwhile.
        ui = f"{served}/__emulator__/ui/entities/B2C/custom-tables/Stores/attributes"
        answer = httpx.post(ui, json={"name": "openingHours", "valueType": "STRING"})
        assert answer.status_code == 200, answer.text
        os.write(controller, b"y\n")
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
        os.close(controller)
        os.close(terminal)
    output = stdout.decode() + stderr.decode()
    assert process.returncode == 1, output
    assert "changed since the plan" in output
    assert "✓ done" not in output
    (table,) = [
        t for t in licence.store.dump()["objects"]["B2C"]["customTable"] if t["name"] == "Stores"
    ]
    names = [a["name"] for a in table["attributes"]]
    assert "openingHours" in names
    assert "phone" not in names
