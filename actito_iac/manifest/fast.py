"""The fast reading of a manifest file: libyaml (PyYAML's C parser) builds the documents, and a
small walk turns them into plain values, keeping only the places the loader records when all is
well (an object's item, the entity's value).

Why two readers: the round-trip reader (reader.py) places every value at its line and column,
which every diagnostic needs, but it is pure Python and spends milliseconds on a small file.
Most files have no problem at all, so they are read here, about twenty times faster; a file with
anything to report is read again by the round-trip reader, which reports it as before.

This reader vouches only for what it fully understands and gives up (`None`) otherwise, so
giving up is always correct, only slower. It gives up on:
- what plain manifests never hold: a directive (`%YAML 1.1` would change how values read), a
  tag, an anchor or an alias, a merge key, a `\\u` escape (surrogates are joined by the other
  reader), characters the round-trip reader refuses;
- any syntax error (the round-trip reader words it);
- any value plain.py would report: a key repeated or not text, a date, a number spelled in any
  but the plain decimal way (`0x1F`, `1_000`, `.inf`), text holding a lone surrogate, a
  reference that does not resolve.
Plain scalars are resolved with the round-trip reader's YAML 1.2 rules (the same expressions,
which a test compares with ruamel's), so a file means the same whichever reader read it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from actito_iac.manifest.locate import Loc, Position
from actito_iac.manifest.plain import characters
from actito_iac.manifest.substitute import Sources, substitute_value

# The C parser ships in PyYAML's wheels; a PyYAML built without libyaml lacks it, and every file
# then takes the round-trip reader. BaseLoader: no implicit typing (done below, by 1.2 rules).
_Base: type[yaml.CBaseLoader] | None = getattr(yaml, "CBaseLoader", None)

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

# Anything that may make the two readers differ, found in the text before parsing. A false
# alarm (a `!` or `&` inside quoted text) only sends the file to the other reader.
_UNSURE = re.compile(
    r"^%"  # a directive
    r"|(?:^|[\s\[\]{},])[!&*]"  # a tag, an anchor, an alias
    r"|\\[uU]"  # an escape that may be half of a surrogate pair
    r"|<<"  # a merge key
    r"|\t"  # tabs, which the two scanners accept in different places
    # characters the round-trip reader refuses (its NON_PRINTABLE, plus the BOM inside), and
    # the line breaks YAML 1.1 adds (NEL, LS, PS), which the two parsers count differently
    "|[^\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
    "|\ufeff",
    re.MULTILINE,
)

# Text made only of these characters cannot match _UNSURE (no `%!&*\\<`, tab, nor anything past
# ASCII): one scan of a character class, ten times faster than _UNSURE's alternatives, which
# are then tried only on the text this lets through.
_PLAIN_TEXT = re.compile(r"[^\n\r\x20\x22-\x24\x27-\x29\x2b-\x3b\x3d-\x5b\x5d-\x7e]")

# ruamel's YAML 1.2 implicit resolvers, in its order (tests/manifest compare them with ruamel's
# own list, so they cannot drift apart). The first that matches a plain scalar gives its tag.
RESOLVERS_1_2: tuple[tuple[str, str], ...] = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$"),
    (
        "tag:yaml.org,2002:float",
        r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
    ),
    (
        "tag:yaml.org,2002:int",
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""",
    ),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$"),
    ("tag:yaml.org,2002:null", r"""^(?: ~
        |null|Null|NULL
        | )$"""),
    (
        "tag:yaml.org,2002:timestamp",
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
    ),
    ("tag:yaml.org,2002:value", r"^(?:=)$"),
)
_RESOLVERS = tuple((tag, re.compile(pattern, re.X)) for tag, pattern in RESOLVERS_1_2)
_FIRST = frozenset("tTfF-+0123456789.<~nN=")
"""First characters of every plain scalar a resolver above may match (or empty)."""
_WORDS = {
    **dict.fromkeys(("true", "True", "TRUE", "false", "False", "FALSE"), "tag:yaml.org,2002:bool"),
    **dict.fromkeys(("null", "Null", "NULL"), "tag:yaml.org,2002:null"),
}
"""What the resolvers give a plain scalar that starts with a letter: only the boolean and the
null ones can match such a text, and only these words (a shortcut past the expressions)."""


if _Base is not None:

    class _Loader(_Base):  # type: ignore[valid-type,misc]
        """libyaml's parser and composer, asking no tag of Python: every node gets its kind's
        default tag (an explicit tag never gets this far: the text check gives up on them)."""

        def resolve(self, kind: type[Node], value: object, implicit: object) -> str:
            return _STR if kind is ScalarNode else (_SEQ if kind is SequenceNode else _MAP)

        # The composer calls these two around every node, for path resolvers, which this
        # loader has none of: PyYAML's versions check that on every call (a tenth of its time).
        def descend_resolver(self, current_node: object, current_index: object) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

    _CLoader: type[yaml.CBaseLoader] | None = _Loader
else:  # pragma: no cover
    _CLoader = None

# The spellings read here; any other spelling of a number goes to the other reader.
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,999})")
_FLOAT = re.compile(r"[-+]?[0-9]{1,300}(?:\.[0-9]{1,300})?(?:[eE][-+]?[0-9]{1,3})?")
_BOOL = {"true": True, "false": False}


class GiveUp(Exception):
    """The fast reader cannot vouch for this file: read it with the round-trip reader."""


@dataclass
class FastDocument:
    """One document as plain values, and the places the loader records for it."""

    value: Any
    places: dict[Loc, Position] = field(default_factory=dict)
    """1-based (line, column) of `("entity",)` and of each `(section, index)` item."""


