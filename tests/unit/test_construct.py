"""The project's `model_construct` builds exactly what pydantic's does, for every model of every
kind: the same fields (defaults filled, mutable ones fresh), the same set of given fields."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from actito_iac.kinds.registry import KINDS
from actito_iac.vocabulary import Model


def models() -> list[type[Model]]:
    """Every model reachable from the kinds' specs."""
    found: list[type[Model]] = []
    pending: list[Any] = [k.spec_type for k in KINDS]
    while pending:
        current = pending.pop()
        if isinstance(current, type) and issubclass(current, Model):
            if current in found:
                continue
            found.append(current)
            pending += [f.annotation for f in current.model_fields.values()]
        for inner in getattr(current, "__args__", ()):
            pending.append(inner)
    return found


def sample(model: type[Model]) -> dict[str, Any]:
    """Some fields given (the required ones, as any value), the others left to defaults."""
    return {name: f"v-{name}" for name, field in model.model_fields.items() if field.is_required()}


@pytest.mark.parametrize("model", models(), ids=lambda m: m.__name__)
def test_the_same_as_pydantic(model: type[Model]) -> None:
    values = sample(model)
    ours = model.model_construct(**values, unknown="dropped")
    theirs = BaseModel.model_construct.__func__(model, **values, unknown="dropped")  # type: ignore[attr-defined]
    assert ours.__dict__ == theirs.__dict__
    assert list(ours.__dict__) == list(theirs.__dict__)
    assert ours.model_fields_set == theirs.model_fields_set
    assert ours.__pydantic_extra__ == theirs.__pydantic_extra__
    assert ours == theirs
    for name, value in ours.__dict__.items():  # a default list is fresh for each object
        if isinstance(value, list | dict):
            assert value is not model.model_construct(**values).__dict__[name]


def test_every_kind_has_models() -> None:
    assert len(models()) >= len(KINDS) * 2


def test_fields_set_given() -> None:
    model = models()[0]
    built = model.model_construct({"name"}, **sample(model))
    assert built.model_fields_set == {"name"}


@pytest.mark.parametrize("model", models(), ids=lambda m: m.__name__)
def test_every_field_given_the_same_as_pydantic(model: type[Model]) -> None:
    values = {name: f"v-{name}" for name in reversed(model.model_fields)}
    ours = model.model_construct(**values)
    theirs = BaseModel.model_construct.__func__(model, **values)  # type: ignore[attr-defined]
    assert list(ours.__dict__.items()) == list(theirs.__dict__.items())
    assert ours.model_fields_set == theirs.model_fields_set == set(values)
    copied = ours.model_copy(update={"extra-name": 1})  # copies the shared set before adding
    assert "extra-name" in copied.model_fields_set
    assert "extra-name" not in model.model_construct(**values).model_fields_set


def test_loaded_specs_share_equal_fields_sets(tmp_path: Any) -> None:
    from actito_iac.kinds.custom_table_spec import CustomTableSpec
    from actito_iac.manifest.loader import load

    key = "{name: id, valueType: STRING, mandatory: true, unique: true}"
    (tmp_path / "t.yaml").write_text(
        "entity: B2C\ncustomTables:\n"
        f"  - {{name: A, primaryKey: id, attributes: [{key}]}}\n"
        f"  - {{name: B, primaryKey: id, attributes: [{key}, {{name: n, valueType: LONG}}]}}\n",
        encoding="utf-8",
    )
    specs = [o.spec for o in load([tmp_path], {}).objects]
    assert all(isinstance(s, CustomTableSpec) for s in specs)
    a, b = (s.attributes for s in specs)  # type: ignore[attr-defined]
    assert a[0].model_fields_set is b[0].model_fields_set
    assert a[0].model_fields_set == {"name", "valueType", "mandatory", "unique"}
    assert b[1].model_fields_set == {"name", "valueType"}
    assert specs[0].model_fields_set is specs[1].model_fields_set
