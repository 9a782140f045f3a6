"""`model_construct` for the project's models, several times faster than pydantic's.

Specs read from the licence are built without validation (kinds' `spec_from_payload`), ten or
more models per table: for ten thousand tables, pydantic's general `model_construct` (which
looks at aliases, validation aliases and factories field by field on every call) took seconds.
This one does the same for the models the project has — no aliases, no private attributes, no
post-init hook, extra keys ignored — from a plan made once per class; any model outside that
takes pydantic's own path. A test compares both on every model of every kind.

A leaf module: it imports nothing of the project.
"""

from __future__ import annotations

import copy
import functools
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_MISSING = object()
_IMMUTABLE = (str, int, float, bool, type(None), tuple, frozenset)


@dataclass(frozen=True)
class _Plan:
    template: dict[str, Any]
    """Every field in declaration order: its default, or _MISSING for a required one."""
    names: frozenset[str]
    fresh: tuple[tuple[str, Callable[[], Any]], ...]
    """Fields whose default is made anew for each object (a factory, a mutable default)."""
    required: tuple[str, ...]
    order: tuple[str, ...]
    """Every field's name, in declaration order."""
    every: set[str]
    """The fields set of a model given every field: one set shared by all of them. The models
    are frozen, so nothing adds to it in place (pydantic's `model_copy` copies it first), and
    a set of ten names weighs more than the model's values: shared, it is neither made nor
    kept for each of ten thousand tables' attributes."""


_PLANS: dict[type[BaseModel], _Plan | None] = {}


def construct(cls: type[M], fields_set: set[str] | None, values: dict[str, Any]) -> M | None:
    """The model built from trusted `values` as `model_construct` builds it, or None when this
    class needs pydantic's own path."""
    plan = _PLANS[cls] if cls in _PLANS else _PLANS.setdefault(cls, _plan(cls))
    if plan is None:
        return None
    if fields_set is None and values.keys() == plan.every:
        # Every field given (as the kinds' readers of live payloads do): no defaults to fill.
        data = {name: values[name] for name in plan.order}
        model = cls.__new__(cls)
        object.__setattr__(model, "__dict__", data)
        object.__setattr__(model, "__pydantic_fields_set__", plan.every)
        object.__setattr__(model, "__pydantic_extra__", None)
        object.__setattr__(model, "__pydantic_private__", None)
        return model
    names = plan.names
    data = plan.template.copy()  # the fields' order, whatever the order they are given in
    if names.issuperset(values):
        data.update(values)
        given = set(values)
    else:  # extra keys are ignored, as pydantic does
        given = set(names.intersection(values))
        data.update((name, values[name]) for name in given)
    for name, make in plan.fresh:
        if name not in values:
            data[name] = make()
    for name in plan.required:
        if data[name] is _MISSING:
            del data[name]
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", data)
    chosen = given if fields_set is None else fields_set
    object.__setattr__(model, "__pydantic_fields_set__", chosen)
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


def _plan(cls: type[BaseModel]) -> _Plan | None:
    unusual = (
        cls.__pydantic_post_init__
        or cls.__private_attributes__
        or cls.__pydantic_root_model__
        or cls.model_config.get("extra") == "allow"
    )
    if unusual:
        return None
    template: dict[str, Any] = {}
    fresh: list[tuple[str, Callable[[], Any]]] = []
    required: list[str] = []
    for name, field in cls.__pydantic_fields__.items():
        if field.alias is not None or field.validation_alias is not None:
            return None
        if field.is_required():
            template[name] = _MISSING
            required.append(name)
        elif field.default_factory is not None:
            if field.default_factory_takes_validated_data:
                return None
            template[name] = None
            fresh.append((name, field.default_factory))  # type: ignore[arg-type]
        elif isinstance(field.default, _IMMUTABLE):
            template[name] = field.default
        else:
            template[name] = None
            fresh.append((name, functools.partial(copy.deepcopy, field.default)))
    order = tuple(template)
    return _Plan(template, frozenset(template), tuple(fresh), tuple(required), order, set(order))


_SHARED_SETS: dict[frozenset[str], set[str]] = {}
"""Fields sets shared by models (see `share_fields_sets`); a few per model class."""
_SHARED_SETS_MAX = 10_000


def share_fields_sets(model: BaseModel) -> None:
    """Give `model` and every model inside it (in fields, lists and tuples) a fields set
    shared with every model that has the same one: pydantic makes one per model it validates,
    bigger than the model's own values (a set of ten names), and ten thousand tables of ten
    attributes kept 70 MiB of them. Safe because the project's models are frozen: nothing adds
    to a model's fields set in place (pydantic's `model_copy` copies it first)."""
    fields_set = model.__pydantic_fields_set__
    key = frozenset(fields_set)
    shared = _SHARED_SETS.get(key)
    if shared is None:
        if len(_SHARED_SETS) >= _SHARED_SETS_MAX:
            return
        shared = _SHARED_SETS[key] = set(key)
    object.__setattr__(model, "__pydantic_fields_set__", shared)
    cls = model.__class__
    holding = _HOLDING[cls] if cls in _HOLDING else _HOLDING.setdefault(cls, _holding(cls))
    values = model.__dict__
    for name in holding:
        value = values.get(name)
        if isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, BaseModel):
                    share_fields_sets(item)
        elif isinstance(value, BaseModel):
            share_fields_sets(value)


_HOLDING: dict[type[BaseModel], tuple[str, ...]] = {}
"""The fields of each model class whose type may hold a model (most hold none)."""


def _holding(cls: type[BaseModel]) -> tuple[str, ...]:
    return tuple(
        name
        for name, field in cls.__pydantic_fields__.items()
        if _mentions_model(field.annotation)
    )


def _mentions_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_mentions_model(arg) for arg in typing.get_args(annotation))
