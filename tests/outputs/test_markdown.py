"""The Markdown plan: marker, summary table, what needs attention first, the size limit."""

from __future__ import annotations

from dataclasses import replace

from actito_iac.plan.model import FieldChange, Plan
from actito_iac.render.markdown import MAX_CHARS, render_markdown

from .plans import blocked, create, drop, plan, unmanaged


def test_marker_first_then_the_summary_table() -> None:
    text = render_markdown(
        plan(create("A"), drop("B"), blocked("C"), unmanaged("D")), environment="staging"
    )

    lines = text.splitlines()
    assert lines[0] == "<!-- actito-iac-plan:staging -->"
    header = lines.index(
        "| create | update | replace | delete | blocked | manual | unmanaged | destructive |"
    )
    assert lines[header + 2] == "| 1 | 1 | 0 | 0 | 1 | 0 | 1 | 1 |"
    assert "apply needs `--allow-destructive`" in text


def test_destructive_then_blocked_changes_come_first() -> None:
    text = render_markdown(plan(create("A"), blocked("C"), drop("B")), environment="e")

    order = [text.index(f"<b>B2C/customTable/{name}</b>") for name in ("B", "C", "A")]
    assert order == sorted(order)
    assert "3 of 9 rows hold a value that would be lost" in text


def test_each_change_is_a_closed_details_section_with_its_field_changes() -> None:
    text = render_markdown(plan(drop("B"), unmanaged("D")), environment="e")

    assert text.count("<details>") == text.count("</details>") == 2
    assert (
        "```diff\n"
        "  attributes.gone  (destructive — 3 of 9 rows hold a value that would be lost)\n"
        "-   {valueType: STRING}\n"
        "```\n"
    ) in text
    assert "<code>B2C/customTable/D</code>: no manifest" in text


def test_no_changes_says_so() -> None:
    assert "**No changes.**" in render_markdown(plan(), environment="e")


def test_html_in_names_and_reasons_is_escaped_and_fences_outgrow_backticks() -> None:
    tricky = plan(
        replace(
            blocked("X"),
            fields=(FieldChange(("description",), "a", "<b>bold</b> ````"),),
            reason="</details><script>",
        )
    )

    text = render_markdown(tricky, environment="e")

    assert "</details><script>" not in text
    assert "&lt;/details&gt;&lt;script&gt;" in text
    assert "`````diff\n  description  (safe)\n-   a\n+   <b>bold</b> ````\n`````\n" in text


def big_plan(count: int = 400) -> Plan:
    return plan(*(create(f"Table{i:04}", attributes=20) for i in range(count)))


def test_a_big_plan_is_cut_by_whole_sections_under_the_default_limit() -> None:
    text = render_markdown(big_plan(), environment="e", full_plan="`plan.json`")

    assert len(text) <= MAX_CHARS
    assert text.count("<details>") == text.count("</details>")
    assert text.count("```") % 2 == 0
    assert "**Plan truncated:**" in text
    assert "The full plan is in `plan.json`" in text


def test_truncation_exactly_at_the_limit() -> None:
    small = plan(*(create(f"T{i}", attributes=3) for i in range(30)))
    full = render_markdown(small, environment="e", limit=10**9)
    assert "truncated" not in full

    exact = render_markdown(small, environment="e", limit=len(full))
    one_less = render_markdown(small, environment="e", limit=len(full) - 1)

    assert exact == full  # fits exactly: nothing cut
    assert len(one_less) <= len(full) - 1
    assert "**Plan truncated:**" in one_less
    shown = one_less.count("<details>")
    assert 0 < shown < 30
    assert f"{30 - shown} section(s) are not shown" in one_less


def test_each_ui_only_field_gets_its_own_bullet() -> None:
    from actito_iac.plan.model import Action, Change
    from actito_iac.vocabulary import Address, Risk

    fields = (
        FieldChange(("subscriptions", "A"), None, {}, Risk.SAFE, manual="add A in the UI"),
        FieldChange(("subscriptions", "B"), {}, None, Risk.DESTRUCTIVE, manual="delete B"),
    )
    change = Change(
        Address("B2C", "profileTable", "Customers"),
        Action.MANUAL,
        {},
        {},
        fields,
        Risk.DESTRUCTIVE,
        "add A in the UI; delete B",
    )
    text = render_markdown(Plan((change,)), environment="local")
    assert "- add A in the UI\n- delete B\n" in text
    assert "add A in the UI; delete B" not in text
