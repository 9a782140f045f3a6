"""The model of one manifest document, built from the kind registry.

One model serves validation and the JSON Schema, so an editor flags exactly what `validate`
refuses. A new kind appears in both as soon as it is listed in `actito_iac.kinds.KINDS`.
"""

from __future__ import annotations

import functools
from types import GenericAlias
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from actito_iac.constants import CALLS_PER_MINUTE
from actito_iac.kinds.base import Kind
from actito_iac.kinds.registry import KINDS

ENTITY_FIELD = "entity"


class StrictModel(BaseModel):
    """Base of the file models that are not object specs: same rules as `SpecModel`, no name."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


@functools.cache
def manifest_model() -> type[StrictModel]:
    """`entity` plus one list per kind section; unknown keys are errors."""
    fields: dict[str, Any] = {
        ENTITY_FIELD: (
            str,
            Field(
                min_length=1,
                description=(
                    "Technical name of the ACTITO entity the objects below belong to. "
                    "Entities are created in the ACTITO UI; this one must exist in the licence."
                ),
            ),
        ),
    }
    for kind in KINDS:
        fields[kind.section] = (
            GenericAlias(list, (kind.spec_type,)),
            Field(default_factory=list, description=_section_description(kind)),
        )
    return create_model(
        "Manifest",
        __base__=StrictModel,
        __doc__="One YAML document of a manifest file: objects of one ACTITO entity.",
        **fields,
    )


def _section_description(kind: Kind) -> str:
    own = (kind.spec_type.__doc__ or "").strip()  # a class docstring is never inherited
    if own:
        return own
    return f"The {kind.name} objects of this entity, one list item each, keyed by name."


# -- the project file ------------------------------------------------------------------------

ENV_VAR_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
VARIABLE_NAME = r"^[A-Za-z_][A-Za-z0-9_.-]*$"
"""What `${var:NAME}` accepts as NAME (see manifest/substitute.py)."""
DEFAULT_KEY_ENV = "ACTITO_API_KEY"
DEFAULT_MANIFESTS = "manifests"


class EnvironmentFile(StrictModel):
    """One licence the manifests can be planned against and applied to."""

    apiUrl: str = Field(
        min_length=1,
        description="Base URL of the ACTITO API for this licence, e.g. https://api3.actito.com.",
    )
    apiKeyEnv: str = Field(
        default=DEFAULT_KEY_ENV,
        pattern=ENV_VAR_NAME,
        description=(
            "NAME of the environment variable that holds this licence's API key. "
            "The key itself never lives in a file."
        ),
    )
    variables: dict[
        Annotated[str, StringConstraints(pattern=VARIABLE_NAME)], str | int | float | bool
    ] = Field(
        default_factory=dict,
        description=(
            "Values that differ between licences, used in manifests as ${var:NAME}. "
            "Not for secrets: use ${secret:NAME}, read from the process environment."
        ),
    )
    callsPerMinute: int = Field(
        default=CALLS_PER_MINUTE,
        ge=0,
        description=(
            "Calls a minute this licence allows before ACTITO slows its answers down (100 "
            "unless you bought more). actito-iac paces itself under it; 0: no pacing."
        ),
    )


class ProjectFile(StrictModel):
    """actito-iac.yaml: where the manifests are and which licences they go to."""

    manifests: list[str] = Field(
        default_factory=lambda: [DEFAULT_MANIFESTS],
        min_length=1,
        description="Files or folders of manifests, relative to this file.",
    )
    defaultEnvironment: str | None = Field(
        default=None, description="Environment used when none is chosen on the command line."
    )
    environments: dict[str, EnvironmentFile] = Field(
        default_factory=dict, description="The licences, by a name of your choice."
    )
