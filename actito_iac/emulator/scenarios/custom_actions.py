"""Custom actions: scenario blocks that call the licence owner's system (actito-api.md §8.2).

The CRUD endpoints are seen in client code (`/v5/entities/{e}/custom-actions`, PATCH for
changes); the body was never seen. Every field below is [INFER]: the most plausible shape of
"a block that calls your URL with parameters", kept strict so that a client guessing
differently fails loudly here rather than silently against a licence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from actito_iac.emulator.problems import Report, RuleError, fixed_changes, object_body, unknown_keys
from actito_iac.emulator.resources.crud import Resource
from actito_iac.emulator.store import Store
from actito_iac.emulator.structures.attribute_rules import check_name, is_technical_name

KIND = "customAction"
METHODS = ("POST", "PUT", "GET")
PARAMETER_TYPES = ("STRING", "INTEGER", "NUMBER", "BOOLEAN", "TIMESTAMP")
_KEYS = ("name", "label", "description", "url", "method", "headers", "parameters", "isActive")
_PARAMETER_KEYS = ("name", "type", "mandatory")


class CustomActionRules:
    def create(self, store: Store, entity: str, body: object) -> dict[str, Any]:
        return _checked(body)

    def replace(
        self, store: Store, entity: str, stored: Mapping[str, Any], body: object
    ) -> dict[str, Any]:
        changed = _checked(body)
        problems = fixed_changes(stored, changed, ("name",))
        # Scenarios hold values for the parameters: a parameter's type cannot change.
        before = {p["name"]: p["type"] for p in stored["parameters"]}
        for parameter in changed["parameters"]:
            old = before.get(parameter["name"])
            if old is not None and old != parameter["type"]:
                problems.append(
                    f"parameter {parameter['name']!r}: the type cannot be changed "
                    f"({old} → {parameter['type']})"
                )
        if problems:
            raise RuleError(problems)
        return changed


def _checked(body: object) -> dict[str, Any]:
    body, problems, bad = object_body(body, "a custom action", _KEYS)
    name = body.get("name")
    check_name(name, bad)
    url = body.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme != "https" or not parts.hostname:
        bad(f"url {url!r} must be an https:// URL")
    method = body.get("method", "POST")
    if method not in METHODS:
        bad(f"method {method!r} is not one of {', '.join(METHODS)}")
    out: dict[str, Any] = {"name": name, "url": url, "method": method}
    for key in ("label", "description"):
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            bad(f"{key} must be text")
        out[key] = value
    headers = body.get("headers", {})
    if not isinstance(headers, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        bad("headers must map header names to text values")
        headers = {}
    out["headers"] = dict(headers)
    out["parameters"] = _parameters(body.get("parameters", []), bad)
    active = body.get("isActive", True)
    if not isinstance(active, bool):
        bad("isActive must be true or false")
    out["isActive"] = active
    if problems:
        raise RuleError(problems)
    return out


def _parameters(raw: object, bad: Report) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        bad("parameters must be a list")
        return []
    out = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            bad(f"parameters[{index}] must be an object")
            continue
        unknown_keys(f"parameters[{index}]", item, _PARAMETER_KEYS, bad)
        name, kind = item.get("name"), item.get("type", "STRING")
        if not is_technical_name(name):
            bad(f"parameters[{index}]: name {name!r} is not a technical name")
            continue
        if name in seen:
            bad(f"parameter {name!r} is defined twice")
        seen.add(str(name))
        if kind not in PARAMETER_TYPES:
            bad(f"parameter {name!r}: type {kind!r} is not one of {', '.join(PARAMETER_TYPES)}")
        mandatory = item.get("mandatory", False)
        if not isinstance(mandatory, bool):
            bad(f"parameter {name!r}: mandatory must be true or false")
        out.append({"name": name, "type": kind, "mandatory": mandatory})
    return out


RESOURCE = Resource(
    kind=KIND,
    title="custom action",
    # [INFER] the `scenarios` category prefix; the uncategorised path is seen in client code.
    paths=(
        "/scenarios/v5/entities/{entity}/custom-actions",
        "/v5/entities/{entity}/custom-actions",
    ),
    wrapper="customActions",  # [INFER] by analogy with the documented `entities`
    rules=CustomActionRules(),
    update="PATCH",  # [CODE] `customactions-update-partial`
    ids="uuid",  # [INFER]
    # [INFER] 201 with no body: the new action is named by the Location header only.
    create_answer="none",
    seed_key="customActions",
)
