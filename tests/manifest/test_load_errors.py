"""Invalid manifests: every problem at its file:line:col, with its field path, in one error."""

from __future__ import annotations

from pathlib import Path

import pytest

from actito_iac.errors import ManifestError, Severity, SourceLocation
from actito_iac.kinds.registry import KINDS
from actito_iac.manifest.loader import load, manifest_files

from .conftest import ORDERS, Problems, Write, place


def broken(old: str, new: str) -> str:
    """ORDERS with one fragment replaced (which must be there)."""
    assert old in ORDERS
    return ORDERS.replace(old, new, 1)


def test_yaml_syntax_error_at_its_line_and_column(write: Write, problems: Problems) -> None:
    path = write("bad.yaml", "entity: B2C\ncustomTables:\n  - name: [Orders\n")

    (diagnostic,) = problems([path])

    assert diagnostic.location == SourceLocation("bad.yaml", 4, 1)
    assert "YAML syntax error" in diagnostic.message
    assert "line 3, column 11" in diagnostic.message  # where the unclosed list began


def test_duplicate_key_names_both_lines(write: Write, problems: Problems) -> None:
    path = write("dup.yaml", broken("    creationTime: orderMoment\n", "    type: INTERACTIONS\n"))

    (diagnostic,) = problems([path])

    assert str(diagnostic) == (
        "dup.yaml:7:5: error: duplicate key 'type': already defined at line 5"
    )


def test_unknown_field_at_its_key_with_path_and_suggestion(
    write: Write, problems: Problems
) -> None:
    text = broken("mandatory: true, unique", "mandatroy: true, unique")
    path = write("typo.yaml", text)

    (typo,) = problems([path])

    assert typo.location == SourceLocation("typo.yaml", *place(text, "mandatroy"))
    assert typo.field == "customTables[0].attributes[0].mandatroy"
    assert typo.message == "unknown field 'mandatroy' (did you mean 'mandatory'?)"


def test_unknown_field_without_a_close_name_lists_the_known_ones(
    write: Write, problems: Problems
) -> None:
    text = broken("    primaryKey: orderId\n", "    primaryKey: orderId\n    retention: 30\n")
    path = write("extra.yaml", text)

    (diagnostic,) = problems([path])

    assert diagnostic.location == SourceLocation("extra.yaml", *place(text, "retention"))
    assert diagnostic.message.startswith("unknown field 'retention' (known fields: name, ")
    assert "primaryKey, creationTime" in diagnostic.message


def test_wrong_type_says_what_was_expected_and_what_was_found(
    write: Write, problems: Problems
) -> None:
    text = broken("mandatory: true, unique", 'mandatory: "yes", unique')
    path = write("type.yaml", text)

    (diagnostic,) = problems([path])

    line, column = place(text, '"yes"')
    assert str(diagnostic) == (
        f"type.yaml:{line}:{column}: error: customTables[0].attributes[0].mandatory: "
        "expected true or false, got text 'yes'"
    )


def test_wrong_literal_lists_the_allowed_values(write: Write, problems: Problems) -> None:
    text = broken("{name: status, valueType: STRING", "{name: status, valueType: STRNG")
    path = write("lit.yaml", text)

    (diagnostic,) = problems([path])

    assert diagnostic.location == SourceLocation("lit.yaml", *place(text, "STRNG"))
    assert diagnostic.field == "customTables[0].attributes[2].valueType"
    assert diagnostic.message == (
        "'STRNG' is not allowed; expected one of: STRING, LONG, INTEGER, NUMBER, TIMESTAMP, "
        "BOOLEAN, DATE (did you mean 'STRING'?)"
    )


def test_missing_required_field_at_its_mapping(write: Write, problems: Problems) -> None:
    path = write("miss.yaml", broken("    primaryKey: orderId\n", ""))

    (diagnostic,) = problems([path])

    assert str(diagnostic) == (
        "miss.yaml:4:5: error: customTables[0].primaryKey: missing required field 'primaryKey'"
    )


def test_missing_entity(write: Write, problems: Problems) -> None:
    path = write("noentity.yaml", broken("entity: B2C\n", ""))

    (diagnostic,) = problems([path])

    assert str(diagnostic) == "noentity.yaml:2:1: error: entity: missing required field 'entity'"


