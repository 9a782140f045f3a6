"""What to say after an unknown name: the closest known one, and the names that exist.

Every "unknown X" message (a reference to a table, a scenario, an attribute, an event) ends
the same way, so a typo is fixed from the message alone:
`; did you mean 'shipping'? (scenarios: shipping, welcome)`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

SHOWN = 20
"""Names listed at most; a longer list says how many more there are."""
LONGEST = 80
"""Characters of one name shown at most: a name from a file or an answer may be huge."""


def quoted(name: str) -> str:
    """`'name'`, cut to LONGEST characters (`'abc…'`) so a message stays one readable line."""
    return repr(name if len(name) <= LONGEST else name[: LONGEST - 1] + "…")


def known_names(name: str, names: Iterable[str], plural: str) -> str:
    """`; did you mean 'x'? (PLURAL: a, b, c)`, or ` (there are no PLURAL)`."""
    existing = sorted(set(names))
    if not existing:
        return f" (there are no {plural})"
    listed = ", ".join(quoted(n)[1:-1] for n in existing[:SHOWN])
    if len(existing) > SHOWN:
        listed += f", … ({len(existing) - SHOWN} more)"
    guess = closest(name, existing)
    hint = f"; did you mean {quoted(guess)}?" if guess else ""
    return f"{hint} ({plural}: {listed})"


def closest(name: str, names: list[str]) -> str | None:
    """The known name `name` most likely misspells: the same but for letter case, else the
    closest by difflib's ratio (at least 0.6)."""
    folded = [n for n in names if n.casefold() == name.casefold() and n != name]
    if folded:
        return folded[0]
    found = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return found[0] if found else None
