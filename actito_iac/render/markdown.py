"""The plan as Markdown for pull-request comments and job summaries.

Built for review: a hidden marker first (`<!-- actito-iac-plan:<environment> -->`, so a
workflow can find and update its own comment), a summary table, then the changes that need a
reviewer's attention — destructive, then blocked — before the others, each in a collapsed
`<details>` section. Unchanged objects are counted, not listed.

A long text (an e-mail's HTML) comes as its own collapsed line diff with its line counts, so
a reviewer can approve a content change from the comment alone. Changes are shown in ```diff
blocks, so GitHub colours them: a created object's fields as
added lines, each changed field as a plain line naming it (with its risk), its old value removed
and its new value added. No line is wider than `LINE` characters: a long value is broken over
lines in YAML form (render/blocks.py) instead of running off the side of the comment.

GitHub refuses comments over 65,536 characters. The text never exceeds `limit` (65,000 by
default, leaving room for a workflow's own header): whole sections are left out from the end,
and a note says how many and where the full plan is. Never a cut in the middle of a section,
which would leave an unclosed code block or `<details>` swallowing the rest of the page.
"""

from __future__ import annotations

import html
import re
import textwrap

from actito_iac.plan.model import EXECUTABLE, Action, Change, Plan, unsaid_reason
from actito_iac.plan.select import Selection
from actito_iac.plan.textdiff import TextDiff
from actito_iac.render.blocks import block
from actito_iac.render.values import leaves, reason_lines
from actito_iac.vocabulary import Risk, Source, source_mark

MAX_CHARS = 65_000
LINE = 100
"""The widest line of a diff block: what a pull-request comment shows without scrolling."""
MARKER = "<!-- actito-iac-plan:{environment} -->"
FULL_PLAN = "the saved JSON plan (`plan --out FILE`, kept as the workflow's artifact)"

SYMBOL = {
    Action.CREATE: "+",
    Action.UPDATE: "~",
    Action.REPLACE: "±",
    Action.DELETE: "-",
    Action.MANUAL: "»",
    Action.BLOCKED: "!",
    Action.UNMANAGED: "?",
    Action.NO_OP: "=",
}
TABLE = (
    ("create", Action.CREATE),
    ("update", Action.UPDATE),
    ("replace", Action.REPLACE),
    ("delete", Action.DELETE),
    ("blocked", Action.BLOCKED),
    ("manual", Action.MANUAL),
    ("unmanaged", Action.UNMANAGED),
)


def render_markdown(
    plan: Plan,
    *,
    environment: str,
    selection: Selection | None = None,
    limit: int = MAX_CHARS,
    full_plan: str | None = None,
) -> str:
    """`full_plan` says where the whole plan is, for the truncation note."""
    full_plan = full_plan or FULL_PLAN
    head = _header(plan, environment, selection or Selection())
    sections = _sections(plan)
    full = head + "".join(sections)
    if len(full) <= limit:
        return full
    budget = limit - len(_note(len(sections), full_plan))  # the longest note it can need
    text, shown = head, 0
    for section in sections:
        if len(text) + len(section) > budget:
            break
        text += section
        shown += 1
    text += _note(len(sections) - shown, full_plan)
    return text[:limit]  # only a header longer than the limit itself is ever cut


def marker(environment: str) -> str:
    """The hidden line a workflow finds its comment by; the name cannot close the comment."""
    return MARKER.format(environment=re.sub(r"[<>\r\n]", "_", environment))


def _note(omitted: int, full_plan: str) -> str:
    return (
        f"\n> **Plan truncated:** {omitted} section(s) are not shown, to stay within GitHub's "
        f"size limit. The full plan is in {full_plan}; `actito-iac show FILE` prints it.\n"
    )


def _header(plan: Plan, environment: str, selection: Selection) -> str:
    counts = plan.count()
    destructive = plan.risks().get(Risk.DESTRUCTIVE, 0)
    names = [name for name, _ in TABLE] + ["destructive"]
    values = [str(counts.get(action, 0)) for _, action in TABLE] + [str(destructive)]
    lines = [
        marker(environment),
        f"### actito-iac plan: `{_code(environment)}`",
        "",
        "| " + " | ".join(names) + " |",
        "|" + "---:|" * len(names),
        "| " + " | ".join(values) + " |",
        "",
    ]
    if selection:
        chosen = [f"`--target {t}`" for t in selection.targets]
        chosen += [f"`--exclude {e}`" for e in selection.excludes]
        lines += ["Partial plan: " + " ".join(chosen), ""]
    if selection.prune:
        pruned = " ".join(f"`--prune {k}`" if k != "*" else "`--prune`" for k in selection.prune)
        lines += [f"Objects in no manifest are deleted where planned: {pruned}", ""]
    if counts.get(Action.BLOCKED):
        lines += [
            "⛔ **Blocked changes:** apply refuses them; change the manifests as explained.",
            "",
        ]
    if destructive:
        lines += ["⚠️ **Destructive changes:** apply needs `--allow-destructive`.", ""]
    if not plan.has_changes:
        lines += ["✅ **No changes.** The licence matches the manifests.", ""]
    unknown = [c for c in plan.changes if c.not_compared]
    if unknown:
        lines += ["Not compared, as ACTITO's answers do not carry them:", ""]
        lines += [f"- `{_code(str(c.address))}`: {', '.join(c.not_compared)}" for c in unknown]
        lines += [""]
    return "\n".join(lines) + "\n"


