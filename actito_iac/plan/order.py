"""Execution order from references: what an object depends on comes first; cycles are errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from graphlib import CycleError, TopologicalSorter

from actito_iac.vocabulary import Address


class ReferenceCycle(Exception):
    def __init__(self, cycle: list[Address]) -> None:
        self.cycle = cycle
        super().__init__(" -> ".join(str(a) for a in cycle))


def topological(
    nodes: Iterable[Address], edges: Mapping[Address, Iterable[Address]]
) -> list[Address]:
    """Nodes ordered so that each comes after the nodes it depends on.

    Deterministic: every batch of ready nodes is sorted, so equal inputs give equal plans.
    Dependencies on nodes outside `nodes` (objects that already exist) are ignored.
    """
    wanted = set(nodes)
    sorter: TopologicalSorter[Address] = TopologicalSorter()
    for node in sorted(wanted):
        sorter.add(node, *sorted(d for d in edges.get(node, ()) if d in wanted and d != node))
    try:
        sorter.prepare()
    except CycleError as exc:
        raise ReferenceCycle(list(exc.args[1])) from None
    order: list[Address] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order.extend(ready)
        sorter.done(*ready)
    return order
