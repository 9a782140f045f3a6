"""Reading a list answer whole, or not at all.

A list read short turns into spurious creates in a plan (and, with deletes, into spurious
deletes), so a list whose wrapper we do not find, or that says more items exist than it holds,
fails the read instead of being taken at face value. The wrapper names and the absence of
pagination on structure lists are inferred (docs/api.md); this is where a wrong guess shows.

Paging markers are read strictly. Understood: a whole-number total (`totalCount`, `total`,
`totalElements`) and HAL `_links` holding `self` and `next`. Any other key of the wrapper that
reads like paging (`page`, `hasMore`, `nextPageToken`, `cursor`, a total given as text…) is a
marker this version does not understand, so the list may be partial: reading it whole fails,
and rows read with a limit are a lower bound. Paged lists (`page`, `pageSize`) are read page
by page by `api/resource.py`, each page checked here (`read_page`), where the paging markers
of a paged answer are understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from actito_iac.api.errors import UnexpectedResponse
from actito_iac.vocabulary import JSON

_TOTALS = ("totalCount", "total", "totalElements")
_LINKS = "_links"
_UNDERSTOOD_LINKS = frozenset({"self", "next"})
# Words of every paging scheme in use (offset/limit, page/size, cursors, tokens, HAL, totals).
_PAGING_WORDS = re.compile(
    r"page|next|more|cursor|token|offset|limit|size|count|total|continu|skip|scroll|"
    r"remaining|last|prev|link|after|before|start|end",
    re.IGNORECASE,
)


def listed(answer: Any, key: str, *, path: str) -> list[dict[str, JSON]]:
    """The items under `key`; raises UnexpectedResponse when there is no such list.

    Rows read with a limit use this alone: an answer we cannot read must say "unknown" in the
    plan, never "the table is empty".
    """
    if not isinstance(answer, dict) or not isinstance(answer.get(key), list):
        found = ", ".join(sorted(answer)) if isinstance(answer, dict) else type(answer).__name__
        raise UnexpectedResponse(
            "GET", path, 200, f"expected a list under {key!r}, found: {found or 'nothing'}"
        )
    items: list[dict[str, JSON]] = answer[key]
    return items


def says_more(answer: Any, count: int) -> bool:
    """Whether a list answer of `count` items says that more exist (a next link, a total), or
    holds paging markers this version does not understand (so more may exist)."""
    if not isinstance(answer, dict):
        return False
    links = answer.get(_LINKS)
    total = _total(answer)
    more = (isinstance(links, dict) and "next" in links) or (total is not None and total > count)
    return more or bool(unknown_markers(answer))


def unknown_markers(answer: dict[str, Any], key: str = "") -> list[str]:
    """The wrapper's paging markers this version does not understand, as `name=value`."""
    found = []
    for name, value in answer.items():
        if name == key:
            continue
        if name in _TOTALS:
            understood = _whole_number(value)
        elif name == _LINKS:
            understood = isinstance(value, dict) and set(value) <= _UNDERSTOOD_LINKS
        else:
            understood = not _PAGING_WORDS.search(name)
        if not understood:
            shown = repr(value)
            found.append(f"{name}={shown if len(shown) <= 40 else shown[:39] + '…'}")
    return found


def _whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _total(answer: dict[str, Any]) -> int | None:
    return next((answer[t] for t in _TOTALS if _whole_number(answer.get(t))), None)


def _objects(answer: Any, key: str, path: str) -> list[dict[str, JSON]]:
    """The list under `key`, checked to hold objects only."""
    items = listed(answer, key, path=path)
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            what = "null" if item is None else type(item).__name__
            raise UnexpectedResponse(
                "GET", path, 200, f"item {index} of the list {key!r} is {what}, not an object"
            )
    return items


def whole_list(answer: Any, key: str, *, path: str) -> list[dict[str, JSON]]:
    """The items under `key`, each an object; raises UnexpectedResponse for a missing list, a
    list of something else, or one that is or may be partial."""
    items = _objects(answer, key, path)
    unknown = unknown_markers(answer, key)
    if unknown:
        raise UnexpectedResponse(
            "GET",
            path,
            200,
            f"the list holds {len(items)} item(s) and paging information this version does "
            f"not understand ({', '.join(unknown)}); refusing to plan from a possibly partial "
            "list",
        )
    if says_more(answer, len(items)):
        total = _total(answer)
        said = f"{total} in all" if total is not None else "a next page"
        raise UnexpectedResponse(
            "GET",
            path,
            200,
            f"the list holds {len(items)} item(s) but says there are more ({said}); "
            "refusing to plan from a partial list",
        )
    return items


# -- paged lists ------------------------------------------------------------------------------

PAGE_MARKERS = frozenset({"page", "pageSize", "totalElements", "totalPages", "totalCount", "total"})
"""What a paged answer may say beside its list (0-based `page`). [INFER] ACTITO documents the
`page` and `pageSize` parameters of its paged lists, not the answer's markers: these are the
usual spellings, and each one found is checked."""
_PAGE_LINKS = frozenset({"self", "first", "last", "prev", "next"})


@dataclass(frozen=True)
class Page:
    items: list[dict[str, JSON]]
    total: int | None
    """How many items the whole list holds, when the answer says."""
    size: int | None
    """The page size the answer says it used (a server may cap the one asked for)."""


def read_page(answer: Any, key: str, page: int, *, path: str) -> Page:
    """One page of a paged list; UnexpectedResponse for an item that is not an object, a
    paging marker not understood, or one that contradicts the request (a server ignoring
    `page` would answer the first page again)."""
    items = _objects(answer, key, path)
    links = answer.get(_LINKS)
    paged_links = isinstance(links, dict) and set(links) <= _PAGE_LINKS
    unknown = [
        marker
        for marker in unknown_markers(answer, key)
        if marker.split("=", 1)[0] not in PAGE_MARKERS
        and not (marker.startswith(f"{_LINKS}=") and paged_links)
    ]
    if unknown:
        raise UnexpectedResponse(
            "GET",
            path,
            200,
            f"page {page} holds paging information this version does not understand "
            f"({', '.join(unknown)}); refusing to plan from a possibly partial list",
        )
    said = answer.get("page")
    if said is not None and said != page:
        raise UnexpectedResponse(
            "GET", path, 200, f"asked for page {page}, the answer is page {said!r}"
        )
    size = answer.get("pageSize")
    return Page(items, _total(answer), size if _whole_number(size) and size > 0 else None)
