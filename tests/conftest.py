"""Fixtures shared across the suite: a local licence (the emulator) in-process or on loopback.

The suite runs in parallel (pytest-xdist, `make test`): every test gets its own licence, its
own temporary folder and a free port, and no test writes inside the repository (golden files
only with UPDATE_GOLDEN=1, run alone).

Slow end-to-end tests carry the `slow` mark, which `make quick` leaves out: those marked in
their module, and, marked here, every test that runs the installed command in a subprocess
(tests/cli, the GitHub action's runs) or serves the emulator on a real socket.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import settings
from starlette.applications import Starlette

from actito_iac.api.client import ActitoClient
from actito_iac.emulator.app import create_app
from actito_iac.emulator.resources.crud import Objects
from actito_iac.emulator.scenarios.scenarios import RESOURCE as SCENARIOS
from actito_iac.emulator.seed import apply_seed_file
from actito_iac.emulator.server import running_server
from actito_iac.emulator.store import Store
from actito_iac.emulator.transport import in_process_transport
from actito_iac.kinds.registry import KINDS
from actito_iac.secrets import Secret

# Property-based tests draw the same examples on every run and every machine (a fresh CI clone
# has no example database): a failure is reproducible, and the suite never turns red by luck.
# HYPOTHESIS_PROFILE=explore draws new ones, to look for more.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

API_KEY = "test-key-5f3a9c"
EXAMPLES_UI = Path(__file__).parents[1] / "examples" / "emulator-ui.yaml"
EXAMPLE_SECRETS = {"CRM_WEBHOOK_TOKEN": "example-crm-webhook-token-3d"}
"""The secrets examples/manifests read (a webhook's header), as `make demo` sets them."""


def pytest_configure(config: pytest.Config) -> None:
    # Every command the tests run on the examples inherits them, as a user's shell would hold
    # them; a test that wants one unset removes it itself.
    for name, value in EXAMPLE_SECRETS.items():
        os.environ.setdefault(name, value)


@dataclass
class LocalLicence:
    store: Store
    app: Starlette
    api_key: str = API_KEY

    def seed(self, path: Path) -> None:
        apply_seed_file(self.store, path)

    def design_examples_in_ui(self) -> None:
        """What a person does in the ACTITO UI after applying examples/manifests, following
        apply's manual steps: design the scenarios and the form (examples/emulator-ui.yaml),
        then activate the one `make demo` leaves in definition."""
        self.seed(EXAMPLES_UI)
        self.set_scenario_state("B2C", "loyaltyBonus", "ACTIVE")

    def set_scenario_state(self, entity: str, name: str, state: str) -> None:
        """A person activates, pauses or stops a scenario in the UI (under the API's rules)."""
        stored = self.store.find_object(entity, SCENARIOS.kind, name)
        assert stored is not None, f"no scenario {name!r} in {entity!r}"
        changed = {k: v for k, v in stored.items() if k != "id"} | {"state": state}
        Objects(self.store, SCENARIOS).replace(entity, stored, changed)

    def client(self) -> ActitoClient:
        """A client talking to the emulator in-process: no sockets, and no pacing under
        ACTITO's rate (a test making more than 100 calls would otherwise wait a minute; the
        pacing has tests of its own)."""
        return ActitoClient(
            "http://127.0.0.1",
            Secret(API_KEY),
            transport=in_process_transport(self.app),
            calls_per_minute=None,
        )


def empty_list(path: str, entity: str = "B2C") -> dict[str, Any] | None:
    """What a licence holding nothing of a kind answers on `path`, if `path` lists a registered
    kind in `entity` — a kind read per object of another (`Endpoints.within`: scenarios per
    profile table) under any such object. Hand-written fake licences answer with it."""
    for kind in KINDS:
        head, *tail = kind.endpoints.collection(entity, within="\0").split(quote("\0"))
        if path == head if not tail else path.startswith(head) and path.endswith(tail[0]):
            return {kind.endpoints.list_key: []}
    return None


END_TO_END = ("cli", "github/test_action.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        where = item.path.relative_to(tests).as_posix()
        subprocess_run = any(where.startswith(prefix) for prefix in END_TO_END)
        if subprocess_run or "served" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def licence() -> Iterator[LocalLicence]:
    store = Store()
    yield LocalLicence(store, create_app(store, api_keys=[API_KEY]))
    store.close()


@pytest.fixture
def served(licence: LocalLicence) -> Iterator[str]:
    """The same licence served over real HTTP on 127.0.0.1; yields its base URL."""
    with running_server(licence.app) as url:
        yield url


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Apply locks (licence_lock.py) live in the user's cache folder: a private one per test,
    inherited by the commands the test runs."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
