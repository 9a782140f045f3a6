"""The sticky pull-request comment: one per pull request and environment, updated in place.

The comment is found by the hidden marker its body starts with (`<!-- actito-iac-plan:ENV -->`,
the first line of the CLI's Markdown plan): the pull request's comments are listed, page by
page, and the oldest one whose first line is the marker is edited; only when there is none is a
new one posted. A body quoting the marker does not match, as its first line starts with `>`.

GitHub refuses comment bodies over 65,536 characters; bodies are capped at 65,000, cut at a
line boundary, with any `<details>` or code fence left open closed again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from actito_iac.render import markdown

MARKER_PREFIX = "<!-- actito-iac-plan:"
COMMENT_LIMIT = 65_000
"""Characters; GitHub's own limit is 65,536."""
_MARKER_LINE = re.compile(r"^<!-- actito-iac-plan:[^\n>]*-->$")
_MAX_PAGES = 100
"""100 comments a page: 10,000 comments is more than any review thread holds."""
TRUNCATED_NOTE = (
    "\n\n> [!NOTE]\n> This comment was cut to fit GitHub's size limit; the full plan is in the "
    "job summary and the saved plan file of the run.\n"
)


def marker_for(environment: str) -> str:
    """The marker of an environment's plan, built as the CLI's Markdown builds it."""
    return markdown.marker(environment)


def marker_of(markdown: str) -> str | None:
    """The marker line a Markdown plan starts with, if it does."""
    first = markdown.split("\n", 1)[0].strip()
    return first if _MARKER_LINE.match(first) else None


def cap_body(body: str, limit: int = COMMENT_LIMIT, note: str = TRUNCATED_NOTE) -> str:
    """`body` if it fits in `limit` characters, else its head (whole lines) and `note`."""
    if len(body) <= limit:
        return body
    closers_room = 200  # enough for the closing tags of a few open sections
    budget = limit - len(note) - closers_room
    if budget <= 0:
        raise ValueError("limit too small for the truncation note")
    head = body[:budget]
    cut = head.rfind("\n")
    if cut > 0:
        head = head[:cut]
    closers = _closers(head)
    capped = head + closers + note
    if len(capped) > limit:  # pathological nesting: drop the closers rather than the limit
        capped = head + note
    return capped


def _closers(text: str) -> str:
    # A fence left open would swallow the note; an open <details> would hide it.
    closing = ""
    if sum(1 for line in text.split("\n") if line.lstrip().startswith("```")) % 2:
        closing += "\n```"
    open_details = text.count("<details") - text.count("</details>")
    closing += "\n</details>" * max(0, min(open_details, 10))
    return closing


class CommentError(Exception):
    """The GitHub API refused or failed a call; `status` is 0 when no answer came."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status} {message}" if status else message)
        self.status = status


@dataclass(frozen=True)
class Posted:
    action: str
    """created, updated, unchanged, or absent (nothing to update and creating not wanted)."""
    comment_id: int = 0
    url: str = ""


class StickyComment:
    """The issue-comments endpoints of one pull request (pull requests are issues there)."""

    def __init__(
        self,
        api_url: str,
        token: str,
        repository: str,
        number: int,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._api = api_url.rstrip("/")
        self._repository = repository
        self._number = number
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "actito-iac-action",
            },
        )

    def __enter__(self) -> StickyComment:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def upsert(self, marker: str, body: str, *, create: bool = True) -> Posted:
        """Edit the comment carrying `marker` to `body`, or post one when there is none."""
        body = cap_body(body)
        found = self.find(marker)
        if found is not None:
            comment_id = int(found["id"])
            url = str(found.get("html_url", ""))
            if found.get("body") == body:
                return Posted("unchanged", comment_id, url)
            updated = self._call(
                "PATCH",
                f"{self._api}/repos/{self._repository}/issues/comments/{comment_id}",
                json={"body": body},
            )
            return Posted("updated", comment_id, str(updated.get("html_url", url)))
        if not create:
            return Posted("absent")
        created = self._call(
            "POST",
            f"{self._api}/repos/{self._repository}/issues/{self._number}/comments",
            json={"body": body},
        )
        return Posted("created", int(created.get("id", 0)), str(created.get("html_url", "")))

    def find(self, marker: str) -> dict[str, Any] | None:
        for comment in self._comments():
            text = comment.get("body")
            if isinstance(text, str) and text.split("\n", 1)[0].strip() == marker:
                return comment
        return None

    def _comments(self) -> Iterator[dict[str, Any]]:
        url: str | None = (
            f"{self._api}/repos/{self._repository}/issues/{self._number}/comments?per_page=100"
        )
        for _ in range(_MAX_PAGES):
            if url is None:
                return
            response = self._send("GET", url)
            page = _json(response)
            if not isinstance(page, list):
                raise CommentError(response.status_code, "the comment list is not a JSON list")
            yield from (c for c in page if isinstance(c, dict))
            url = self._next_page(response)

    def _next_page(self, response: httpx.Response) -> str | None:
        # Follow GitHub's Link header, but only to the API the token is meant for.
        following = response.links.get("next", {}).get("url")
        if not following:
            return None
        if _origin(following) != _origin(self._api):
            raise CommentError(0, "the next page of comments points outside the GitHub API")
        return following

    def _call(self, method: str, url: str, *, json: dict[str, str]) -> dict[str, Any]:
        answer = _json(self._send(method, url, json=json))
        return answer if isinstance(answer, dict) else {}

    def _send(self, method: str, url: str, json: dict[str, str] | None = None) -> httpx.Response:
        try:
            response = self._client.request(method, url, json=json)
        except httpx.HTTPError as exc:
            raise CommentError(0, f"{method} {_path(url)} failed: {type(exc).__name__}") from None
        if response.status_code >= 300:
            raise CommentError(response.status_code, _message(response))
        return response


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise CommentError(response.status_code, "the answer is not JSON") from None


def _message(response: httpx.Response) -> str:
    try:
        answer = response.json()
    except ValueError:
        answer = None
    text = answer.get("message") if isinstance(answer, dict) else None
    shown = text if isinstance(text, str) and text else response.reason_phrase
    return f"{response.request.method} {_path(str(response.request.url))}: {shown[:300]}"


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _path(url: str) -> str:
    return urlsplit(url).path