def available() -> bool:
    return _CLoader is not None


def fast_documents(text: str, known: Sources) -> list[FastDocument] | None:
    """Every document of `text` as plain values with `${…}` references resolved, or None when
    the round-trip reader must read the file (see the module's docstring)."""
    if _CLoader is None or (_PLAIN_TEXT.search(text) and _UNSURE.search(text)):
        return None
    loader = _CLoader(text)
    try:
        documents = []
        while loader.check_node():
            node = loader.get_node()
            documents.append(_document(node, known))
        return documents
    except (GiveUp, YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def _document(node: Node | None, known: Sources) -> FastDocument:
    if node is None:
        return FastDocument(None)
    convert = _Converter(known).convert
    if not isinstance(node, MappingNode):
        raise GiveUp  # the other reader words what a document must be
    places: dict[Loc, Position] = {}
    value: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = _key(key_node, value)
        value[key] = convert(value_node)
        if isinstance(value_node, SequenceNode):
            for index, item in enumerate(value_node.value):
                _place(places, (key, index), item)
        else:
            _place(places, (key,), value_node)
    return FastDocument(value, places)


def _place(places: dict[Loc, Position], loc: Loc, node: Node) -> None:
    # An empty value has no text to stand on, and the two parsers place it differently: it is
    # left out (it never makes a valid entity or object, so the loader never asks for it).
    if isinstance(node, ScalarNode) and not node.value and not node.style:
        return
    mark = node.start_mark
    places[loc] = (mark.line + 1, mark.column + 1)


_TEXT_KEYS: set[str] = set()
"""Plain keys already found to read as text: a manifest repeats a few dozen keys thousands of
times (`name`, `valueType`…). Bounded, so a file of millions of keys cannot grow it."""
_TEXT_KEYS_MAX = 10_000


def _key(node: Node, mapping: dict[str, Any]) -> str:
    if node.__class__ is not ScalarNode or node.tag != _STR:
        raise GiveUp
    key: str = node.value
    if not node.style and key not in _TEXT_KEYS:
        if (not key or key[0] in _FIRST) and _resolve(key) != _STR:
            raise GiveUp  # a key that reads as a number, a boolean, null or a merge
        if len(_TEXT_KEYS) < _TEXT_KEYS_MAX:
            _TEXT_KEYS.add(key)
    if key in mapping:
        raise GiveUp
    return key


def _resolve(text: str) -> str:
    if text[:1].isalpha():
        return _WORDS.get(text, _STR)
    for tag, pattern in _RESOLVERS:
        if pattern.match(text):
            return tag
    return _STR


_UNSEEN = object()
_PLAIN: dict[str, Any] = {}
"""Plain scalars already read (without `${`), and their values (bounded, as below)."""

_SHORT = 12
_SHORT_TEXTS: dict[str, str] = {}
"""Short texts already read, each kept once."""
_REMEMBERED_MAX = 100_000
"""The most texts either of the two above holds: a file of millions of distinct texts cannot
grow them past it."""


def _shared(text: str) -> str:
    """A short text is most often one of a few, repeated in every file: one copy of each is
    kept, not one per occurrence."""
    if len(text) > _SHORT:
        return text
    kept = _SHORT_TEXTS.get(text)
    if kept is None and len(_SHORT_TEXTS) < _REMEMBERED_MAX:
        kept = _SHORT_TEXTS[text] = text
    return kept or text


class _Converter:
    """Nodes -> plain values. Written flat (no call for a plain text read before, which most
    are): it visits every node of every file, and it is most of what the fast reader spends
    in Python."""

    def __init__(self, known: Sources) -> None:
        self.known = known
        self.convert: Callable[[Node], Any] = self._convert

    def _convert(self, node: Any) -> Any:  # a Node (Any: narrowed by class, not isinstance)
        kind = node.__class__  # the composer makes these three classes, never a subclass
        if kind is ScalarNode:
            if node.tag != _STR:
                raise GiveUp
            text: str = node.value
            if not node.style:
                # A plain text means the same wherever it is, `${…}` apart: most are one of a
                # few (`STRING`, `true`, an entity's name), each resolved once.
                value = _PLAIN.get(text, _UNSEEN)
                if value is _UNSEEN:
                    value = self._plain(text)
                return value
            # No lone surrogate can be here: the text was strict UTF-8 and `\u` gives up.
            if "${" in text:
                return self._substituted(text)
            return _shared(text)
        convert = self._convert
        if kind is SequenceNode and node.tag == _SEQ:
            return [convert(item) for item in node.value]
        if kind is MappingNode and node.tag == _MAP:
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                out[_key(key_node, out)] = convert(value_node)
            return out
        raise GiveUp

    def _plain(self, text: str) -> Any:
        """A plain scalar's value by the YAML 1.2 rules, remembered unless it holds `${`."""
        tag = _resolve(text) if not text or text[0] in _FIRST else _STR
        if tag != _STR:
            value = _typed(tag, text)
        elif "${" in text:
            return self._substituted(text)
        else:
            value = _shared(text)
        if len(_PLAIN) < _REMEMBERED_MAX:
            _PLAIN[text] = value
        return value

    def _substituted(self, text: str) -> Any:
        value, problems = substitute_value(text, self.known)
        if problems or (isinstance(value, str) and characters(value)[1]):
            raise GiveUp
        return value


def _typed(tag: str, text: str) -> Any:
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return _BOOL[text.lower()]
    if tag == "tag:yaml.org,2002:int" and _DECIMAL.fullmatch(text):
        return int(text)
    if tag == "tag:yaml.org,2002:float" and _FLOAT.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            return number
    raise GiveUp  # dates, merges, and numbers spelled any other way
