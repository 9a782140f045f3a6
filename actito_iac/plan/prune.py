"""Live objects in no manifest: listed as unmanaged, or — only when asked — deleted.

Nothing is ever deleted implicitly. `--prune` (every kind the API can delete) or `--prune KIND`
(repeatable) turns the unmanaged objects of those kinds into `delete` changes, which are
destructive, so apply also needs `--allow-destructive`: asked twice. A kind the API cannot
delete stays unmanaged and says why; naming it in `--prune` is an error, not a silent no-op.

A delete that would break an object that stays — one in the manifests that still refers to it,
or a live one that is kept — is planned as blocked, naming that object. An object ACTITO
refuses to delete in its present state (a campaign that was sent: `Kind.refuse_delete`) stays
unmanaged and the plan says why: it is history, not a mistake to fix, so it does not block
the pruning of everything else (a blocked change would stop the whole apply).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from actito_iac.actual import Actual
from actito_iac.constants import EVERY_KIND as EVERY_KIND  # defined there for the CLI
from actito_iac.errors import ConfigError
from actito_iac.kinds.base import Kind
from actito_iac.plan.model import Action, Change
from actito_iac.suggest import closest
from actito_iac.vocabulary import Address, Risk

UNMANAGED_REASON = "exists in the licence but in no manifest; left untouched"


@dataclass(frozen=True)
class Prune:
    """Which kinds' unmanaged objects to delete: `kinds` by name, or every deletable kind."""

    kinds: frozenset[str] = frozenset()
    every: bool = False

    def __bool__(self) -> bool:
        return self.every or bool(self.kinds)

    def covers(self, kind: Kind) -> bool:
        return kind.capabilities.delete.supported and (self.every or kind.name in self.kinds)


def prune_of(values: Iterable[str], kinds: Sequence[Kind]) -> Prune:
    """The `--prune` values checked: each a kind the API can delete, or `*`."""
    wanted = list(values)
    if EVERY_KIND in wanted:
        return Prune(every=True)
    by_name = {k.name: k for k in kinds}
    for name in wanted:
        kind = by_name.get(name)
        if kind is None:
            guess = closest(name, sorted(by_name))
            known = f"did you mean {guess!r}? " if guess else ""
            raise ConfigError(
                f"--prune {name}: no such kind ({known}kinds: {', '.join(sorted(by_name))}); "
                "a bare --prune prunes every kind the API can delete — write manifest paths "
                "before it, or --prune=KIND"
            )
        if not kind.capabilities.delete.supported:
            why = kind.capabilities.delete.note or "not in the API"
            raise ConfigError(f"--prune {name}: a {kind.label} cannot be deleted ({why})")
    return Prune(frozenset(wanted))


def leftovers(
    actual: Actual,
    entities: Iterable[str],
    planned: Iterable[Address],
    kinds: Mapping[str, Kind],
    prune: Prune,
) -> list[Change]:
    """A change for each live object of the managed entities that no manifest names:
    `delete` where pruned, else `unmanaged` (saying why it cannot be deleted, if so)."""
    managed, taken = set(entities), set(planned)
    out = []
    for address in sorted(actual.objects):
        if address.entity not in managed or address in taken:
            continue
        kind = kinds[address.kind]
        live = actual.objects[address].spec
        before, status = kind.canonical(live), kind.status(live)
        refused = kind.refuse_delete(live) if prune.covers(kind) else ""
        if prune.covers(kind) and not refused:
            reason = "in no manifest: --prune deletes it"
            delete = Change(
                address, Action.DELETE, before, None, risk=Risk.DESTRUCTIVE, reason=reason
            )
            out.append(replace(delete, status=status))
        else:
            reason = f"{UNMANAGED_REASON}: --prune cannot delete it, {refused}"
            kept = Change(address, Action.UNMANAGED, before, None, reason=reason)
            if not refused:
                kept = replace(kept, reason=_why_kept(kind))
            out.append(replace(kept, status=status))
    return out


def _why_kept(kind: Kind) -> str:
    if not kind.capabilities.delete.supported:
        return f"{UNMANAGED_REASON} (a {kind.name} cannot be deleted through the API)"
    return f"{UNMANAGED_REASON} (plan --prune {kind.name} would delete it)"
