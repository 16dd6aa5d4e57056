"""peerlog.classes.dataclass behaves as dataclasses.dataclass does, for the options it offers."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from typing import Any, ClassVar

import pytest

from peerlog import classes

# Each shape is defined twice, once by each decorator, from the same body.
OPTIONS = [
    {"frozen": True, "slots": True},
    {"frozen": True, "slots": True, "kw_only": True},
    {"frozen": True},
    {"slots": True},
    {},
]


def define(decorator: Any, options: dict[str, Any]) -> dict[str, type]:
    """A base with defaults and a factory, a subclass adding fields, and field options."""

    @decorator(**options)
    class Base:
        """A base."""

        KIND: ClassVar[str] = "base"

        name: str
        count: int = 0
        items: list[int] = dataclasses.field(default_factory=list)
        hidden: str = dataclasses.field(default="h", repr=False)
        loose: float = dataclasses.field(default=0.5, compare=False)

        def describe(self) -> str:
            return f"{self.name}:{self.count}"

    @decorator(**options, **({} if options.get("kw_only") else {"kw_only": True}))
    class Child(Base):
        extra: tuple[str, ...]
        when: int = 7

    @decorator(**options)
    class Later:
        first: int
        fixed: int = dataclasses.field(default=3, init=False)
        made: list[str] = dataclasses.field(default_factory=lambda: ["x"], init=False)

    return {"Base": Base, "Child": Child, "Later": Later}


def pairs(options: dict[str, Any]) -> tuple[dict[str, type], dict[str, type]]:
    return define(dataclasses.dataclass, options), define(classes.dataclass, options)


def build(shapes: dict[str, type], kw_only: bool) -> list[Any]:
    base = shapes["Base"]
    if kw_only:
        made = [base(name="a", count=2), base(name="b")]
    else:
        made = [base("a", 2), base("b"), base("c", 1, [1, 2], "x", 0.25)]
    made.append(shapes["Child"](name="c", extra=("t",)))
    made.append(shapes["Later"](first=1) if kw_only else shapes["Later"](1))
    return made


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "plain")
def test_instances_look_and_compare_the_same(options: dict[str, Any]) -> None:
    std, ours = pairs(options)
    kw_only = bool(options.get("kw_only"))
    for a, b in zip(build(std, kw_only), build(ours, kw_only), strict=True):
        assert repr(a) == repr(b)
        assert dataclasses.asdict(a) == dataclasses.asdict(b)
        assert [f.name for f in dataclasses.fields(a)] == [f.name for f in dataclasses.fields(b)]
        assert type(a).__match_args__ == type(b).__match_args__  # type: ignore[attr-defined]
        assert b == copy.copy(b)
        assert b == dataclasses.replace(b)
        assert b.__eq__(object()) is NotImplemented
    base, child = ours["Base"], ours["Child"]
    assert base(name="n", loose=1.0) == base(name="n", loose=2.0)  # compare=False
    assert base(name="n", count=1) != base(name="n", count=2)
    assert base(name="n") != child(name="n", extra=())  # another class is never equal


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "plain")
def test_signatures_are_the_same(options: dict[str, Any]) -> None:
    std, ours = pairs(options)
    for name in std:
        expected = str(inspect.signature(std[name]))
        assert str(inspect.signature(ours[name])) == expected


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "plain")
def test_defaults_and_factories(options: dict[str, Any]) -> None:
    _, ours = pairs(options)
    first, second = ours["Base"](name="a"), ours["Base"](name="b")
    assert first.items == [] and first.items is not second.items  # a fresh list each time
    assert (first.count, first.hidden, first.loose) == (0, "h", 0.5)
    later = ours["Later"](first=1)
    assert (later.fixed, later.made) == (3, ["x"])
    with pytest.raises(TypeError):
        ours["Base"]()  # a required field left out
    with pytest.raises(TypeError):
        ours["Later"](first=1, fixed=2)  # not an __init__ parameter
    assert ours["Base"].KIND == "base" and first.describe() == "a:0"


@pytest.mark.parametrize("options", [o for o in OPTIONS if o.get("frozen")], ids=str)
def test_frozen_instances_refuse_changes_and_hash_like_dataclasses(options: dict[str, Any]) -> None:
    std, ours = pairs(options)
    value = ours["Base"](name="a", items=[])
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'name'"):
        value.name = "b"
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'name'"):
        del value.name
    hashable = ours["Child"](name="a", extra=("t",), items=None)
    reference = std["Child"](name="a", extra=("t",), items=None)
    assert hash(hashable) == hash(reference)
    assert hash(ours["Base"](name="a", loose=1.0, items=None)) == hash(
        ours["Base"](name="a", loose=2.0, items=None)
    )


@pytest.mark.parametrize("options", [o for o in OPTIONS if not o.get("frozen")], ids=str)
def test_mutable_instances_change_and_are_unhashable(options: dict[str, Any]) -> None:
    _, ours = pairs(options)
    value = ours["Base"]("a")
    value.count = 5
    assert value.count == 5
    with pytest.raises(TypeError, match="unhashable"):
        hash(value)


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "plain")
def test_slots_are_kept_when_asked_for(options: dict[str, Any]) -> None:
    std, ours = pairs(options)
    for name in std:
        assert hasattr(ours[name], "__slots__") == hasattr(std[name], "__slots__")
        assert hasattr(ours[name](**_required(name)), "__dict__") == (not options.get("slots"))


def _required(name: str) -> dict[str, Any]:
    return {"Base": {"name": "a"}, "Child": {"name": "a", "extra": ()}, "Later": {"first": 1}}[name]


# Pickling needs the classes importable by name, so these are defined at module level.
@classes.dataclass(frozen=True, slots=True)
class FrozenSlotted:
    name: str
    tags: tuple[str, ...] = ()


@classes.dataclass(frozen=True)
class FrozenPlain:
    name: str


@classes.dataclass(slots=True)
class MutableSlotted:
    name: str
    seen: list[str] = dataclasses.field(default_factory=list)


@pytest.mark.parametrize(
    "value",
    [FrozenSlotted("a", ("x",)), FrozenPlain("b"), MutableSlotted("c", ["d"])],
    ids=lambda v: type(v).__name__,
)
def test_pickle_and_deepcopy_round_trip(value: Any) -> None:
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(value, protocol))
        assert again == value and type(again) is type(value)
    assert copy.deepcopy(value) == value


def test_what_the_class_body_defines_is_kept() -> None:
    @classes.dataclass(frozen=True, slots=True)
    class Own:
        name: str

        def __repr__(self) -> str:
            return "mine"

        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return 1

    assert repr(Own("a")) == "mine" and Own("a") == Own("b") and hash(Own("a")) == 1


def test_post_init_runs() -> None:
    @classes.dataclass(frozen=True)
    class Checked:
        amount: int

        def __post_init__(self) -> None:
            if self.amount < 0:
                raise ValueError("negative")

    assert Checked(1).amount == 1
    with pytest.raises(ValueError, match="negative"):
        Checked(-1)


def test_definition_errors_match_dataclasses() -> None:
    with pytest.raises(TypeError, match="non-default argument 'late' follows default argument"):

        @classes.dataclass
        class Wrong:
            early: int = 1
            late: int  # type: ignore[misc]

    with pytest.raises(TypeError, match="__setattr__"):

        @classes.dataclass(frozen=True)
        class Guarded:
            name: str

            def __setattr__(self, name: str, value: Any) -> None:
                pass


def test_docstring_without_inspect() -> None:
    @classes.dataclass(frozen=True, slots=True)
    class Bare:
        name: str
        count: int = 0

    @classes.dataclass(frozen=True, slots=True)
    class Documented:
        """Says what it is."""

        name: str

    assert Bare.__doc__ == "Bare(name, count)"
    assert Documented.__doc__ == "Says what it is."


def test_init_is_a_plain_function_with_the_names_of_its_own_class() -> None:
    @classes.dataclass(frozen=True, slots=True, kw_only=True)
    class Base:
        name: str

    @classes.dataclass(frozen=True, slots=True, kw_only=True)
    class Child(Base):
        count: int = 0

    @classes.dataclass(frozen=True, slots=True, kw_only=True)
    class Same:  # the same shape as Child: the same template, other names
        title: str
        size: int = 1

    assert inspect.isfunction(Base.__dict__["__init__"])
    assert Child.__init__.__qualname__.endswith("Child.__init__")
    assert str(inspect.signature(Child)) == "(*, name: 'str', count: 'int' = 0) -> None"
    assert str(inspect.signature(Same)) == "(*, title: 'str', size: 'int' = 1) -> None"
    child, same = Child(name="a", count=2), Same(title="t")
    assert (child.name, child.count, same.title, same.size) == ("a", 2, "t", 1)
    again = object.__new__(Base)
    Base.__init__(again, name="b")  # called through the class
    assert again.name == "b"
    with pytest.raises(TypeError):
        Base("positional")
    with pytest.raises(TypeError, match="'title'"):
        Same(size=2)
    with pytest.raises(TypeError, match="'name'"):
        Child(count=1)


@classes.dataclass(frozen=True, slots=True)
class SlottedParent:
    a: int
    b: int = 2


@classes.dataclass(frozen=True)
class PlainChild(SlottedParent):
    c: int = 3


@classes.dataclass(frozen=True, slots=True)
class SlottedChild(SlottedParent):
    c: int = 3


@pytest.mark.parametrize(
    "value", [PlainChild(1, 5, 7), SlottedChild(1, 5, 7)], ids=lambda v: type(v).__name__
)
def test_a_subclass_pickles_and_copies_every_field_of_its_own(value: Any) -> None:
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.copy(value) == value and copy.deepcopy(value) == value
    assert (copy.copy(value).b, copy.copy(value).c) == (5, 7)


def test_frozen_and_mutable_classes_do_not_inherit_from_each_other() -> None:
    with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen one"):

        @classes.dataclass
        class Mutable(SlottedParent):
            extra: int = 0

    @classes.dataclass
    class Base:
        a: int

    with pytest.raises(TypeError, match="cannot inherit frozen dataclass from a non-frozen one"):

        @classes.dataclass(frozen=True)
        class Frozen(Base):
            pass


def test_a_plain_subclass_may_add_attributes_but_not_change_fields() -> None:
    class Annotated(SlottedParent):
        pass

    value = Annotated(1)
    value.note = "kept"  # type: ignore[attr-defined]
    assert value.note == "kept"  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.a = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        SlottedParent(1).__setattr__("note", "refused")


def test_initvar_is_refused_rather_than_dropped() -> None:
    with pytest.raises(TypeError, match="InitVar"):

        @classes.dataclass
        class WithInitVar:
            seed: dataclasses.InitVar[int]


def test_a_class_that_sets_its_own_state_keeps_it() -> None:
    @classes.dataclass(frozen=True, slots=True)
    class OwnState:
        a: int

        def __setstate__(self, state: Any) -> None:
            object.__setattr__(self, "a", 99)

    assert "__setstate__" in OwnState.__dict__
    assert OwnState.__dict__["__setstate__"].__qualname__.endswith("OwnState.__setstate__")
