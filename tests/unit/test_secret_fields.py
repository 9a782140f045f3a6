"""Secret fields a kind declares: found by pattern, and never exported in clear (a value the
run cannot name becomes a reference to a variable the user is told to set)."""

from __future__ import annotations

from typing import ClassVar

from actito_iac.actual import LiveObject
from actito_iac.export import export_files, file_name
from actito_iac.vocabulary import Address, Path, matching

from .test_prune_and_replace import NoteKind, NoteSpec


class SecretNote(NoteKind):
    secret_fields: ClassVar[tuple[Path, ...]] = (("token",),)


def test_a_pattern_reaches_every_key_and_item_it_names() -> None:
    spec = {"headers": {"A": "1", "B": "2"}, "list": [{"v": 1}, {"v": 2}], "other": 3}
    assert matching(spec, ("headers", "*")) == [(("headers", "A"), "1"), (("headers", "B"), "2")]
    assert matching(spec, ("list", "*", "v")) == [(("list", 0, "v"), 1), (("list", 1, "v"), 2)]
    assert matching(spec, ("missing", "*")) == []
    assert matching(spec, ("other", "*")) == []


def test_a_key_holding_a_url_gives_one_portable_file_name() -> None:
    url = "profileTable:Customers:CREATE:https://hooks.example.com/new"
    made = file_name(url)
    assert "/" not in made
    assert ":" not in made
    assert made.startswith("profileTable%3ACustomers%3ACREATE%3Ahttps%3A%2F%2F")
    assert file_name(url + "x") != made


def test_a_secret_value_is_exported_as_its_reference_or_a_named_placeholder() -> None:
    def note(name: str, token: str) -> tuple[Address, LiveObject]:
        spec = NoteSpec(name=name, table="Orders", token=token)
        return Address("B2C", "note", name), LiveObject(name, spec, {})

    objects = dict([note("A", "known"), note("B", "s3cret-1"), note("C", "s3cret-2")])
    files = export_files(
        objects, "h", lambda s: "${secret:KNOWN}" if s == "known" else s, (SecretNote(),)
    )
    texts = {str(f.path): f for f in files}
    assert "token: '${secret:KNOWN}'" in texts["B2C/notes/A.yaml"].text
    assert texts["B2C/notes/A.yaml"].secrets == ()
    assert "token: '${secret:NOTE_TOKEN}'" in texts["B2C/notes/B.yaml"].text
    assert texts["B2C/notes/C.yaml"].secrets == ("NOTE_TOKEN_2",)
    assert not any("s3cret" in f.text for f in files)
