"""Reading a list answer whole, or not at all.

A list read short turns into spurious creates in a plan (and, with deletes, into spurious
deletes), so a list whose wrapper we do not find, or that says more items exist than it holds,
fails the read instead of being taken at face value. The wrapper names and the absence of
pagination on structure lists are inferred (docs/api.md); this is where a wrong guess shows.
Paged lists (`page`, `pageSize`) are read page by page by `api/resource.py`, each page checked
here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from actito_iac.api.errors import UnexpectedResponse
from actito_iac.vocabulary import JSON

_TOTALS = ("totalCount", "total", "totalElements")


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
    """Whether a list answer of `count` items says that more exist (a next link, a total)."""
    if not isinstance(answer, dict):
        return False
    links = answer.get("_links")
    total = _total(answer)
    return (isinstance(links, dict) and "next" in links) or (total is not None and total > count)


def _total(answer: dict[str, Any]) -> int | None:
    return next((answer[t] for t in _TOTALS if isinstance(answer.get(t), int)), None)


def whole_list(answer: Any, key: str, *, path: str) -> list[dict[str, JSON]]:
    """The items under `key`; raises UnexpectedResponse for a missing or partial list."""
    items = listed(answer, key, path=path)
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

PAGE_MARKERS = frozenset(
    {"page", "pageSize", "totalElements", "totalPages", "totalCount", "total", "_links"}
)
"""The paging markers a paged answer may carry beside its list (0-based `page`). [INFER]
ACTITO documents the `page`/`pageSize` parameters of its paged lists, not the answer's
markers; these are the usual spellings, and each one found is checked."""

_PAGING_WORDS = re.compile(r"(?i)page|cursor|token|next|offset|more|scroll|continu|total|count")


@dataclass(frozen=True)
class Page:
    items: list[dict[str, JSON]]
    total: int | None
    """How many items the whole list holds, when the answer says."""
    size: int | None
    """The page size the answer says it used (a server may cap the one asked for)."""


def read_page(answer: Any, key: str, page: int, *, path: str) -> Page:
    """One page of a paged list; UnexpectedResponse for a marker that is not understood or
    that contradicts the request (a server ignoring `page` would repeat the first page)."""
    items = listed(answer, key, path=path)
    unknown = sorted(k for k in answer if k not in PAGE_MARKERS and k != key)
    strange = [k for k in unknown if _PAGING_WORDS.search(k)]
    if strange:
        raise UnexpectedResponse(
            "GET",
            path,
            200,
            f"unrecognised paging marker(s) {', '.join(strange)}; "
            "refusing to plan from a list that may be partial",
        )
    links = answer.get("_links")
    if isinstance(links, dict) and set(links) - {"self", "first", "last", "prev", "next"}:
        extra = ", ".join(sorted(set(links) - {"self", "first", "last", "prev", "next"}))
        raise UnexpectedResponse("GET", path, 200, f"unrecognised paging link(s) {extra}")
    said_page = answer.get("page")
    if said_page is not None and said_page != page:
        raise UnexpectedResponse(
            "GET", path, 200, f"asked for page {page}, the answer is page {said_page!r}"
        )
    size = answer.get("pageSize")
    return Page(items, _total(answer), size if isinstance(size, int) and size > 0 else None)
