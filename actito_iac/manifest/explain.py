"""pydantic validation errors -> Diagnostics a person can act on, placed at their YAML line.

pydantic's messages speak of Python ("Input should be a valid dictionary or instance of …");
these speak of the manifest: "unknown field 'mandatroy' (did you mean 'mandatory'?)",
"'STRNG' is not allowed; expected one of: STRING, LONG, …".

Values are shown as the user wrote them: a string that held `${…}` is shown with its reference,
never with the substituted value, which may be a secret.
"""

from __future__ import annotations

import difflib
import itertools
import re
import types
import typing
from collections.abc import Callable, Collection, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from actito_iac.errors import Diagnostic, Severity, SourceLocation
from actito_iac.manifest.locate import Loc, Spot, locate, render_path
from actito_iac.manifest.model import ENV_VAR_NAME
from actito_iac.manifest.substitute import has_reference

# Keyed by the regex text, so that no kind module is imported here; a pattern without a hint
# is shown as the regex itself.
PATTERN_HINTS = {
    r"^[A-Za-z][A-Za-z0-9_]{0,63}$": (
        "a technical name: a letter, then up to 63 letters, digits or underscores"
    ),
    r"^[A-Za-z][A-Za-z0-9_-]{0,63}$": (
        "a name: a letter, then up to 63 letters, digits, underscores or hyphens"
    ),
    ENV_VAR_NAME: "an environment variable name: letters, digits and underscores, no leading digit",
    r"^https://[^\s/]+": "an https:// URL",
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$": (
        "a campaign name: a letter or digit, then up to 99 letters, digits, _ . or -"
    ),
    r"^[A-Z]{2}$": "a language code: two capital letters (FR, EN)",
    r"^[A-Za-z0-9_]+$": "a personalisation name: letters, digits and underscores",
}

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "none_required": "null",
}

_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "more than"),
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
}


def at(
    tree: Any, file: str, loc: Loc, message: str, severity: Severity = Severity.ERROR
) -> Diagnostic:
    """A problem with the field at `loc` of a document, written or not (a kind's `Issue`).

    A kind's message may quote a value as written (`unknown attribute '…'`): a huge one is cut
    so that the line stays readable."""
    spot = locate(tree, loc, absent_field=True)
    return _diagnostic(file, spot, _clip(_bounded(message), 500), severity)


_LONG_WORD = re.compile(r"\S{121,}")


def _bounded(message: str) -> str:
    """A kind's message quotes the values it is about; one that runs to thousands of
    characters (a 70,000-character name) is shown by its start and its length."""
    return _LONG_WORD.sub(lambda m: f"{m.group(0)[:60]}… ({len(m.group(0)):,} characters)", message)


def explain(
    error: ValidationError,
    tree: Any,
    file: str,
    model: type[BaseModel],
    hints: Mapping[str, str] | None = None,
    reported: Collection[str] = (),
) -> list[Diagnostic]:
    """One diagnostic per pydantic error of `model` validating the document `tree`.

    `hints` replace the message of an unknown field, by its name in lower case without
    separators (`apiKey`, `api_key` and `API-KEY` all match the hint `apikey`).
    `reported` are field paths whose value already has a diagnostic (a date, a tag, an unset
    variable): the stand-in value put there would only add a second, confusing error.
    """
    placed = [(_place(tree, details), details) for details in error.errors(include_url=False)]
    placed = [(spot, details) for spot, details in placed if render_path(spot.path) not in reported]
    out = []
    for (_, is_type), group in itertools.groupby(placed, key=_same_type_error):
        errors = list(group)
        if is_type and len(errors) > 1:
            out.append(_union_type_error(file, errors))
            continue
        for spot, details in errors:
            shown = _shown(details["input"], spot.node if spot.found else None)
            out.append(_diagnostic(file, spot, _message(details, shown, model, hints or {})))
    return out


def _place(tree: Any, details: ErrorDetails) -> Spot:
    """An unknown field is shown at its key; a missing one at the mapping that lacks it."""
    kind = details["type"]
    loc = tuple(details["loc"])
    return locate(tree, loc, at_key=kind == "extra_forbidden", absent_field=kind == "missing")


def _same_type_error(placed: tuple[Spot, ErrorDetails]) -> tuple[Loc, bool]:
    spot, details = placed
    return spot.path, details["type"] in _EXPECTED


