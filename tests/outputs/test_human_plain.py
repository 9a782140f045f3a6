"""A plan and an apply's outcomes printed to a pipe or a file (no colour, no wrapping) are
written without rich's rendering, which cost as much as the rest of a plan of ten thousand
creates. They must read exactly as rich would have printed them, whatever the texts hold:
tabs, control codes, brackets that look like markup, wide characters, line breaks."""

from __future__ import annotations

import io
from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console

from actito_iac.apply_result import Outcome, Status
from actito_iac.plan.model import Action, Change, FieldChange, Plan
from actito_iac.plan.textdiff import TextDiff
from actito_iac.render import human
from actito_iac.vocabulary import Address, Risk, Source


def every_shape(text: str) -> Plan:
    """`text` in every place a line of the plan's changes shows something of the licence's."""
    address = Address("B2C", "customTable", f"T{text}")
    fields = (
        FieldChange(("attributes", text), text, [text, 1], Risk.DESTRUCTIVE, replace=text),
        FieldChange(("type",), None, {text: True}, blocked=text, source=Source.INFER),
        FieldChange(("description",), text, "", Risk.MAY_FAIL_ON_DATA, manual=text, impact=text),
    )
    diff = TextDiff(("content", "html"), f"@@ -1 +1 @@\n-{text}\n+\t{text}\n {text}", 1, 1, 3)
    return Plan(
        (
            Change(address, Action.CREATE, None, {"attributes": {text: {"valueType": text}}}),
            Change(
                address,
                Action.UPDATE,
                {},
                {},
                fields,
                Risk.DESTRUCTIVE,
                status=text,
                impact=text,
                diffs=(diff,),
            ),
            Change(address, Action.BLOCKED, {}, {}, fields[1:2], reason=f"{text}; it would break"),
            Change(address, Action.DELETE, {"name": text, "links": {text: [text]}}, None),
        )
    )


def render(console: Console, text: str) -> None:
    human.render_plan(console, every_shape(text), title="plan")
    address = Address("B2C", "customTable", text)
    for status in Status:
        human.render_outcome(console, Outcome(address, Action.UPDATE, status, text))
    human.render_outcome(console, Outcome(address, Action.CREATE, Status.DONE))


def printed(text: str, *, through_rich: bool) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, highlight=False, soft_wrap=True, emoji=False)  # as the CLI's
    assert human._plain(console)
    if through_rich:
        with mock.patch.object(human, "_plain", return_value=False):
            render(console, text)
    else:
        render(console, text)
    return buffer.getvalue()


TEXTS = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)


@settings(max_examples=150, deadline=None)
@given(TEXTS)
@example("a\tb")
@example("日本\t語")
@example("\x1b[31mred\x07\r\x08\x0b\x0c")
@example("[bold]x[/] \\[y] \\\\[z]")
@example(":smile: line\nbreak")
def test_the_plain_writer_writes_what_rich_would_print(text: str) -> None:
    assert printed(text, through_rich=False) == printed(text, through_rich=True)


def test_a_colour_terminal_still_gets_rich_and_its_styles() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", soft_wrap=True)
    assert not human._plain(console)

    render(console, "x")

    out = buffer.getvalue()
    assert "    \x1b[32m+ attributes.x: {valueType: x}\x1b[0m" in out  # a create's field: green
    assert "\x1b[1;31m[destructive]\x1b[0m" in out  # the risk in its colour, brackets shown
    assert "\x1b[31m✗ failed\x1b[0m  update B2C/customTable/x: x" in out
