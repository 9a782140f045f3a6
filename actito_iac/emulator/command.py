"""`emulator serve`: run a local ACTITO from the command line."""

from __future__ import annotations

import os

import click

# Light on purpose: the CLI loads this module to list its commands (`--help`); the web server
# stack is loaded by `serve` when it runs.
from actito_iac.emulator.tokens import DEFAULT_API_KEYS

API_KEYS_ENV = "ACTITO_EMULATOR_API_KEYS"


def _default_api_keys() -> tuple[str, ...]:
    keys = tuple(k.strip() for k in os.environ.get(API_KEYS_ENV, "").split(",") if k.strip())
    return keys or DEFAULT_API_KEYS


@click.group()
def emulator() -> None:
    """A local emulated ACTITO licence, for demos, tests and first runs."""


@emulator.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback address to bind.")
@click.option(
    "--port",
    default=8787,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="TCP port; 0 picks a free one.",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="SQLite file that keeps the state across restarts (default: in memory).",
)
@click.option(
    "--api-key",
    "api_keys",
    multiple=True,
    help=f"Accepted API key (repeatable; default: ${API_KEYS_ENV}, comma-separated, "
    f"else {DEFAULT_API_KEYS[0]!r}).",
)
@click.option(
    "--seed",
    type=click.Path(dir_okay=False),
    default=None,
    help="YAML seed file: entities, profile and custom tables, profiles and records.",
)
@click.option(
    "--token-ttl",
    default=900.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Access-token lifetime in seconds.",
)
@click.option(
    "--latency",
    default=0.0,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Time every API call takes besides its work (the network, ACTITO's own time).",
)
@click.option(
    "--throttle",
    "throttle_calls",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    metavar="CALLS",
    help="Slow answers down past CALLS calls a minute, as ACTITO does past 100 (0: never).",
)
@click.option(
    "--ready-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the base URL to this file once listening.",
)
def serve_command(
    host: str,
    port: int,
    db: str | None,
    api_keys: tuple[str, ...],
    seed: str | None,
    token_ttl: float,
    latency: float,
    throttle_calls: int,
    ready_file: str | None,
) -> None:
    """Serve the emulated ACTITO API until interrupted (Ctrl-C or SIGTERM)."""
    from actito_iac.emulator.pace import Throttle
    from actito_iac.emulator.seed import SeedError
    from actito_iac.emulator.server import StartError, serve

    try:
        serve(
            host=host,
            port=port,
            db=db,
            api_keys=api_keys or _default_api_keys(),
            seed=seed,
            token_ttl=token_ttl,
            ready_file=ready_file,
            latency=latency,
            throttle=Throttle(throttle_calls) if throttle_calls else None,
        )
    except SeedError as exc:
        raise click.ClickException(f"bad seed file {exc}") from None
    except StartError as exc:
        raise click.ClickException(str(exc)) from None
