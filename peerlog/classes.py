"""Data classes that cost little to define: the standard `dataclasses`, with nothing compiled.

On Python 3.11, `dataclasses.dataclass` compiles each method it writes on its own: six for a
frozen class, about 0.6 ms. An everyday command defines 30 to 50 record, fold and store classes
before it does any work. Here the standard library still collects the fields, checks them and
builds the slotted class; `__repr__`, `__eq__`, `__hash__` and the frozen guards are small
closures over the field names, and `__init__` is a template compiled once for each count of
parameters, given the class's own parameter names and defaults. Measured again with the SQLite
index (every record built by its class): `list -n 10` costs 113 ms of CPU with these classes
against 138 ms with the standard ones, `due` 184 ms against 217 ms (median of 12 alternating
runs each); the template instead of an `__init__` compiled per class (on first use) took a
further 32 M instructions (about 11 ms) off `due`, which makes instances of 35 classes, for
about 0.5 µs more per instance made. It goes when it no longer saves 10 ms.

The classes behave as standard ones do: `dataclasses.fields`, `replace` and `asdict` work,
frozen instances raise `FrozenInstanceError`, frozen and mutable classes do not inherit from
each other, and they pickle and copy (tests compare the two side by side). Only the options
peerlog uses are offered, and `InitVar` is refused; `__dataclass_params__` describes what the
standard library was asked to build, not the class. Nothing here knows about records.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from operator import attrgetter
from types import FunctionType
from typing import Any, TypeVar, dataclass_transform, overload
from weakref import WeakKeyDictionary

_T = TypeVar("_T")
_MISSING: Any = dataclasses.MISSING
_PLACEHOLDER_DOC = "\0"  # keeps dataclasses from working out a docstring with `inspect`
_INITVAR: Any = getattr(dataclasses, "_FIELD_INITVAR", object())
_FROZEN: WeakKeyDictionary[type, bool] = WeakKeyDictionary()  # every class built here


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
    for base in cls.__mro__[1:]:  # the checks dataclasses makes (it is told frozen=False)
        if _FROZEN.get(base, frozen) != frozen:
            raise TypeError(
                "cannot inherit frozen dataclass from a non-frozen one"
                if frozen
                else "cannot inherit non-frozen dataclass from a frozen one"
            )
    placeholder = cls.__doc__ is None
    if placeholder:
        cls.__doc__ = _PLACEHOLDER_DOC
    made: Any = dataclasses.dataclass(
        cls, init=False, repr=False, eq=False, frozen=False, slots=slots, kw_only=kw_only
    )
    fields = dataclasses.fields(made)
    if any(getattr(f, "_field_type", None) is _INITVAR for f in made.__dataclass_fields__.values()):
        raise TypeError(f"{made.__name__}: InitVar fields are not supported here")
    if placeholder:
        made.__doc__ = f"{made.__name__}({', '.join(f.name for f in fields if f.init)})"
    methods = _methods(made, fields, own, frozen=frozen)
    for name, method in methods.items():
        method.__qualname__ = f"{made.__qualname__}.{name}"
        setattr(made, name, method)
    if "__init__" not in own:
        made.__init__ = _init(made, fields, frozen=frozen)
    if "__hash__" not in methods and not _explicit_hash(own):
        made.__hash__ = None  # a mutable class with __eq__ is unhashable, as in dataclasses
    # A frozen slotted class (or a subclass of one, which would inherit its state) pickles
    # as the tuple of its values.
    inherited = getattr(getattr(made, "__getstate__", None), "_values_of", None) is not None
    if frozen and (slots or inherited) and not {"__getstate__", "__setstate__"} & own.keys():
        _add_frozen_pickling(made, tuple(f.name for f in fields))
    _FROZEN[made] = frozen
    return made  # type: ignore[no-any-return]


def _explicit_hash(own: dict[str, Any]) -> bool:
    value = own.get("__hash__", _MISSING)
    return not (value is _MISSING or (value is None and "__eq__" in own))


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A fast getter of the named attributes, always as a tuple."""
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda value: (one(value),)
    if not names:
        return lambda value: ()
    return attrgetter(*names)


