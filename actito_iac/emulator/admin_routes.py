"""The emulator-only surface under `/__emulator__/`: seeding, reset, inspection, faults.

No authentication: the emulator listens on loopback by default and this surface exists for the
tests and demos driving it. None of it is part of the ACTITO API.
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from actito_iac.emulator.faults import Fault, FaultError
from actito_iac.emulator.gate import ADMIN_PREFIX
from actito_iac.emulator.json_http import read_json
from actito_iac.emulator.routing import method_route
from actito_iac.emulator.seed import SeedError, apply_seed
from actito_iac.emulator.state import EmulatorState

logger = logging.getLogger(__name__)


class AdminRoutes:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def routes(self) -> list[BaseRoute]:
        return [
            Route(f"{ADMIN_PREFIX}seed", self.seed, methods=["POST"]),
            Route(f"{ADMIN_PREFIX}reset", self.reset, methods=["POST"]),
            Route(f"{ADMIN_PREFIX}requests", self.requests, methods=["GET"]),
            Route(f"{ADMIN_PREFIX}state", self.dump, methods=["GET"]),
            method_route(f"{ADMIN_PREFIX}stats", GET=self.stats, DELETE=self.clear_stats),
            method_route(
                f"{ADMIN_PREFIX}faults",
                GET=self.list_faults,
                POST=self.add_faults,
                DELETE=self.clear_faults,
            ),
        ]

    async def seed(self, request: Request) -> Response:
        document = await read_json(request)
        try:
            result = apply_seed(self.state.store, document, source="seed document")
        except SeedError as exc:
            raise HTTPException(400, str(exc)) from None
        logger.info("seeded %s", result.to_json())
        return JSONResponse({"added": result.to_json()})

    async def reset(self, request: Request) -> Response:
        self.state.reset()
        logger.info("emulator reset")
        return JSONResponse({"reset": True})

    async def requests(self, request: Request) -> Response:
        return JSONResponse({"requests": self.state.log.entries()})

    async def stats(self, request: Request) -> Response:
        """Calls, the most in flight at once, 429s, throttled calls (state.py `Stats`)."""
        return JSONResponse(self.state.stats.to_json())

    async def clear_stats(self, request: Request) -> Response:
        """Start counting afresh (and the throttle's window too): one benchmark run each."""
        self.state.clear_stats()
        return JSONResponse(self.state.stats.to_json())

    async def dump(self, request: Request) -> Response:
        return JSONResponse(self.state.store.dump())

    async def list_faults(self, request: Request) -> Response:
        return JSONResponse({"faults": self.state.faults.pending()})

    async def add_faults(self, request: Request) -> Response:
        """One fault object, or a list of them (added in order)."""
        body = await read_json(request)
        try:
            faults = [
                Fault.from_json(item) for item in (body if isinstance(body, list) else [body])
            ]
        except FaultError as exc:
            raise HTTPException(400, str(exc)) from None
        for fault in faults:
            self.state.faults.add(fault)
        return JSONResponse({"faults": self.state.faults.pending()}, status_code=201)

    async def clear_faults(self, request: Request) -> Response:
        self.state.faults.clear()
        return JSONResponse({"faults": []})
