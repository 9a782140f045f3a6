"""JSON Schemas of the manifest and project files, generated from the models that validate them.

`schemas/*.schema.json` are these functions' output, committed so editors can use them through
a modeline (`# yaml-language-server: $schema=…`); a test fails when they are stale. pydantic
emits draft 2020-12; only keywords editors also understand under draft-07 are used.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from actito_iac.manifest.model import ProjectFile, manifest_model
from actito_iac.manifest.substitute import NAME

DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://actito-iac.dev/schemas/"
MANIFEST_SCHEMA_FILE = "manifest.schema.json"
PROJECT_SCHEMA_FILE = "project.schema.json"


def manifest_schema() -> dict[str, Any]:
    return _document(
        manifest_model(),
        MANIFEST_SCHEMA_FILE,
        "actito-iac manifest",
        "One YAML document of an actito-iac manifest: `entity:` and the objects of that ACTITO "
        "entity, one list per kind.",
    )


def project_schema() -> dict[str, Any]:
    return _document(
        ProjectFile,
        PROJECT_SCHEMA_FILE,
        "actito-iac project file",
        "actito-iac.yaml: where the manifests are and which ACTITO licences (environments) "
        "they are planned against. API keys never live here: name their variables.",
        references=False,  # the project file defines variables; it does not use them
    )


def schema_text(schema: dict[str, Any]) -> str:
    """The exact text of a committed schema file."""
    return json.dumps(schema, indent=2, sort_keys=False) + "\n"


VARIABLE_REFERENCE: dict[str, Any] = {
    "type": "string",
    "pattern": rf"^\$\{{var:{NAME.pattern}\}}$",  # the name as substitute.py reads it
    "description": "A variable of the chosen environment, `${var:NAME}`: it keeps its type.",
}
"""What a number or boolean field also accepts: a whole-value `${var:…}` is replaced before
validation by the variable's value, number or boolean included (README, "References")."""

_TYPED = frozenset({"integer", "number", "boolean"})


def _document(
    model: type[BaseModel], file: str, title: str, description: str, *, references: bool = True
) -> dict[str, Any]:
    body = model.model_json_schema()
    body.pop("title", None)
    body.pop("description", None)
    _drop_field_titles(body)
    if references:
        _accept_variables(body)
    header = {"$schema": DIALECT, "$id": BASE_ID + file, "title": title, "description": description}
    return header | body


def _drop_field_titles(node: Any) -> None:
    """Remove pydantic's generated field titles ("Valuetype"): editors show them above the
    description, where they only repeat the key. Model titles (in `$defs`) stay."""
    if isinstance(node, dict):
        for field in (node.get("properties") or {}).values():
            if isinstance(field, dict):
                field.pop("title", None)
        for value in node.values():
            _drop_field_titles(value)
    elif isinstance(node, list):
        for value in node:
            _drop_field_titles(value)


def _accept_variables(node: Any) -> None:
    """Let every number and boolean field take a `${var:…}` reference too."""
    if isinstance(node, list):
        for value in node:
            _accept_variables(value)
        return
    if not isinstance(node, dict):
        return
    for key, value in list(node.items()):
        if key in ("properties", "$defs") and isinstance(value, dict):
            for name, field in value.items():
                value[name] = _with_variable(field)
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            node[key] = _with_variable(value)
        else:
            _accept_variables(value)


def _with_variable(field: Any) -> Any:
    if not isinstance(field, dict):
        return field
    _accept_variables(field)
    options = field.get("anyOf")
    if isinstance(options, list):
        types = {o.get("type") for o in options if isinstance(o, dict)}
        if types & _TYPED and "string" not in types:
            options.append(VARIABLE_REFERENCE)
        return field
    if field.get("type") in _TYPED:
        typed = {k: v for k, v in field.items() if k not in ("description", "default")}
        outer = {k: v for k, v in field.items() if k in ("description", "default")}
        return {"anyOf": [typed, VARIABLE_REFERENCE], **outer}
    return field
