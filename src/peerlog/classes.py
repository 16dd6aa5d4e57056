"""Data classes that cost little to define: the standard `dataclasses`, compiled in one step.

On Python 3.11, `dataclasses.dataclass` compiles each method it writes on its own: six for a
frozen class, about 0.6 ms. An everyday command defines 30 to 50 record, fold and store classes
before it does any work, so defining them took a quarter of its time. Here the standard library
still collects the fields, checks them and builds the slotted class; then `__init__`,
`__repr__`, `__eq__`, `__hash__` and the frozen guards are compiled together, once per class.

The classes behave as standard ones do: `dataclasses.fields`, `replace` and `asdict` work,
frozen instances raise `FrozenInstanceError`, and they pickle and copy (tests compare the two
side by side). Only the options peerlog uses are offered. Nothing here knows about records.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")
_MISSING: Any = dataclasses.MISSING
_PLACEHOLDER_DOC = "\0"  # keeps dataclasses from working out a docstring with `inspect`


class _Factory:
    """The default of a parameter whose field has a default factory (shown as dataclasses do)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


@overload
@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def dataclass(cls: type[_T], /) -> type[_T]: ...


@overload
def dataclass(
    *, frozen: bool = False, slots: bool = False, kw_only: bool = False
) -> Callable[[type[_T]], type[_T]]: ...


def dataclass(
    cls: type[_T] | None = None,
    /,
    *,
    frozen: bool = False,
    slots: bool = False,
    kw_only: bool = False,
) -> Any:
    """`dataclasses.dataclass` with init, repr and eq, and `frozen`, `slots` and `kw_only`."""

    def wrap(cls: type[_T]) -> type[_T]:
        return _build(cls, frozen=frozen, slots=slots, kw_only=kw_only)

    return wrap if cls is None else wrap(cls)


def _build(cls: type[_T], *, frozen: bool, slots: bool, kw_only: bool) -> type[_T]:
    own = dict(cls.__dict__)  # what the class body itself defines is never replaced
    if frozen and ("__setattr__" in own or "__delattr__" in own):
        raise TypeError(f"Cannot overwrite attribute __setattr__ or __delattr__ in {cls.__name__}")
    placeholder = cls.__doc__ is None
    if placeholder:
        cls.__doc__ = _PLACEHOLDER_DOC
    made: Any = dataclasses.dataclass(
        cls, init=False, repr=False, eq=False, frozen=False, slots=slots, kw_only=kw_only
    )
    fields = dataclasses.fields(made)
    if placeholder:
        made.__doc__ = f"{made.__name__}({', '.join(f.name for f in fields if f.init)})"
    source, names = _methods_source(made, fields, own, frozen=frozen)
    namespace: dict[str, Any] = {
        "__object_setattr": object.__setattr__,
        "__factory_marker": _FACTORY,
        "FrozenInstanceError": dataclasses.FrozenInstanceError,
    }
    for field in fields:
        namespace[f"__default_{field.name}"] = field.default
        namespace[f"__factory_{field.name}"] = field.default_factory
    exec(source, namespace)  # noqa: S102 (our own generated source, as dataclasses does)
    for name in names:
        method = namespace[name]
        method.__qualname__ = f"{made.__qualname__}.{name}"
        setattr(made, name, method)
    if "__init__" in names:
        annotations = {f.name: f.type for f in fields if f.init}
        made.__init__.__annotations__ = {**annotations, "return": None}
    if "__hash__" not in names and not _explicit_hash(own):
        made.__hash__ = None  # a mutable class with __eq__ is unhashable, as in dataclasses
    if frozen and slots and "__getstate__" not in own:
        _add_frozen_pickling(made, tuple(f.name for f in fields))
    return made  # type: ignore[no-any-return]


def _explicit_hash(own: dict[str, Any]) -> bool:
    value = own.get("__hash__", _MISSING)
    return not (value is _MISSING or (value is None and "__eq__" in own))


def _methods_source(
    cls: Any, fields: tuple[dataclasses.Field[Any], ...], own: dict[str, Any], *, frozen: bool
) -> tuple[str, list[str]]:
    """The source of every method to add, and their names."""
    blocks, names = [], []
    if "__init__" not in own:
        blocks.append(_init_source(cls, fields, frozen=frozen))
        names.append("__init__")
    if "__repr__" not in own:
        shown = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in fields if f.repr)
        blocks.append(
            f'def __repr__(self):\n    return f"{{self.__class__.__qualname__}}({shown})"\n'
        )
        names.append("__repr__")
    compared = [f.name for f in fields if f.compare]
    mine = "".join(f"self.{name}," for name in compared)
    theirs = "".join(f"other.{name}," for name in compared)
    if "__eq__" not in own:
        blocks.append(
            "def __eq__(self, other):\n"
            "    if other.__class__ is self.__class__:\n"
            f"        return ({mine}) == ({theirs})\n"
            "    return NotImplemented\n"
        )
        names.append("__eq__")
    if frozen and not _explicit_hash(own):
        hashed = "".join(
            f"self.{f.name}," for f in fields if (f.compare if f.hash is None else f.hash)
        )
        blocks.append(f"def __hash__(self):\n    return hash(({hashed}))\n")
        names.append("__hash__")
    if frozen:
        blocks.append(
            "def __setattr__(self, name, value):\n"
            '    raise FrozenInstanceError(f"cannot assign to field {name!r}")\n'
            "def __delattr__(self, name):\n"
            '    raise FrozenInstanceError(f"cannot delete field {name!r}")\n'
        )
        names += ["__setattr__", "__delattr__"]
    return "".join(blocks), names


def _init_source(cls: Any, fields: tuple[dataclasses.Field[Any], ...], *, frozen: bool) -> str:
    positional, keyword, body = [], [], []
    seen_default = False
    for field in fields:
        name = field.name
        has_default = field.default is not _MISSING
        has_factory = field.default_factory is not _MISSING
        if has_factory:
            value = f"__factory_{name}() if {name} is __factory_marker else {name}"
        else:
            value = name
        if field.init:
            if has_default:
                parameter = f"{name}=__default_{name}"
            elif has_factory:
                parameter = f"{name}=__factory_marker"
            else:
                parameter = name
            if field.kw_only:
                keyword.append(parameter)
            else:
                if seen_default and not (has_default or has_factory):
                    raise TypeError(f"non-default argument {name!r} follows default argument")
                seen_default = seen_default or has_default or has_factory
                positional.append(parameter)
        elif has_default:
            value = f"__default_{name}"
        elif has_factory:
            value = f"__factory_{name}()"
        else:
            continue  # no value to give it, as in dataclasses
        if frozen:
            body.append(f"    __object_setattr(self, {name!r}, {value})\n")
        else:
            body.append(f"    self.{name} = {value}\n")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()\n")
    parameters = ["self", *positional, *(["*", *keyword] if keyword else [])]
    if not body:
        body.append("    pass\n")
    return f"def __init__({', '.join(parameters)}):\n" + "".join(body)


def _add_frozen_pickling(cls: Any, names: tuple[str, ...]) -> None:
    """A frozen slotted instance has no __dict__ and refuses setattr: state is its values."""

    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, name) for name in names]

    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=False):
            object.__setattr__(self, name, value)

    cls.__getstate__ = __getstate__
    cls.__setstate__ = __setstate__