def test_a_document_that_is_not_a_mapping(write: Write, problems: Problems) -> None:
    path = write("list.yaml", "entity: B2C\n---\n- entity: B2C\n---\njust text\n")

    diagnostics = problems([path])

    sections = ", ".join(k.section for k in KINDS)  # every registered kind's
    assert sections.startswith("profileTables, customTables")
    assert [str(d) for d in diagnostics] == [
        "list.yaml: error: document 3 is the value 'just text'; a manifest document is a "
        f"mapping with 'entity:' and kind sections ({sections})",
        "list.yaml:3:1: error: document 2 is a list; a manifest document is a mapping with "
        f"'entity:' and kind sections ({sections})",
    ]


def test_a_section_that_is_not_a_list(write: Write, problems: Problems) -> None:
    path = write("section.yaml", "entity: B2C\ncustomTables:\n  name: Orders\n")

    (diagnostic,) = problems([path])

    assert str(diagnostic) == (
        "section.yaml:3:3: error: customTables: expected a list, got a mapping"
    )


def test_the_same_table_in_two_files_names_both_places(
    write: Write, problems: Problems
) -> None:
    write("m/a.yaml", ORDERS)
    write("m/b.yaml", "entity: X\n---\n" + ORDERS)

    # Same name in another entity is no duplicate; same entity is.
    diagnostics = problems([Path("m")])

    assert [str(d) for d in diagnostics] == [
        "m/b.yaml:6:5: error: customTables[0]: customTable 'Orders' of entity 'B2C' "
        "is already defined at m/a.yaml:4"
    ]


def test_the_same_table_twice_in_one_list(write: Write, problems: Problems) -> None:
    table = ORDERS.split("customTables:\n", 1)[1]
    path = write("twice.yaml", ORDERS + table)

    (diagnostic,) = problems([path])

    assert diagnostic.location == SourceLocation("twice.yaml", 12, 5)
    assert diagnostic.message.endswith("is already defined at twice.yaml:4")


@pytest.mark.parametrize(
    ("old", "new", "at", "field", "message"),
    [
        (
            "mandatory: true, unique: true",
            "mandatory: true",
            ("orderId", 1),  # the value of primaryKey
            "customTables[0].primaryKey",
            "attribute 'orderId' must be mandatory and unique",
        ),
        (
            "{name: orderMoment, valueType: TIMESTAMP",
            "{name: orderMoment, valueType: STRING",
            ("orderMoment", 1),  # the value of creationTime
            "customTables[0].creationTime",
            "attribute 'orderMoment' must be a TIMESTAMP",
        ),
        (
            "{name: status,",
            "{name: orderId,",
            ("orderId", 3),  # the second attribute of that name
            "customTables[0].attributes[2].name",
            "duplicate attribute 'orderId'",
        ),
        (
            "acceptedValues: [NEW, SHIPPED, CANCELED]",
            "acceptedValues: [NEW, NEW]",
            ("[NEW, NEW]", 1),
            "customTables[0].attributes[2].acceptedValues",
            "a value is listed twice",
        ),
    ],
)
def test_kind_checks_are_placed_at_their_field(
    write: Write,
    problems: Problems,
    old: str,
    new: str,
    at: tuple[str, int],
    field: str,
    message: str,
) -> None:
    text = broken(old, new)
    path = write("check.yaml", text)

    (diagnostic,) = problems([path])

    assert (diagnostic.location, diagnostic.field, diagnostic.message) == (
        SourceLocation("check.yaml", *place(text, *at)),
        field,
        message,
    )


def test_a_valid_table_is_still_checked_beside_a_broken_one(
    write: Write, problems: Problems
) -> None:
    path = write(
        "two.yaml",
        """\
        entity: B2C
        customTables:
          - name: Broken
            primaryKey: id
            attributes: [{name: id, valueType: NOPE}]
          - name: Checked
            primaryKey: nothere
            attributes: [{name: id, valueType: STRING}]
        """,
    )

    diagnostics = problems([path])

    assert [(d.location.line if d.location else 0, d.field) for d in diagnostics] == [
        (5, "customTables[0].attributes[0].valueType"),
        (7, "customTables[1].primaryKey"),
    ]
    assert diagnostics[1].message == "unknown attribute 'nothere' (attributes: id)"


