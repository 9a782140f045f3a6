"""`${source:NAME}` references inside string values, resolved before validation.

A reference may be the whole value or part of it, several per string. `$${` writes a literal
`${`. Each source is one entry of the mapping `sources()` returns:

    ${env:NAME}     a variable of the process environment
    ${var:NAME}     a variable of the chosen environment of the project file (values that
                    differ between licences); a whole-value reference keeps the variable's
                    type, so `maxLength: ${var:CODE_LENGTH}` can be a number
    ${secret:NAME}  a variable of the process environment that is a secret: every output
                    masks its value (see actito_iac.secrets)

Substitution is a single pass over the text as written: a substituted value is never scanned
again, so a value that itself holds `${…}` cannot pull in another variable. What each load
resolved is recorded in a `Resolved`, for the manifest hash of saved plans and for masking.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

Scalar = str | int | float | bool
"""What a reference can resolve to (variables may be numbers or booleans)."""

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_TOKEN = re.compile(r"\$\$\{|\$\{([^}]*)\}|\$\{")
_WHOLE = re.compile(r"\$\{([^}]*)\}")
_REFERENCE = re.compile(r"([a-z][a-z0-9]*):(.*)", re.DOTALL)
_PERSONALISATION = re.compile(r"[A-Za-z0-9_]+")


@dataclass(frozen=True)
class Source:
    """Where `${<prefix>:NAME}` looks NAME up; `noun` names a NAME in messages, `hint` says
    where to define a missing one."""

    noun: str
    lookup: Callable[[str], Scalar | None]
    hint: str = ""


Sources = Mapping[str, Source]


@dataclass
class Resolved:
    """The variables and secrets the references of one load resolved to, by name."""

    variables: dict[str, Scalar] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    on_secret: Callable[[str], None] | None = None
    """Told each secret value as soon as it is read, so that even the errors of this same load
    are printed masked."""

    def variable(self, values: Mapping[str, Scalar], name: str) -> Scalar | None:
        value = values.get(name)
        if value is not None:
            self.variables[name] = value
        return value

    def secret(self, environ: Mapping[str, str], name: str) -> str | None:
        value = environ.get(name)
        if value is not None:
            self.secrets[name] = value
            if self.on_secret is not None:
                self.on_secret(value)
        return value


def sources(
    environ: Mapping[str, str],
    variables: Mapping[str, Scalar] | None = None,
    *,
    environment: str = "",
    resolved: Resolved | None = None,
) -> dict[str, Source]:
    """The reference sources a manifest may use; `variables` are `environment`'s, or None when
    no environment was chosen."""
    seen = resolved if resolved is not None else Resolved()
    values = variables or {}
    if variables is None:
        where = "no environment is chosen: pass --env NAME or set defaultEnvironment"
    else:
        where = f"define it under environments.{environment}.variables in the project file"
    return {
        "env": Source("environment variable", environ.get),
        "var": Source("variable", lambda name: seen.variable(values, name), where),
        "secret": Source("secret environment variable", lambda name: seen.secret(environ, name)),
    }


def has_reference(text: str) -> bool:
    return "${" in text


def substitute_value(text: str, known: Sources) -> tuple[Scalar, list[str]]:
    """Like `substitute`, but a string that is exactly one reference keeps the value's type."""
    whole = _WHOLE.fullmatch(text)
    if whole is None:
        return substitute(text, known)
    value, problem = _resolve(whole.group(1), known)
    if problem:
        return text, [problem]
    return value, []


def substitute(text: str, known: Sources) -> tuple[str, list[str]]:
    """The text with every reference replaced, and one message per reference that failed.

    A failed reference is left as written, so the caller can still validate the rest.
    """
    if not has_reference(text):
        return text, []
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        written = match.group(0)
        if written == "$${":
            return "${"
        body = match.group(1)
        if body is None:
            problems.append("unclosed '${': write $${ for a literal '${'")
            return written
        value, problem = _resolve(body, known)
        if problem:
            problems.append(problem)
            return written
        return _as_text(value)

    return _TOKEN.sub(replace, text), problems


def _resolve(body: str, known: Sources) -> tuple[Scalar, str]:
    match = _REFERENCE.fullmatch(body)
    if match is None and _PERSONALISATION.fullmatch(body):
        # ACTITO personalises texts with `${name}` (an e-mail's subject, an SMS): in a
        # manifest such a text is written with `$${`, as any literal `${`.
        written = ", ".join(f"${{{prefix}:{body}}}" for prefix in known)
        return "", (
            f"'${{{body}}}' is not a reference: write {written}, or $${{{body}}} for the text "
            f"itself (ACTITO's personalisation ${{{body}}} in an e-mail's subject, say)"
        )
    if match is None or NAME.fullmatch(match.group(2)) is None:
        forms = [f"${{{prefix}:NAME}}" for prefix in known]
        example = (
            " or ".join(forms) if len(forms) < 3 else ", ".join(forms[:-1]) + " or " + forms[-1]
        )
        return "", f"malformed reference '${{{body}}}': write {example} ($${{ for a literal '${{')"
    prefix, name = match.groups()
    source = known.get(prefix)
    if source is None:
        choices = ", ".join(sorted(known))
        return "", f"unknown source {prefix!r} in '${{{body}}}' (known sources: {choices})"
    value = source.lookup(name)
    if value is None:
        hint = f"; {source.hint}" if source.hint else ""
        return "", f"{source.noun} {name} is not set (referenced as '${{{body}}}'){hint}"
    return value, ""


def _as_text(value: Scalar) -> str:
    """A variable inside a longer string: booleans read as YAML writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
