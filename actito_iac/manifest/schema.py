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
    )


def schema_text(schema: dict[str, Any]) -> str:
    """The exact text of a committed schema file."""
    return json.dumps(schema, indent=2, sort_keys=False) + "\n"


def _document(model: type[BaseModel], file: str, title: str, description: str) -> dict[str, Any]:
    body = model.model_json_schema()
    body.pop("title", None)
    body.pop("description", None)
    _drop_field_titles(body)
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
