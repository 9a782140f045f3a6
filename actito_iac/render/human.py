"""The terminal rendering of plans, apply outcomes and diagnostics (rich).

Colour is rich's decision: on for a terminal, off for pipes and files, off with NO_COLOR.
The text without colour is the same, so CI logs read like the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape

from actito_iac.apply_result import ApplyResult, Outcome, Status
from actito_iac.errors import ApplyInterrupted, Diagnostic, Severity
from actito_iac.plan.model import (
    EXECUTABLE,
    Action,
    Change,
    ManualStep,
    Plan,
    unsaid_reason,
)
from actito_iac.plan.textdiff import TextDiff
from actito_iac.render.values import flow, leaves, reason_lines
from actito_iac.vocabulary import Risk, source_mark

SYMBOL = {
    Action.CREATE: ("+", "green"),
    Action.UPDATE: ("~", "yellow"),
    Action.REPLACE: ("±", "yellow bold"),
    Action.DELETE: ("-", "red"),
    Action.MANUAL: ("»", "magenta"),
    Action.BLOCKED: ("!", "red bold"),
    Action.UNMANAGED: ("?", "dim"),
    Action.NO_OP: ("=", "dim"),
}
RISK_STYLE = {Risk.SAFE: "green", Risk.MAY_FAIL_ON_DATA: "yellow", Risk.DESTRUCTIVE: "red bold"}
SUMMARY_ORDER = (
    Action.CREATE,
    Action.UPDATE,
    Action.REPLACE,
    Action.DELETE,
    Action.MANUAL,
    Action.BLOCKED,
    Action.UNMANAGED,
    Action.NO_OP,
)
LABEL = {
    Action.CREATE: "to create",
    Action.UPDATE: "to update",
    Action.REPLACE: "to replace",
    Action.DELETE: "to delete",
    Action.MANUAL: "manual",
    Action.BLOCKED: "blocked",
    Action.UNMANAGED: "unmanaged",
    Action.NO_OP: "unchanged",
}


def summary_line(plan: Plan) -> str:
    counts = plan.count()
    parts = [f"{counts.get(a, 0)} {LABEL[a]}" for a in SUMMARY_ORDER]
    risks = plan.risks()
    risk = ", ".join(f"{risks.get(r, 0)} {r}" for r in Risk)
    return f"Plan: {', '.join(parts)} (risk: {risk})"


def render_plan(console: Console, plan: Plan, *, title: str = "") -> None:
    if title:
        console.print(f"[bold]{escape(title)}[/bold]")
    console.print(escape(summary_line(plan)))
    lines: list[Line] = []
    for change in plan.changes:
        if change.action is not Action.NO_OP:
            lines.append(("", False))
            lines += _change_lines(change)
        if len(lines) >= _LINES_PER_PRINT:
            _print_lines(console, lines)
            lines = []
    _print_lines(console, lines)
    unknown = not_compared(plan)
    if unknown:
        console.print()
        console.print("[dim]Not compared, as ACTITO's answers do not carry them:[/]")
        for line in unknown:
            console.print(f"[dim]  ? {escape(line)}[/]")
    if not plan.has_changes:
        console.print()
        console.print("[green]No changes.[/green] The licence matches the manifests.")


Line = tuple[str, bool]
"""A line of markup, and whether it is printed as it is (no highlighting, no emoji codes: a
line of a text's diff, which must show the text exactly)."""

_LINES_PER_PRINT = 500
"""Lines given to rich at once. Each `print` costs far more than a line of markup (it looks up
the terminal, its size, the environment), so a plan of ten thousand creates is printed in a
few hundred calls rather than one per line: same text, a tenth of the time."""


def _print_lines(console: Console, lines: list[Line]) -> None:
    """The lines in as few prints as their kind allows (runs of plain and of exact lines)."""
    start = 0
    for end in range(1, len(lines) + 1):
        if end == len(lines) or lines[end][1] != lines[start][1]:
            text = "\n".join(line for line, _ in lines[start:end])
            if lines[start][1]:
                console.print(text, highlight=False, emoji=False)
            else:
                console.print(text)
            start = end


def not_compared(plan: Plan) -> list[str]:
    """`ADDRESS: part, part` for each object with parts the live answer did not show."""
    return [f"{c.address}: {', '.join(c.not_compared)}" for c in plan.changes if c.not_compared]


def _change_lines(change: Change) -> list[Line]:
    """The change as markup lines: its header, its fields, its texts' diffs."""
    symbol, style = SYMBOL[change.action]
    risk = ""
    if change.action in EXECUTABLE:
        risk = f"  [{RISK_STYLE[change.risk]}]\\[{change.risk}][/]"
    if change.impact:
        risk += f" ({escape(change.impact)})"
    status = f" [dim]({escape(change.status)})[/]" if change.status else ""
    address = escape(str(change.address))
    lines: list[Line] = [
        (f"[{style}]{symbol} {change.action:<9}[/] [bold]{address}[/]{status}{risk}", False)
    ]
    if change.creates and change.after is not None:
        for path, value in leaves(change.after):
            lines.append((f"    [green]+ {escape(path)}: {escape(flow(value))}[/]", False))
    if change.action is Action.DELETE and change.before is not None:
        for path, value in leaves(change.before):
            lines.append((f"    [red]- {escape(path)}: {escape(flow(value))}[/]", False))
    said: set[str] = set()
    for field in change.fields:
        values = f"{flow(field.before)} → {flow(field.after)}"
        line = f"    {escape(field.dotted)}: {escape(values)}"
        what, detail = field.verdict
        risk = f"[{RISK_STYLE[field.risk]}]{field.risk}[/]"
        note = "  [red]blocked[/]" if what == "blocked" else f"  {VERDICT_STYLE[what]}{risk}"
        note += _marked(source_mark(field.source))
        if field.impact:
            note += f" — {escape(field.impact)}"
        lines.append((line + note, False))
        if detail and detail not in said:  # each forbidden, UI-only or replacing field says why
            lines.append((f"      [dim]↳ {escape(detail)}[/]", False))
            said.add(detail)
    for diff in change.diffs:
        lines += _diff_lines(diff)
    # Each reliance a blocked change would break says itself how sure it is (references.py).
    for line in reason_lines(unsaid_reason(change)):
        lines.append((f"    [dim]{escape(line)}[/]", False))
    return lines


VERDICT_STYLE = {"": "", "replace": "[yellow]replace[/] ", "manual": "[magenta]manual[/] "}


def _marked(mark: str) -> str:
    """A verdict's rule that is not documented says so, right after the verdict."""
    return f" [cyan]({mark})[/]" if mark else ""


DIFF_STYLE = {"+": "green", "-": "red", "@": "cyan"}


def _diff_lines(diff: TextDiff) -> list[Line]:
    """A long text's line diff, indented under its change, coloured as `git diff` does."""
    lines: list[Line] = [(f"    {escape(diff.dotted)} (diff, {escape(diff.counts)}):", False)]
    for line in diff.text.splitlines():
        style = DIFF_STYLE.get(line[:1], "")
        text = escape(f"      {line}")
        lines.append((f"[{style}]{text}[/]" if style else text, True))
    if diff.more:
        lines.append((f"      [dim]… {diff.more:,} more diff lines not shown[/]", False))
    return lines


def render_outcome(console: Console, outcome: Outcome) -> None:
    mark = {Status.DONE: "[green]✓ done[/]", Status.FAILED: "[red]✗ failed[/]"}.get(
        outcome.status, "[yellow]- skipped[/]"
    )
    detail = f": {escape(outcome.message)}" if outcome.message else ""
    console.print(f"{mark}  {outcome.action} {escape(str(outcome.address))}{detail}")


def render_apply_summary(console: Console, result: ApplyResult) -> None:
    done = sum(1 for o in result.outcomes if o.status is Status.DONE)
    failed = sum(1 for o in result.outcomes if o.status is Status.FAILED)
    skipped = sum(1 for o in result.outcomes if o.status is Status.SKIPPED)
    style = "green" if result.ok else "red"
    console.print(f"[{style}]Apply: {done} done, {failed} failed, {skipped} skipped.[/]")
    if not result.ok:
        console.print("Run plan again to see what is left; apply is safe to re-run.")


def render_manual_steps(console: Console, steps: tuple[ManualStep, ...]) -> None:
    """What an apply leaves to a person, one step per line with where to go in the UI."""
    if not steps:
        return
    console.print(
        f"[magenta]Manual steps still to do ({len(steps)}):[/] the API cannot make them, "
        "and apply did not."
    )
    for step in steps:
        console.print(f"  [magenta]»[/] {escape(str(step.address))}: {escape(step.text)}")
    console.print("Once they are done, run plan: it no longer lists them.")


def render_interrupted(console: Console, stopped: ApplyInterrupted) -> None:
    """What an interrupted apply did: changed, in flight, not started (each in plan order)."""
    if not (stopped.changed or stopped.in_flight or stopped.not_changed):
        console.print("[yellow]Interrupted[/] before any change was made; nothing was changed.")
        return
    console.print("[yellow]Interrupted.[/] Where the apply stopped:")
    groups = [
        ("changed", "green", "✓", stopped.changed),
        ("in flight: may or may not have been applied", "yellow", "?", stopped.in_flight),
        ("failed or skipped, not changed", "red", "✗", stopped.not_changed),
        ("not started, not changed", "dim", "-", stopped.not_started),
    ]
    for title, style, mark, lines in groups:
        if lines:
            console.print(f"  [{style}]{title} ({len(lines)}):[/]")
            for line in lines:
                console.print(f"    {mark} {escape(line)}")
    console.print("Run plan to see where the licence stands; apply is safe to re-run.")


def render_diagnostics(console: Console, diagnostics: Iterable[Diagnostic]) -> None:
    for d in diagnostics:
        style = "red" if d.severity is Severity.ERROR else "yellow"
        where = f"{d.location}: " if d.location else ""
        field = f"{d.field}: " if d.field else ""
        console.print(f"{escape(where)}[{style}]{d.severity}[/]: {escape(field + d.message)}")