def _sections(plan: Plan) -> list[str]:
    shown = [c for c in plan.changes if c.action not in (Action.NO_OP, Action.UNMANAGED)]
    first = [c for c in shown if _urgency(c) < 2]
    ordered = sorted(first, key=_urgency) + [c for c in shown if _urgency(c) == 2]
    sections = [_section(c) for c in ordered]
    unmanaged = [c for c in plan.changes if c.action is Action.UNMANAGED]
    if unmanaged:
        sections.append(_unmanaged(unmanaged))
    return sections


def _urgency(change: Change) -> int:
    """0: destructive, 1: blocked, 2: the rest (stable sort keeps the plan's order)."""
    if change.action in EXECUTABLE:
        return 0 if change.risk is Risk.DESTRUCTIVE else 2
    return 1 if change.action is Action.BLOCKED else 2


def _section(change: Change) -> str:
    risk = ""
    if change.action in EXECUTABLE:
        risk = f" — {'⚠️ ' if change.risk is Risk.DESTRUCTIVE else ''}{change.risk}"
    impact = f" ({html.escape(change.impact)})" if change.impact else ""
    status = f" ({html.escape(change.status)})" if change.status else ""
    title = (
        f"<code>{SYMBOL[change.action]} {change.action}</code> "
        f"<b>{html.escape(str(change.address))}</b>{status}{html.escape(risk)}{impact}"
    )
    body = _fenced(_lines(change)) + "".join(_diff(d) for d in change.diffs)
    steps = [
        _with_mark(f.blocked or f.replace or f.manual, f.source)
        for f in change.fields
        if f.blocked or f.replace or f.manual
    ]
    # One bullet per forbidden, replacing or UI-only field: its own way forward.
    reason = "".join(f"- {html.escape(step)}\n" for step in dict.fromkeys(steps))
    reason += "\n" if steps else ""
    lines = reason_lines(unsaid_reason(change))
    if len(lines) == 1:
        reason += f"{html.escape(lines[0])}\n\n"
    elif lines:  # one bullet per object the change would break
        reason += "".join(f"- {html.escape(line)}\n" for line in lines) + "\n"
    return f"<details><summary>{title}</summary>\n\n{body}{reason}</details>\n\n"


def _lines(change: Change) -> list[str]:
    """The diff block's lines: `+ ` added, `- ` removed, `  ` naming what changed."""
    lines: list[str] = []
    if change.creates and change.after is not None:
        for path, value in leaves(change.after):
            lines += _marked("+", block(path, value, LINE - 2))
    if change.action is Action.DELETE and change.before is not None:
        for path, value in leaves(change.before):
            lines += _marked("-", block(path, value, LINE - 2))
    for field in change.fields:
        what = field.verdict[0]
        note = f"{what}, {field.risk}" if what else f"{field.risk}"
        if what == "blocked":
            note = what
        mark = source_mark(field.source)
        if mark:
            note += f", {mark}"
        if field.impact:
            note += f" — {field.impact}"
        head = textwrap.wrap(
            f"{field.dotted}  ({note})", LINE - 2, subsequent_indent="    ", break_long_words=False
        )
        lines += _marked(" ", head)
        for sign, value in (("-", field.before), ("+", field.after)):
            if value is not None:
                lines += _marked(sign, block("", value, LINE - 4), indent="  ")
    return lines


def _with_mark(text: str, source: Source | None) -> str:
    """A step or reason whose rule is not documented ends with the mark: "(inferred)"."""
    mark = source_mark(source)
    return f"{text} ({mark})" if mark else text


def _diff(diff: TextDiff) -> str:
    """A long text's line diff, collapsed: its line counts in the summary, the diff (cut to
    the plan's limits, saying how much is left out) in a diff block."""
    more = f"\n{diff.more:,} more diff lines not shown.\n\n" if diff.more else ""
    summary = f"<code>{html.escape(diff.dotted)}</code>: {html.escape(diff.counts)}"
    block = _fenced([part for line in diff.text.splitlines() for part in _folded(line)])
    return f"<details><summary>{summary}</summary>\n\n{block}{more}</details>\n\n"


def _folded(line: str) -> list[str]:
    """A diff line wider than LINE in pieces, each with the line's sign and `↪` after the
    first, so the comment does not scroll sideways and every piece keeps its colour."""
    if len(line) <= LINE:
        return [line]
    sign, text = line[:1], line[1:]
    width = LINE - 2
    pieces = [text[i : i + width] for i in range(0, len(text), width)]
    return [sign + pieces[0]] + [f"{sign}↪{piece}" for piece in pieces[1:]]


def _marked(sign: str, lines: list[str], indent: str = "") -> list[str]:
    return [f"{sign} {indent}{line}".rstrip() for line in lines]


def _unmanaged(changes: list[Change]) -> str:
    items = "".join(
        f"- <code>{html.escape(str(c.address))}</code>: {html.escape(c.reason)}\n" for c in changes
    )
    title = f"<code>? unmanaged</code> <b>{len(changes)} object(s)</b> in no manifest"
    return f"<details><summary>{title}</summary>\n\n{items}\n</details>\n\n"


def _fenced(lines: list[str]) -> str:
    """A code block whose fence is longer than any run of backticks inside it."""
    if not lines:
        return ""
    text = "\n".join(lines)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}diff\n{text}\n{fence}\n\n"


def _code(text: str) -> str:
    return text.replace("`", "'")
