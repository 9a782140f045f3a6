"""Secret values: a string that never prints itself, and the masker every output goes through.

`Secret`: `str()`, `repr()` and f-strings all give the mask; only `reveal()` gives the value,
and only the code that must send it (the API client's token exchange) calls it.

`Masker`: the set of secret values one run knows (its API keys, the `${secret:…}` values its
manifests used). It is applied twice, on purpose:
- to values, by the renderers: a string that holds a secret becomes `*** (sha256:…)`, the
  digest of the whole string, so a reviewer still sees *that* a secret field changed;
- to text, by the CLI's output streams and file writers: any occurrence left anywhere (an API
  error echoing a request body, a log line) becomes `***`. This is the guarantee; the first is
  what makes masked plans readable.

A server may echo a secret back encoded: base64 (a Basic header, a JWT-like token, a debug
dump), URL-encoded (a query string), JSON-escaped. Each secret is therefore also masked in
those forms (`encoded_forms`). Base64 of a secret inside a longer text depends on where it
starts modulo 3, so the part of each of the three alignments that the secret alone determines
is masked; at most a few characters mixed with the neighbouring bytes remain. And any
credential written the way an Authorization header writes it (`Bearer …`, `Basic …`) is masked
whether the run knows it or not: a token of another session is still a credential.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any
from urllib.parse import quote, quote_plus

import orjson

MASK = "***"

ENCODED_AT_LEAST = 8
"""Encoded forms shorter than this are not masked: they would match ordinary text."""

_CREDENTIAL = re.compile(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{8,}")


def encoded_forms(value: str) -> set[str]:
    """The forms of `value` a server might echo, other than the value itself."""
    raw = value.encode("utf-8", "surrogatepass")
    forms = {quote(value, safe=""), quote_plus(value, safe=""), json.dumps(value)[1:-1]}
    forms.add(json.dumps(value)[1:-1].replace("/", "\\/"))
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        for offset in range(3):
            encoded = encode(bytes(offset) + raw).decode("ascii")
            # Characters made only of the secret's bits: after the prefix's, before the end.
            start = -(-offset * 8 // 6)
            end = (offset + len(raw)) * 8 // 6
            forms.add(encoded[start:end])
    return {f for f in forms if f != value and len(f) >= ENCODED_AT_LEAST}


def mask_credentials(text: str) -> str:
    """`Bearer <anything>` and `Basic <anything>` with the credential replaced by the mask."""
    return _CREDENTIAL.sub(rf"\1\2{MASK}", text) if _may_hold_credential(text) else text


def _may_hold_credential(text: str) -> bool:
    """False only where _CREDENTIAL cannot match: ASCII text without either word in any case.
    (The expression scans tens of microseconds per page of text; this, one.) Text beyond
    ASCII is left to the expression: ignoring case, it matches letters `lower` keeps apart
    (the long s of `baſic`)."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return "bearer" in lowered or "basic" in lowered


def fingerprint(value: str) -> str:
    """A short stable digest, to compare secret values without showing them."""
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()[:12]


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def fingerprint(self) -> str:
        return fingerprint(self._value)

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({MASK})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


WHOLE_WORD_BELOW = 6
"""Secrets shorter than this are masked as whole words only."""


class Masker:
    """Replaces known secret values; it learns them as the run discovers them."""

    def __init__(self, *values: str) -> None:
        self._values: set[str] = set()
        self._short: dict[str, re.Pattern[str]] = {}
        self._ordered: list[str] = []
        for value in values:
            self.add(value)

    def add(self, value: str | Secret) -> None:
        text = value.reveal() if isinstance(value, Secret) else value
        if text:  # an empty value would match everywhere and hides nothing
            self._values.add(text)
            self._values.update(encoded_forms(text))
            if len(text) < WHOLE_WORD_BELOW:
                # A very short secret ("k", "1234") would otherwise be cut out of every word
                # that contains it, corrupting plans and files; it is masked where it stands
                # alone.
                self._short[text] = re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])")
            # Longest first, so a secret that contains another is masked whole. Text without
            # any is passed through after one `in` per value (most of what a run prints): an
            # expression of them all scanned several times slower.
            self._ordered = sorted(self._values, key=lambda v: (-len(v), v))

    def __bool__(self) -> bool:
        return bool(self._values)

    def holds_secret(self, text: str) -> bool:
        # Found as a substring first (`in`: several times faster than one expression for
        # all); a short secret counts where it stands alone.
        if any(self._found(v, text) for v in self._ordered if v in text):
            return True
        return _may_hold_credential(text) and bool(_CREDENTIAL.search(text))

    def _found(self, value: str, text: str) -> bool:
        short = self._short.get(value)
        return bool(short.search(text)) if short else value in text

    def holds_secret_deep(self, value: Any) -> bool:
        if isinstance(value, str):
            return self.holds_secret(value)
        if isinstance(value, dict):
            return any(
                self.holds_secret_deep(v) or self.holds_secret(str(k)) for k, v in value.items()
            )
        if isinstance(value, list):
            return any(self.holds_secret_deep(v) for v in value)
        return False

    def opaque(self, value: Any) -> str:
        """A whole value shown only as its fingerprint (for a value that is, or was, secret)."""
        text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
        return f"{MASK} ({fingerprint(text)})"

    def text(self, text: str) -> str:
        """Every occurrence of a secret replaced by the mask; longest first, so a secret that
        contains another is masked whole."""
        if not any(v in text for v in self._ordered):
            return mask_credentials(text)
        for value in self._ordered:
            short = self._short.get(value)
            if short is not None:
                text = short.sub(MASK, text)
            elif value in text:
                text = text.replace(value, MASK)
        return mask_credentials(text)

    def holds_none(self, *values: Any) -> bool:
        """Whether no text in these JSON values (keys included) holds a secret: one scan over
        all their texts joined, which finds everything a walk would (a NUL between two texts
        keeps each one's edges, where a short secret must stand alone), and may only find
        more (a secret across two texts), never less."""
        try:
            # The values as JSON text, written in C: every text appears in it as it is, between
            # quotes (which keep edges as a NUL does), unless JSON escaped something in it.
            written = orjson.dumps(values).decode()
        except TypeError:  # a key not text, a number past 64 bits: the walk copes
            written = "\\"
        if "\\" not in written:
            return not self.holds_secret(written)
        texts: list[str] = []
        _texts(values, texts)
        return not self.holds_secret("\x00".join(texts))

    def value(self, value: Any) -> Any:
        """A JSON value with every string that holds a secret shown as its fingerprint."""
        if isinstance(value, str):
            return self.opaque(value) if self.holds_secret(value) else value
        if isinstance(value, dict):
            return {self.text(str(k)): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value


def _texts(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            out.append(str(key))
            _texts(item, out)
    elif isinstance(value, list | tuple):
        for item in value:
            _texts(item, out)
