"""Field-level differences between two canonical specs.

Canonical specs are nested dicts whose leaves are scalars or lists; lists are atomic values in
ACTITO's model (accepted values, operators' values), already sorted where ACTITO treats them as
sets. That makes a twenty-line walk exact, where a general-purpose deep diff would have to be
told, path by path, not to descend into lists or match items by similarity.
"""

from __future__ import annotations

from actito_iac.vocabulary import JSON, Path, fits


def field_differences(before: JSON, after: JSON, path: Path = ()) -> list[tuple[Path, JSON, JSON]]:
    """Every leaf path where `before` and `after` differ, sorted by path.

    A key present on one side only yields (path, None, value) or (path, value, None), with the
    whole sub-document as the value: adding an attribute is one change, not five.
    """
    if before == after:  # equal sub-documents, most of any plan: compared in C, not walked
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[tuple[Path, JSON, JSON]] = []
        for key in sorted(set(before) | set(after)):
            sub = (*path, str(key))
            if key not in before:
                out.append((sub, None, after[key]))
            elif key not in after:
                out.append((sub, before[key], None))
            else:
                out.extend(field_differences(before[key], after[key], sub))
        return out
    if before == after:
        return []
    return [(path, before, after)]


def drop_undeclared(
    before: JSON, after: JSON, patterns: frozenset[Path], at: Path = ()
) -> JSON:
    """`before` without the fields at `patterns` (paths, ANY for any key) that `after` leaves
    out, at every level both sides share.

    Such fields are managed only where declared: leaving one out of a manifest keeps whatever
    the licence has, instead of planning its removal. They are paths, not key names: an
    attribute named `description` is an attribute, never an undeclared display text. `before`
    itself is returned when nothing is left out (a large plan then holds one copy of each live
    form, not two).
    """
    if not (isinstance(before, dict) and isinstance(after, dict)) or before == after:
        return before  # equal sides (an unchanged object): nothing is left out, compared in C
    out: dict[str, JSON] = {}
    dropped = False
    for key, value in before.items():
        if key in after:
            other = after[key]
            if isinstance(value, dict) and isinstance(other, dict):
                kept = drop_undeclared(value, other, patterns, (*at, key))
                dropped = dropped or kept is not value
                out[key] = kept
            else:
                out[key] = value
        elif not any(fits((*at, key), p) for p in patterns):
            out[key] = value
        else:
            dropped = True
    return out if dropped else before
