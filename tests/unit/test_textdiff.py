"""Line diffs of long texts in plans: counted whole, cut to the plan's limits, carried by
every rendering (JSON, Markdown, terminal) and masked like everything else."""

from __future__ import annotations

import io
import json

from rich.console import Console

from actito_iac.plan.model import Action, Change, FieldChange, Plan
from actito_iac.plan.select import Selection
from actito_iac.plan.textdiff import LINE_CHARS, MAX_CHARS, MAX_LINES, text_diff
from actito_iac.render.human import render_plan
from actito_iac.render.json_plan import dumps, plan_document, plan_from_document
from actito_iac.render.markdown import render_markdown
from actito_iac.render.masked import mask_plan
from actito_iac.secrets import Masker
from actito_iac.vocabulary import Address

PATH = ("content", "html")


def test_equal_texts_have_no_diff_and_counts_cover_the_whole_diff() -> None:
    assert text_diff(PATH, "a\nb", "a\nb") is None
    diff = text_diff(PATH, "a\nb\nc", "a\nB\nc\nd")
    assert diff is not None
    assert diff.text.splitlines() == ["@@ -1,3 +1,4 @@", " a", "-b", "+B", " c", "+d"]
    assert (diff.added, diff.removed, diff.more, diff.counts) == (2, 1, 0, "+2 −1 lines")


def test_a_big_diff_is_cut_to_the_limits_saying_how_much_is_left_out() -> None:
    after = "\n".join(f"line {i}" for i in range(1000))
    diff = text_diff(PATH, "", after)
    assert diff is not None
    assert len(diff.text.splitlines()) == MAX_LINES
    assert diff.added == 1000  # counted whole
    assert diff.more == 1001 - MAX_LINES  # the hunk header and the lines not shown
    assert diff.counts == f"+1,000 −0 lines, {diff.more:,} more diff lines not shown"
    wide = text_diff(PATH, "", "\n".join("x" * 900 for _ in range(100)))
    assert wide is not None
    assert len(wide.text) <= MAX_CHARS
    minified = text_diff(PATH, "", "<p>" * 10_000)
    assert minified is not None
    assert minified.text.splitlines()[1] == "+" + ("<p>" * 10_000)[: LINE_CHARS - 1] + (
        f" … ({30_001 - LINE_CHARS:,} more characters)"
    )


def plan() -> Plan:
    diff = text_diff(PATH, "<p>token-123</p>\n", "<p>Hello</p>\n")
    assert diff is not None
    field = FieldChange(PATH, "sha256:1 · 1 line", "sha256:2 · 1 line")
    change = Change(
        Address("B2C", "emailCampaign", "welcome"),
        Action.UPDATE,
        {"content": {"html": "sha256:1 · 1 line"}},
        {"content": {"html": "sha256:2 · 1 line"}},
        (field,),
        status="in definition",
        diffs=(diff,),
    )
    return Plan((change,))


def test_the_json_plan_carries_the_diff_and_reads_it_back() -> None:
    document = plan_document(plan(), environment="e", selection=Selection())
    (entry,) = json.loads(dumps(document))["changes"]
    assert entry["status"] == "in definition"
    assert entry["diffs"] == [
        {
            "path": ["content", "html"],
            "text": "@@ -1 +1 @@\n-<p>token-123</p>\n+<p>Hello</p>",
            "added": 1,
            "removed": 1,
            "more": 0,
        }
    ]
    assert plan_from_document(document) == plan()


def test_every_rendering_shows_the_diff_with_secrets_masked() -> None:
    masker = Masker()
    masker.add("token-123")
    masked = mask_plan(plan(), masker)
    text = render_markdown(masked, environment="e")
    assert "<details><summary><code>content.html</code>: +1 −1 lines</summary>" in text
    assert "-<p>***</p>" in text
    assert "token-123" not in text
    buffer = io.StringIO()
    render_plan(Console(file=buffer, no_color=True, width=200), masked)
    shown = buffer.getvalue()
    assert "~ update    B2C/emailCampaign/welcome (in definition)  [safe]" in shown
    assert "    content.html (diff, +1 −1 lines):\n      @@ -1 +1 @@\n      -<p>***</p>" in shown
