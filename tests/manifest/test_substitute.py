"""`${env:NAME}` references: whole values, inside text, several per string, escapes, errors."""

from __future__ import annotations

import pytest

from actito_iac.errors import SourceLocation
from actito_iac.kinds.custom_table import CustomTableSpec
from actito_iac.manifest.loader import load
from actito_iac.manifest.substitute import Source, sources, substitute

from .conftest import ORDERS, Problems, Write, place

ENV = sources({"ENTITY": "B2C", "A": "x", "B": "y", "EMPTY": "", "TRICKY": "${env:A}"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("${env:ENTITY}", "B2C"),
        ("pre-${env:A}-post", "pre-x-post"),
        ("${env:A}${env:B} and ${env:A}", "xy and x"),
        ("${env:EMPTY}", ""),
        ("$${env:A}", "${env:A}"),
        ("$$${env:A}", "$${env:A}"),  # leftmost first: `$` then the escape `$${`
        ("$$ ${env:A}", "$$ x"),  # `$$` alone is no escape
        ("cost: 5$ ${env:A}", "cost: 5$ x"),
        ("${env:TRICKY}", "${env:A}"),  # a substituted value is not scanned again
    ],
)
def test_substitution(text: str, expected: str) -> None:
    assert substitute(text, ENV) == (expected, [])


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (
            "${env:NOPE}",
            ["environment variable NOPE is not set (referenced as '${env:NOPE}')"],
        ),
        (
            "${env:N1}-${env:N2}",
            [
                "environment variable N1 is not set (referenced as '${env:N1}')",
                "environment variable N2 is not set (referenced as '${env:N2}')",
            ],
        ),
        (
            "${vault:X}",
            ["unknown source 'vault' in '${vault:X}' (known sources: env, secret, var)"],
        ),
        (
            "${NAME}",
            [
                "'${NAME}' is not a reference: write ${env:NAME}, ${var:NAME}, "
                "${secret:NAME}, or $${NAME} for the text itself (ACTITO's personalisation "
                "${NAME} in an e-mail's subject, say)"
            ],
        ),
        (
            "${a.b}",
            [
                "malformed reference '${a.b}': write ${env:NAME}, ${var:NAME} or "
                "${secret:NAME} ($${ for a literal '${')"
            ],
        ),
        (
            "${env:}",
            [
                "malformed reference '${env:}': write ${env:NAME}, ${var:NAME} or "
                "${secret:NAME} ($${ for a literal '${')"
            ],
        ),
        ("${env:A", ["unclosed '${': write $${ for a literal '${'"]),
    ],
)
def test_problems_leave_the_reference_as_written(text: str, problems: list[str]) -> None:
    assert substitute(text, ENV) == (text, problems)


def test_a_new_source_is_one_mapping_entry() -> None:
    known = {**ENV, "var": Source("variable", {"region": "eu"}.get)}

    assert substitute("${var:region}/${env:A}", known) == ("eu/x", [])
    assert substitute("${var:zone}", known)[1] == [
        "variable zone is not set (referenced as '${var:zone}')"
    ]


def test_references_are_substituted_before_validation(write: Write) -> None:
    text = ORDERS.replace("entity: B2C", "entity: ${env:ENTITY}").replace(
        "name: Orders", "name: ${env:PREFIX}Orders"
    )
    path = write("env.yaml", text)

    (table,) = load([path], {"ENTITY": "B2C", "PREFIX": "Web"}).objects

    assert str(table.address) == "B2C/customTable/WebOrders"


def test_an_unset_variable_is_reported_at_its_value(write: Write, problems: Problems) -> None:
    text = ORDERS.replace("[NEW, SHIPPED, CANCELED]", "[NEW, '${env:THIRD_STATUS}']")
    path = write("unset.yaml", text)

    (diagnostic,) = problems([path], {"OTHER": "1"})

    assert diagnostic.location == SourceLocation("unset.yaml", *place(text, "'${env:"))
    assert diagnostic.field == "customTables[0].attributes[2].acceptedValues[1]"
    assert "THIRD_STATUS" in diagnostic.message


def test_an_escaped_reference_is_kept_literally(write: Write) -> None:
    text = ORDERS.replace("[NEW, SHIPPED, CANCELED]", "['$${NEW}', SHIPPED]")
    path = write("escape.yaml", text)

    (table,) = load([path], {}).objects

    assert isinstance(table.spec, CustomTableSpec)
    assert table.spec.attributes[2].acceptedValues == ["${NEW}", "SHIPPED"]


def test_a_substituted_value_is_never_shown_in_a_message(write: Write, problems: Problems) -> None:
    text = ORDERS.replace("valueType: STRING, accepted", "valueType: '${env:SECRET}', accepted")
    path = write("secret.yaml", text)

    (diagnostic,) = problems([path], {"SECRET": "hunter2-value"})

    assert "hunter2" not in str(diagnostic)
    assert "'${env:SECRET}' (after substitution) is not allowed" in diagnostic.message
