"""The committed JSON Schemas are the generated ones, and they agree with the loader."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from actito_iac.manifest.schema import manifest_schema, project_schema, schema_text

from .conftest import ORDERS

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "schemas"
MODELINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")


@pytest.mark.parametrize(
    ("file", "generated", "command"),
    [
        ("manifest.schema.json", manifest_schema, "actito-iac schema"),
        ("project.schema.json", project_schema, "actito-iac schema --project-file"),
    ],
)
def test_committed_schema_is_fresh(file: str, generated: Any, command: str) -> None:
    committed = (SCHEMAS / file).read_text(encoding="utf-8")

    assert committed == schema_text(generated()), (
        f"schemas/{file} is stale; refresh it with: {command} > schemas/{file}"
    )


def test_schema_header_and_hover_texts() -> None:
    schema = manifest_schema()

    assert list(schema)[:4] == ["$schema", "$id", "title", "description"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://actito-iac.dev/schemas/manifest.schema.json"
    assert schema["required"] == ["entity"]
    attribute = schema["$defs"]["CustomTableAttribute"]["properties"]
    assert attribute["valueType"]["description"].startswith(
        "Type of the values; immutable once created."
    )
    assert "title" not in attribute["valueType"]  # generated titles only repeat the key
    Draft202012Validator.check_schema(schema)
    Draft202012Validator.check_schema(project_schema())


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


def documents(text: str) -> list[Any]:
    return [d for d in YAML(typ="safe", pure=True).load_all(text) if d is not None]


def test_the_schema_accepts_what_the_loader_accepts_and_refuses_typos() -> None:
    check = validator(manifest_schema())

    assert list(check.iter_errors(documents(ORDERS)[0])) == []
    for old, new in [
        ("mandatory: true, unique", "mandatroy: true, unique"),
        ("valueType: STRING, accepted", "valueType: STRNG, accepted"),
        ("    primaryKey: orderId\n", ""),
        ("name: Orders", "name: 9Orders"),
    ]:
        assert list(check.iter_errors(documents(ORDERS.replace(old, new))[0])), (old, new)


def test_the_project_schema_refuses_an_api_key() -> None:
    check = validator(project_schema())
    project = {"environments": {"local": {"apiUrl": "http://127.0.0.1:8787"}}}

    assert list(check.iter_errors(project)) == []
    project["environments"]["local"]["apiKey"] = "x"
    assert list(check.iter_errors(project))


def example_files() -> list[Path]:
    """YAML files under examples/ that name a schema in their modeline."""
    found = []
    for path in sorted((REPO / "examples").rglob("*.y*ml")):
        head = path.read_text(encoding="utf-8")[:500]
        if MODELINE.search(head):
            found.append(path)
    return found


@pytest.mark.parametrize(
    "path", example_files(), ids=lambda p: str(p.relative_to(REPO / "examples"))
)
def test_every_example_validates_against_its_modeline_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    match = MODELINE.search(text)
    assert match is not None
    schema_path = (path.parent / match.group(1)).resolve()
    assert schema_path.parent == SCHEMAS, f"{path.name}: modeline points outside schemas/"
    assert schema_path.is_file(), f"{path.name}: {match.group(1)} does not exist"
    check = validator(json.loads(schema_path.read_text(encoding="utf-8")))

    for document in documents(text):
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(document)]
        assert errors == [], path


def test_numbers_and_booleans_take_a_variable_reference_as_the_readme_shows() -> None:
    check = validator(manifest_schema())
    text = ORDERS.replace("mandatory: true, unique", "mandatory: '${var:STRICT}', unique")
    document = documents(text)[0]
    document["customTables"][0]["attributes"][0]["maxLength"] = "${var:CODE_LENGTH}"
    assert list(check.iter_errors(document)) == []
    for wrong in ("${env:CODE_LENGTH}", "12", "${var:CODE_LENGTH} chars"):
        document["customTables"][0]["attributes"][0]["maxLength"] = wrong
        assert list(check.iter_errors(document)), wrong


INFERRED = {
    ("CustomTableAttribute", "valueType"): {"INTEGER", "BOOLEAN", "DATE"},
    ("ProfileTableAttribute", "valueType"): {"LONG", "NUMBER", "BOOLEAN", "DATE"},
    ("CustomTableSpec", "type"): {"LINKED_DATA", "REPOSITORY"},
    ("ProfileTableAttribute", "type"): {
        "GSM_NUMBER",
        "ADDRESS_STREET",
        "ADDRESS_POSTAL_CODE",
        "ADDRESS_CITY",
        "ADDRESS_COUNTRY",
    },
    ("Subscription", "channel"): {"EMAIL", "SMS"},
    ("Link", "onDelete"): {"SET_NULL", "RESTRICT"},
    ("Condition", "operator"): {"<", ">", "<=", ">="},
    ("EventRule", "operation"): {"CREATE"},
    ("WebhookSubscriptionSpec", "pushMode"): {"BULK"},
    ("CustomActionSpec", "method"): {"POST", "PUT", "GET"},
    ("Parameter", "type"): {"STRING", "INTEGER", "NUMBER", "BOOLEAN", "TIMESTAMP"},
    ("EmailCampaignSpec", "sendingMode"): {"CONTINUOUS"},
    ("EmailCampaignSpec", "state"): {"IN_DEFINITION", "ACTIVE", "SENT"},
    ("SmsCampaignSpec", "sendingMode"): {"CONTINUOUS"},
    ("SmsCampaignSpec", "state"): {"IN_DEFINITION", "ACTIVE", "SENT"},
    ("ScenarioStart", "type"): {"API", "EVENT", "PROFILE_EVENT", "SCHEDULE"},
    ("ScenarioStart", "operation"): {"CREATE", "UPDATE", "SUBSCRIBE", "UNSUBSCRIBE"},
    ("ScenarioStart", "frequency"): {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"},
    ("Question", "type"): {
        "TEXT",
        "EMAIL",
        "PHONE",
        "NUMBER",
        "DATE",
        "BOOLEAN",
        "SINGLE_CHOICE",
        "MULTIPLE_CHOICE",
    },
    ("FormSpec", "participation"): {"SINGLE", "MULTIPLE"},
}
"""Every enum value that is only inferred (actito-api.md): a guess never looks like a fact."""


def _enum(field: dict[str, Any]) -> set[str]:
    options = [field, *field.get("anyOf", [])]
    return {value for option in options for value in option.get("enum", [])}


@pytest.mark.parametrize(
    ("where", "values"),
    sorted(INFERRED.items()),
    ids=[f"{model}.{name}" for model, name in sorted(INFERRED)],
)
def test_inferred_enum_values_say_so_in_the_schema(
    where: tuple[str, str], values: set[str]
) -> None:
    model, name = where
    field = manifest_schema()["$defs"][model]["properties"][name]
    assert values <= _enum(field)
    assert set(field["x-inferred"]) == values
    description = field["description"]
    assert "Inferred, never seen in ACTITO's documentation:" in description
    listed = description.split("Inferred, never seen in ACTITO's documentation:")[1]
    assert all(value in listed for value in values)


def test_every_enum_with_an_inferred_value_is_listed_above() -> None:
    found = {
        (model, name)
        for model, body in manifest_schema()["$defs"].items()
        for name, field in body.get("properties", {}).items()
        if "x-inferred" in field
    }
    assert found == set(INFERRED)