def test_every_problem_of_every_file_in_one_error_sorted_by_place(
    write: Write, problems: Problems
) -> None:
    one = broken("mandatory: true, unique", "mandatroy: true, unique")
    three = ORDERS.replace("valueType: STRING", "valueType: TEXT")
    write("m/1.yaml", one)
    write("m/2.yaml", "entity: B2C\ncustomTables: [\n")
    write("m/3.yaml", three)

    diagnostics = problems([Path("m"), Path("missing.yaml")])

    assert [str(d.location) for d in diagnostics] == [
        "missing.yaml",
        "m/1.yaml:{}:{}".format(*place(one, "mandatroy")),
        "m/2.yaml:3:1",
        "m/3.yaml:{}:{}".format(*place(three, "TEXT", 1)),
        "m/3.yaml:{}:{}".format(*place(three, "TEXT", 2)),
    ]
    assert diagnostics[0].message == "no such file or folder"
    assert all(d.severity is Severity.ERROR for d in diagnostics)


def test_manifest_files_reports_every_missing_path(write: Write) -> None:
    write("a.yaml", ORDERS)

    with pytest.raises(ManifestError) as info:
        manifest_files([Path("nope"), Path("a.yaml"), Path("gone/x.yaml")])

    assert [str(d) for d in info.value.diagnostics] == [
        "nope: error: no such file or folder",
        "gone/x.yaml: error: no such file or folder",
    ]


def test_a_file_that_is_not_utf8(write: Write, problems: Problems) -> None:
    path = Path("latin1.yaml")
    path.write_bytes("entity: Caf\xe9\n".encode("latin-1"))

    (diagnostic,) = problems([path])

    assert str(diagnostic).startswith("latin1.yaml: error: not UTF-8 text")


def test_unsupported_yaml_features_are_reported(write: Write, problems: Problems) -> None:
    text = """\
entity: !custom B2C
customTables:
  - name: T
    primaryKey: id
    attributes:
      - {name: id, valueType: STRING, mandatory: true, unique: true, acceptedValues: !!set {a}}
      - {name: b, valueType: STRING, acceptedValues: [!!binary aGk=]}
      - {name: c, valueType: STRING, 12: x}
"""
    path = write("features.yaml", text)

    def at(fragment: str) -> SourceLocation:
        return SourceLocation("features.yaml", *place(text, fragment))

    diagnostics = problems([path])

    found = [(d.location, d.message) for d in diagnostics]
    assert found == [
        (at("!custom"), "YAML tag !custom is not supported; remove it"),
        (at("!!set"), "YAML sets (!!set) are not supported; write a list"),
        (at("!!binary"), "unsupported YAML value: binary (!!binary)"),
        (at("12"), "keys must be text; quote the key 12"),
    ]


def test_a_recursive_alias_is_reported_not_followed(write: Write, problems: Problems) -> None:
    path = write("loop.yaml", "entity: B2C\ncustomTables: &t\n  - *t\n")

    diagnostics = problems([path])

    assert diagnostics, "a recursive document must not load"
    assert all(d.severity is Severity.ERROR for d in diagnostics)


def test_load_succeeds_again_after_fixing(write: Write) -> None:
    path = write("ok.yaml", ORDERS)

    assert len(load([path], {}).objects) == 1


def test_an_event_rule_naming_an_attribute_not_in_its_table_is_placed_with_a_guess(
    write: Write, problems: Problems
) -> None:
    text = ORDERS + (
        "    events:\n"
        "      - name: order-shipped\n"
        "        rules:\n"
        "          - operation: UPDATE\n"
        "            anyAttribute: [statsu]\n"
        '            before: [{attribute: status, operator: "!=", value: SHIPPED}]\n'
        '            after: [{attribute: stauts, operator: "=", value: SHIPPED}]\n'
    )
    path = write("events.yaml", text)

    diagnostics = problems([path])

    rule = "customTables[0].events[0].rules[0]"
    known = "(attributes: orderId, orderMoment, status)"
    assert [(d.location, d.field, d.message, d.severity) for d in diagnostics] == [
        (
            SourceLocation("events.yaml", *place(text, "statsu")),
            f"{rule}.anyAttribute[0]",
            f"unknown attribute 'statsu'; did you mean 'status'? {known}",
            Severity.ERROR,
        ),
        (
            SourceLocation("events.yaml", *place(text, "stauts")),
            f"{rule}.after[0].attribute",
            f"unknown attribute 'stauts'; did you mean 'status'? {known}",
            Severity.ERROR,
        ),
    ]
