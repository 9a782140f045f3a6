"""The terminal rendering of plans, apply outcomes and diagnostics (rich).

Colour is rich's decision: on for a terminal, off for pipes and files, off with NO_COLOR.
The text without colour is the same, so CI logs read like the terminal. Where rich would print
bare text (a pipe, a file), the plan's changes are written as rich would write them, without
its rendering (`_plain`): a CI log of ten thousand creates is printed in a seventh of the time.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.control import strip_control_codes
from rich.markup import escape
from rich.text import Text

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
            lines.append(())
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


Part = tuple[str, str]
"""A piece of a line: its text, exactly as shown, and its rich style ("" for none)."""

Line = tuple[Part, ...]
"""A line of the plan's changes. Built as parts rather than markup: there is nothing to escape,
and nothing for rich to parse again (parsing a plan of ten thousand creates took seconds)."""

_LINES_PER_PRINT = 500
"""Lines given to rich at once. Each `print` costs far more than a line (it looks up the
terminal, its size, the environment), so a plan of ten thousand creates is printed in a few
hundred calls rather than one per line: same text, a tenth of the time."""


def _print_lines(console: Console, lines: list[Line]) -> None:
    if not lines:
        return
    if _plain(console):
        console.file.write("".join(_plain_text(console, line) + "\n" for line in lines))
        console.file.flush()  # as rich does: a CI log keeps stdout and stderr in their order
        return
    console.print(Text("\n").join(Text.assemble(*line) for line in lines))


def _plain(console: Console) -> bool:
    """Whether rich would print the lines as bare text: no colour or style to write (a pipe, a
    file, a dumb terminal), and no wrapping. The lines are then written as rich would write
    them, without rich's rendering, which costs as much as the rest of a large plan."""
    return console.color_system is None and console.soft_wrap and not console.record


def _plain_text(console: Console, line: Line) -> str:
    """The line as rich prints it without style: control codes left out, tabs expanded."""
    text = strip_control_codes("".join(part for part, _ in line))
    if "\t" in text:
        expanded = Text(text)
        expanded.expand_tabs(console.tab_size)
        return expanded.plain
    return text


def not_compared(plan: Plan) -> list[str]:
    """`ADDRESS: part, part` for each object with parts the live answer did not show."""
    return [f"{c.address}: {', '.join(c.not_compared)}" for c in plan.changes if c.not_compared]


def _change_lines(change: Change) -> list[Line]:
    """The change as lines: its header, its fields, its texts' diffs."""
    symbol, style = SYMBOL[change.action]
    head: list[Part] = [
        (f"{symbol} {change.action:<9}", style),
        (" ", ""),
        (str(change.address), "bold"),
    ]
    if change.status:
        head += [(" ", ""), (f"({change.status})", "dim")]
    if change.action in EXECUTABLE:
        head += [("  ", ""), (f"[{change.risk}]", RISK_STYLE[change.risk])]
    if change.impact:
        head.append((f" ({change.impact})", ""))
    lines: list[Line] = [tuple(head)]
    if change.creates and change.after is not None:
        for path, value in leaves(change.after):
            lines.append((("    ", ""), (f"+ {path}: {flow(value)}", "green")))
    if change.action is Action.DELETE and change.before is not None:
        for path, value in leaves(change.before):
            lines.append((("    ", ""), (f"- {path}: {flow(value)}", "red")))
    said: set[str] = set()
    for field in change.fields:
        line: list[Part] = [(f"    {field.dotted}: {flow(field.before)} → {flow(field.after)}", "")]
        what, detail = field.verdict
        if what == "blocked":
            line += [("  ", ""), ("blocked", "red")]
        else:
            line.append(("  ", ""))
            if what:
                line += [(what, VERDICT_STYLE[what]), (" ", "")]
            line.append((str(field.risk), RISK_STYLE[field.risk]))
        mark = source_mark(field.source)
        if mark:  # a verdict's rule that is not documented says so, right after the verdict
            line += [(" ", ""), (f"({mark})", "cyan")]
        if field.impact:
            line.append((f" — {field.impact}", ""))
        lines.append(tuple(line))
        if detail and detail not in said:  # each forbidden, UI-only or replacing field says why
            lines.append((("      ", ""), (f"↳ {detail}", "dim")))
            said.add(detail)
    for diff in change.diffs:
        lines += _diff_lines(diff)
    # Each reliance a blocked change would break says itself how sure it is (references.py).
    for reason in reason_lines(unsaid_reason(change)):
        lines.append((("    ", ""), (reason, "dim")))
    return lines


VERDICT_STYLE = {"replace": "yellow", "manual": "magenta"}

DIFF_STYLE = {"+": "green", "-": "red", "@": "cyan"}


def _diff_lines(diff: TextDiff) -> list[Line]:
    """A long text's line diff, indented under its change, coloured as `git diff` does."""
    lines: list[Line] = [((f"    {diff.dotted} (diff, {diff.counts}):", ""),)]
    for line in diff.text.splitlines():
        lines.append(((f"      {line}", DIFF_STYLE.get(line[:1], "")),))
    if diff.more:
        lines.append((("      ", ""), (f"… {diff.more:,} more diff lines not shown", "dim")))
    return lines


OUTCOME_MARK = {Status.DONE: ("✓ done", "green"), Status.FAILED: ("✗ failed", "red")}


def render_outcome(console: Console, outcome: Outcome) -> None:
    mark = OUTCOME_MARK.get(outcome.status, ("- skipped", "yellow"))
    detail = f": {outcome.message}" if outcome.message else ""
    _print_lines(console, [(mark, (f"  {outcome.action} {outcome.address}{detail}", ""))])


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
