"""Partial runs: `--target` and `--exclude` applied to a Plan. Pure: a plan in, a smaller one out.

A target keeps its object and, transitively, what the object depends on (each change's
`depends_on`), so an apply of the selection can succeed on its own. An exclude drops its
object — unless a kept object needs it created first: applying that selection would fail
half-way, so it is refused up front. A pattern that matches nothing is refused as well: a
typo must not turn into "nothing to do".

Filtering the plan, rather than the manifests, keeps the whole licence read and compared, so
the objects left out are still checked, and a saved plan records exactly what was selected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from actito_iac.errors import ConfigError
from actito_iac.plan.model import Action, Plan
from actito_iac.suggest import closest
from actito_iac.vocabulary import Address


class SelectionError(ConfigError):
    """A --target or --exclude that cannot be honoured; nothing was changed."""


@dataclass(frozen=True)
class Selection:
    targets: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    prune: tuple[str, ...] = ()
    """The `--prune` values (`*` for a bare one): recorded with the plan, applied when
    planning (plan/prune.py), not by `select`."""

    def __bool__(self) -> bool:
        return bool(self.targets or self.excludes)


def matches(pattern: str, address: Address) -> bool:
    """`KIND/NAME` matches that object in every entity; `ENTITY/KIND/NAME` exactly one.

    Compared whole rather than split, because a name may hold `/` (a webhook subscription's
    key holds its target URL)."""
    if "/" not in pattern:
        raise SelectionError(f"{pattern!r}: write KIND/NAME or ENTITY/KIND/NAME")
    return pattern in (address.short, str(address))


def select(plan: Plan, selection: Selection) -> Plan:
    """The changes of the selected objects, in the plan's order."""
    if not selection:
        return plan
    addresses = sorted({c.address for c in plan.changes})
    kept = set(addresses)
    if selection.targets:
        kept = _closure(plan, _matching(selection.targets, addresses, "--target"))
    excluded = _matching(selection.excludes, addresses, "--exclude")
    _check_needed(plan, kept - excluded, excluded)
    return Plan(tuple(c for c in plan.changes if c.address in kept - excluded))


def _matching(patterns: Iterable[str], addresses: list[Address], option: str) -> set[Address]:
    found: set[Address] = set()
    for pattern in patterns:
        hits = {a for a in addresses if matches(pattern, a)}
        if not hits:
            # Offered as the user wrote it: KIND/NAME, or ENTITY/KIND/NAME.
            forms = [str(a) if pattern.count("/") >= 2 else a.short for a in addresses]
            guess = closest(pattern, forms)
            raise SelectionError(
                f"{option} {pattern}: no such object in the manifests or the licence"
                + (f"; did you mean {guess!r}?" if guess else "")
            )
        found |= hits
    return found


def _closure(plan: Plan, start: set[Address]) -> set[Address]:
    depends: dict[Address, set[Address]] = {}
    for change in plan.changes:
        depends.setdefault(change.address, set()).update(change.depends_on, change.runs_after)
    kept: set[Address] = set()
    todo = list(start)
    while todo:
        address = todo.pop()
        if address not in kept:
            kept.add(address)
            todo.extend(d for d in depends.get(address, ()) if d in depends)
    return kept


def _check_needed(plan: Plan, kept: set[Address], excluded: set[Address]) -> None:
    created = {c.address for c in plan.changes if c.action is Action.CREATE}
    needed = sorted(
        {
            (change.address, dep, dep in change.runs_after)
            for change in plan.changes
            if change.address in kept
            for dep in (*(d for d in change.depends_on if d in created), *change.runs_after)
            if dep in excluded
        }
    )
    if needed:
        raise SelectionError("; ".join(_needed_message(*n) for n in needed))


def _needed_message(address: Address, dependency: Address, stops_relying: bool) -> str:
    if stops_relying:
        why = (
            f"it relies on {address.short}, and its change (or deletion) must come before "
            f"{address.short}'s"
        )
    else:
        why = (
            f"{address.short} depends on it and it does not exist yet (the plan creates it)"
        )
    return (
        f"--exclude {dependency.short}: {why}; stop excluding it, or exclude "
        f"{address.short} too"
    )