def _methods(
    cls: Any, fields: tuple[dataclasses.Field[Any], ...], own: dict[str, Any], *, frozen: bool
) -> dict[str, Callable[..., Any]]:
    """`__repr__`, `__eq__`, `__hash__` and the frozen guards: closures over the field names,
    so nothing needs compiling."""
    methods: dict[str, Callable[..., Any]] = {}
    if "__repr__" not in own:
        shown = tuple(f.name for f in fields if f.repr)

        def __repr__(self: Any) -> str:
            values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
            return f"{self.__class__.__qualname__}({values})"

        methods["__repr__"] = __repr__
    if "__eq__" not in own:
        compared = _values(tuple(f.name for f in fields if f.compare))

        def __eq__(self: Any, other: Any) -> Any:
            if other.__class__ is self.__class__:
                return compared(self) == compared(other)
            return NotImplemented

        methods["__eq__"] = __eq__
    if frozen and not _explicit_hash(own):
        hashed = _values(tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))

        def __hash__(self: Any) -> int:
            return hash(hashed(self))

        methods["__hash__"] = __hash__
    if frozen:
        # As dataclasses guards: a subclass that is not a data class may add attributes.
        names = frozenset(f.name for f in fields)

        def __setattr__(self: Any, name: str, value: Any) -> None:
            if type(self) is cls or name in names:
                raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
            super(cls, self).__setattr__(name, value)

        def __delattr__(self: Any, name: str) -> None:
            if type(self) is cls or name in names:
                raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
            super(cls, self).__delattr__(name)

        methods["__setattr__"] = __setattr__
        methods["__delattr__"] = __delattr__
    return methods


_SHAPES: dict[tuple[int, int], Any] = {}  # (positional, keyword-only) -> template code


def _template(positional: int, keyword: int) -> Any:
    """The code of `__init__(self, a0, …, *, k0, …)` passing its arguments, in order, as one
    tuple to `__set`: compiled once for each count of parameters, then given each class's own
    parameter names (the names live in the code object, the defaults in the function)."""
    shape = (positional, keyword)
    if shape not in _SHAPES:
        names = [f"a{i}" for i in range(positional + keyword)]
        star = ["*", *names[positional:]] if keyword else []
        given = "".join(f"{n}, " for n in names)
        source = f"def __init__({', '.join(['self', *names[:positional], *star])}):\n"
        module = compile(f"{source}    __set(self, ({given}))\n", "<init>", "exec")
        _SHAPES[shape] = next(c for c in module.co_consts if hasattr(c, "co_varnames"))
    return _SHAPES[shape]


def _init(cls: Any, fields: tuple[dataclasses.Field[Any], ...], *, frozen: bool) -> Any:
    """`__init__` as dataclasses would write it, with the same signature and errors: each
    argument set in turn (a default factory's marker replaced by a made value), then the
    fields outside `__init__` that have a default, then `__post_init__`."""
    positional, keyword, defaults, kwdefaults = [], [], [], {}
    seen_default = False
    for field in (f for f in fields if f.init):
        value = field.default
        if value is _MISSING and field.default_factory is not _MISSING:
            value = _FACTORY
        if field.kw_only:
            keyword.append(field.name)
            if value is not _MISSING:
                kwdefaults[field.name] = value
            continue
        if seen_default and value is _MISSING:
            raise TypeError(f"non-default argument {field.name!r} follows default argument")
        seen_default = value is not _MISSING
        positional.append(field.name)
        if seen_default:
            defaults.append(value)
    names = (*positional, *keyword)
    factories: dict[str, Any] = {
        f.name: f.default_factory for f in fields if f.default_factory is not _MISSING
    }
    later = [(f.name, f.default, factories.get(f.name)) for f in fields if not f.init]
    later = [item for item in later if item[1] is not _MISSING or item[2] is not None]
    setattr_ = object.__setattr__ if frozen else setattr
    post_init = getattr(cls, "__post_init__", None) is not None

    def set_fields(self: Any, values: tuple[Any, ...]) -> None:
        for name, value in zip(names, values):  # noqa: B905 (as long by construction)
            setattr_(self, name, factories[name]() if value is _FACTORY else value)
        for name, default, factory in later:
            setattr_(self, name, default if factory is None else factory())
        if post_init:
            self.__post_init__()

    code = _template(len(positional), len(keyword)).replace(
        co_varnames=("self", *names), co_name="__init__", co_qualname=f"{cls.__qualname__}.__init__"
    )
    init = FunctionType(code, {"__set": set_fields}, "__init__", tuple(defaults) or None)
    init.__kwdefaults__ = kwdefaults or None
    init.__annotations__ = {**{f.name: f.type for f in fields if f.init}, "return": None}
    return init


def _add_frozen_pickling(cls: Any, names: tuple[str, ...]) -> None:
    """A frozen slotted instance has no __dict__ and refuses setattr: its state is the tuple
    of its values, set back past the frozen guard."""
    values = _values(names)
    setattr_ = object.__setattr__

    def __getstate__(self: Any) -> tuple[Any, ...]:
        return values(self)

    def __setstate__(self: Any, state: Sequence[Any]) -> None:
        for name, value in zip(names, state, strict=True):
            setattr_(self, name, value)

    __getstate__._values_of = names  # type: ignore[attr-defined]  # marks it as this module's
    cls.__getstate__ = __getstate__
    cls.__setstate__ = __setstate__
