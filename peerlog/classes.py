"""Data classes that cost little to define: the standard `dataclasses`, compiled only on use.

On Python 3.11, `dataclasses.dataclass` compiles each method it writes on its own: six for a
frozen class, about 0.6 ms. An everyday command defines 30 to 50 record, fold and store classes
before it does any work. Here the standard library still collects the fields, checks them and
builds the slotted class; `__repr__`, `__eq__`, `__hash__` and the frozen guards are small
closures over the field names, and `__init__` is compiled when the class is first instantiated
(most are not, in a run). Measured again with the SQLite index (every record built by its
class): `list -n 10` costs 113 ms of CPU with these classes against 138 ms with the standard
ones, `due` 184 ms against 217 ms (median of 12 alternating runs each); it goes when it no
longer saves 10 ms.

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
        made.__init__ = _LazyInit(made, fields, _init_source(made, fields, frozen=frozen))
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


class _LazyInit:
    """A class's `__init__` until it is first used: then it is compiled, as dataclasses would
    write it, and takes this one's place. Most classes a command defines are never
    instantiated in that run, so most never pay for compiling."""

    def __init__(self, cls: Any, fields: tuple[dataclasses.Field[Any], ...], source: str) -> None:
        self.cls, self.fields, self.source = cls, fields, source

    def compiled(self) -> Callable[..., None]:
        namespace: dict[str, Any] = {
            "__object_setattr": object.__setattr__,
            "__factory_marker": _FACTORY,
        }
        for field in self.fields:
            namespace[f"__default_{field.name}"] = field.default
            namespace[f"__factory_{field.name}"] = field.default_factory
        exec(self.source, namespace)  # noqa: S102 (our own generated source, as in dataclasses)
        init: Callable[..., None] = namespace["__init__"]
        init.__qualname__ = f"{self.cls.__qualname__}.__init__"
        annotations = {f.name: f.type for f in self.fields if f.init}
        init.__annotations__ = {**annotations, "return": None}
        if self.cls.__dict__.get("__init__") is self:
            self.cls.__init__ = init
        return init

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        return self.compiled().__get__(instance, owner)

    def __call__(self, instance: Any, *args: Any, **kwargs: Any) -> None:
        self.compiled()(instance, *args, **kwargs)  # `Class.__init__(obj, ...)`

    @property
    def __signature__(self) -> Any:
        import inspect

        return inspect.signature(self.compiled())


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
