"""Custom actions: scenario blocks that call the licence owner's system over HTTPS.

API (actito-api.md §8.2): `/v5/entities/{e}/custom-actions` list, get, create, PATCH (a partial
update: omitted fields are kept, `null` clears one) and delete are seen in client code; the
`scenarios` category prefix is inferred from ACTITO's reorganisation page. The body was never
seen: every field of the spec below is [INFER] — the most plausible shape of "a block that
calls your URL with parameters" — and `actito-iac capabilities` says so.

Identity: the technical name. Header values are secrets (`${secret:…}`, compared by digest).
A parameter's type cannot change in place [INFER: scenarios hold values for it]: the action
is replaced — deleted, then created again (one name cannot be held twice), which scenarios
using it notice, so the replace is destructive. Removing a parameter drops the values
scenarios give it: destructive too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from actito_iac.kinds.base import IdLookup, Kind, NameLookup, secret_digest
from actito_iac.kinds.common import TECHNICAL_NAME, inferred_enum
from actito_iac.kinds.endpoints import Endpoints, UpdateMethod
from actito_iac.vocabulary import (
    JSON,
    UNREAD,
    Capabilities,
    Issue,
    Model,
    NamedSpec,
    Path,
    Risk,
    Source,
    SpecModel,
    Verdict,
    op,
)

ParameterType = Literal["STRING", "INTEGER", "NUMBER", "BOOLEAN", "TIMESTAMP"]
_OPTIONAL = ("label", "description")


class Parameter(Model):
    """A value each scenario using the action gives it."""

    name: str = Field(pattern=TECHNICAL_NAME)
    type: ParameterType = Field(
        default="STRING",
        **inferred_enum(
            "Set at creation.", "STRING", "INTEGER", "NUMBER", "BOOLEAN", "TIMESTAMP"
        ),
    )
    mandatory: bool = False


class CustomActionSpec(NamedSpec):
    """A custom action: a scenario block that calls your system. Every field is inferred:
    ACTITO's body for custom actions was never seen."""

    name: str = Field(pattern=TECHNICAL_NAME, description="Technical name; its identity.")
    label: str | None = Field(default=None, description="Shown in the scenario editor.")
    description: str | None = None
    url: str = Field(pattern=r"^https://[^\s/]+", description="What ACTITO calls; HTTPS only.")
    method: Literal["POST", "PUT", "GET"] = Field(
        default="POST", **inferred_enum("How ACTITO calls the URL.", "POST", "PUT", "GET")
    )
    headers: dict[str, str] = Field(
        default_factory=dict,
        description="Headers sent with every call; each value a ${secret:NAME} reference.",
    )
    parameters: list[Parameter] = Field(default_factory=list)
    active: bool = True


class CustomActionKind(Kind):
    name: ClassVar[str] = "customAction"
    noun: ClassVar[str] = "custom action"
    section: ClassVar[str] = "customActions"
    spec_type: ClassVar[type[SpecModel]] = CustomActionSpec
    capabilities: ClassVar[Capabilities] = Capabilities(
        list=op(Source.CODE, "list wrapper inferred"),
        get=op(Source.CODE),
        create=op(Source.INFER, "path seen in client code; body never seen: every field inferred"),
        update=op(Source.INFER, "PATCH seen in client code; body inferred"),
        delete=op(Source.CODE, "with --prune"),
    )
    endpoints: ClassVar[Endpoints] = Endpoints(
        category="scenarios",  # [INFER] the "Scenarios" category of the reorganisation
        version="v5",
        resource="custom-actions",
        list_key="customActions",  # [INFER] by analogy with the documented `entities`
        update=UpdateMethod.PATCH,
        delete=True,
    )
    secret_fields: ClassVar[tuple[Path, ...]] = (("headers", "*"),)

    def check(self, spec: SpecModel) -> list[Issue]:
        assert isinstance(spec, CustomActionSpec)
        issues = []
        seen: set[str] = set()
        for index, parameter in enumerate(spec.parameters):
            if parameter.name in seen:
                message = f"duplicate parameter {parameter.name!r}"
                issues.append(Issue(("parameters", index, "name"), message))
            seen.add(parameter.name)
        return issues

    def canonical(self, spec: SpecModel) -> dict[str, JSON]:
        assert isinstance(spec, CustomActionSpec)
        out: dict[str, JSON] = {
            "url": spec.url,
            "method": spec.method,
            "headers": {name: secret_digest(value) for name, value in sorted(spec.headers.items())},
            "parameters": {
                p.name: {"type": p.type, "mandatory": p.mandatory} for p in spec.parameters
            },
            "active": spec.active,
        }
        out.update({key: getattr(spec, key) for key in _OPTIONAL if getattr(spec, key)})
        return out

    def judge(self, path: Path, before: JSON, after: JSON, name: str = "") -> Verdict:
        """Every verdict inferred (the default source): the body was never seen."""
        if path[0] != "parameters" or len(path) < 2:
            return Verdict(Risk.SAFE)
        if len(path) == 3 and path[2] == "type":
            why = (
                f"parameter {path[1]!r} cannot change type ({before} → {after}): the "
                "action is deleted and created again; scenarios using it must be pointed at the "
                "new one in the ACTITO UI"
            )
            return Verdict(Risk.DESTRUCTIVE, replace=why)
        if len(path) == 2 and after is None:
            return Verdict(Risk.DESTRUCTIVE)  # scenarios lose the values they give it
        return Verdict(Risk.SAFE)

    def spec_from_payload(self, payload: Mapping[str, JSON], names: NameLookup) -> SpecModel:
        headers = payload.get("headers") or {}
        return CustomActionSpec.model_construct(
            name=str(payload.get("name")),
            label=payload.get("label"),
            description=payload.get("description"),
            url=str(payload.get("url")),
            method=payload.get("method") or "POST",
            headers={str(k): v if isinstance(v, str) else UNREAD for k, v in headers.items()},
            parameters=[
                Parameter.model_construct(
                    name=str(p.get("name")),
                    type=p.get("type") or "STRING",
                    mandatory=bool(p.get("mandatory", False)),
                )
                for p in payload.get("parameters") or []
            ],
            active=payload.get("isActive", True),
        )

    def payload(
        self, spec: SpecModel, ids: IdLookup, live: Mapping[str, JSON] | None
    ) -> dict[str, JSON]:
        """A create carries every field; a PATCH the managed ones, `null` for an optional
        one the manifest no longer gives (PATCH keeps what it omits, so keys this tool does
        not manage are kept by ACTITO)."""
        assert isinstance(spec, CustomActionSpec)
        body: dict[str, Any] = {
            "name": spec.name,
            "url": spec.url,
            "method": spec.method,
            "headers": dict(spec.headers),
            "parameters": [p.model_dump() for p in spec.parameters],
            "isActive": spec.active,
        }
        for key in _OPTIONAL:
            value = getattr(spec, key)
            if value is not None:
                body[key] = value
            elif live is not None and live.get(key) is not None:
                body[key] = None
        return body