def _union_type_error(file: str, errors: list[tuple[Spot, ErrorDetails]]) -> Diagnostic:
    """pydantic reports a value that fits no member of `str | int | …` once per member."""
    spot, details = errors[0]
    wanted = list(dict.fromkeys(_EXPECTED[d["type"]] for _, d in errors))
    choices = ", ".join(wanted[:-1]) + " or " + wanted[-1] if len(wanted) > 1 else wanted[0]
    shown = _shown(details["input"], spot.node if spot.found else None)
    return _diagnostic(file, spot, f"expected {choices}, got {shown}")


def _diagnostic(
    file: str, spot: Spot, message: str, severity: Severity = Severity.ERROR
) -> Diagnostic:
    location = SourceLocation(file, *spot.position)
    return Diagnostic(severity, message, location, render_path(spot.path))


def _message(
    details: ErrorDetails, shown: str, model: type[BaseModel], hints: Mapping[str, str]
) -> str:
    kind = details["type"]
    loc = tuple(details["loc"])
    ctx = details.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_field(str(loc[-1]), _fields_at(model, loc[:-1]), hints)
    if kind == "missing":
        return f"missing required field {loc[-1]!r}"
    if kind == "literal_error" or kind == "enum":
        return _not_allowed(details["input"], _bare(shown), str(ctx.get("expected", "")))
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {shown}"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"must be {words} {ctx.get(key)}, got {shown}"
    builder = _BUILDERS.get(kind)
    if builder is not None:
        return builder(ctx, _bare(shown))
    return f"{details['msg']} (got {shown})"


def _unknown_field(name: str, known: list[str], hints: Mapping[str, str]) -> str:
    hint = hints.get(re.sub(r"[\s_-]", "", name.lower()))
    if hint:
        return f"field {name!r} is not allowed: {hint}"
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f"unknown field {name!r} (did you mean {close[0]!r}?)"
    if known:
        return f"unknown field {name!r} (known fields: {', '.join(known)})"
    return f"unknown field {name!r}"


def _not_allowed(value: object, shown: str, expected: str) -> str:
    choices = re.findall(r"'([^']*)'", expected) or [expected]
    message = f"{shown} is not allowed; expected one of: {', '.join(choices)}"
    close = difflib.get_close_matches(value, choices, n=1) if isinstance(value, str) else []
    return message + (f" (did you mean {close[0]!r}?)" if close else "")


def _pattern(ctx: dict[str, Any], shown: str) -> str:
    pattern = str(ctx.get("pattern", ""))
    wanted = PATTERN_HINTS.get(pattern, f"text matching {pattern}")
    return f"{shown} is not valid: expected {wanted}"


def _length(unit: str, bound: str) -> Callable[[dict[str, Any], str], str]:
    def build(ctx: dict[str, Any], shown: str) -> str:
        limit = ctx.get(f"{bound}_length")
        if unit == "character" and bound == "min" and limit == 1:
            return "must not be empty"
        words = "at least" if bound == "min" else "at most"
        return f"must have {words} {limit} {unit}(s), got {shown}"

    return build


_BUILDERS: dict[str, Callable[[dict[str, Any], str], str]] = {
    "string_pattern_mismatch": _pattern,
    "string_too_short": _length("character", "min"),
    "string_too_long": _length("character", "max"),
    "too_short": _length("item", "min"),
    "too_long": _length("item", "max"),
}


def _shown(value: object, written: object) -> str:
    """A short description of a value, as written in the YAML when it held a reference."""
    if isinstance(written, str) and has_reference(written):
        return f"{_clip(str(written))!r} (after substitution)"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"text {_clip(value)!r}" if value else "empty text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return f"a list of {len(value)} item(s)" if value else "an empty list"
    return type(value).__name__


def _bare(shown: str) -> str:
    """`'STRNG' is not allowed` reads better than `text 'STRNG' is not allowed`."""
    return shown.removeprefix("text ")


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names of the model found at `loc` (for "did you mean"), if any."""
    current: Any = model
    for segment in loc:
        # a segment that leads nowhere is a union member's tag: the type stays the same
        current = _inner(_unwrap(current), segment) or current
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner(annotation: Any, segment: str | int) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(segment))
        return field.annotation if field else None
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):  # pydantic tags a model member by its name
        return next((a for a in args if getattr(a, "__name__", None) == segment), None)
    if origin is list and args and isinstance(segment, int):
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _unwrap(annotation: Any) -> Any:
    """`X | None` -> X."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation
