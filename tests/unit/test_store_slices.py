"""A view that names the record types it `reads` is computed again, after a change, from its
slices of the index: only the new files are read, and the value is always the one a full read
gives (which decides it whenever the slices cannot: none saved, tampered, an id claimed twice)."""

from __future__ import annotations

import dataclasses
import os
import pickle
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from unit_support import (
    T0,
    age_tree,
    count_decodes,
    deletion,
    entry,
    make_store,
    place,
    record_path,
    revision,
    settled_root,
)

from peerlog.records import Deletion, Entry, Record, Revision
from peerlog.store import Loaded, View
from peerlog.store.cache import VIEWS_DIR, MonthEntry, SlicedMonth
from peerlog.store.record_store import REREAD_COST, _claimed_twice
from peerlog.store.scan import Problem

NAME = "changes"


@dataclass
class ChangesView:
    """The sorted ids of revisions and deletions: a view that reads only those two types."""

    calls: list[int] = field(default_factory=list)  # how many records each computation saw

    def compute(self, loaded: Loaded, key: Any) -> tuple[str, ...]:
        self.calls.append(len(loaded.records))
        return tuple(sorted(r.id for r in loaded.records if isinstance(r, Revision | Deletion)))

    @property
    def view(self) -> View[tuple[str, ...]]:
        return View(NAME, self.compute, tuple, reads=(Revision, Deletion))


def truth(records: list[Record]) -> tuple[str, ...]:
    return tuple(sorted(r.id for r in records if isinstance(r, Revision | Deletion)))


def slices_file(tmp_path: Path) -> Path:
    return tmp_path / "cache" / VIEWS_DIR / f"{NAME}.slices.pickle"


@pytest.fixture
def warm(tmp_path: Path) -> tuple[Path, list[Record], ChangesView]:
    """40 entries and 2 edits, settled, with the view computed once (and its slices kept)."""
    tmp_path, records = settled_root(tmp_path)
    edits: list[Record] = [revision(records[0], clock=50), deletion(records[1], clock=51)]
    for record in edits:
        place(tmp_path / "root", record)
    records += edits
    age_tree(tmp_path / "root")
    view = ChangesView()
    value, _ = make_store(tmp_path).view(view.view)
    assert value == truth(records)
    assert view.calls == [len(records)]  # computed from a full read: every record
    assert slices_file(tmp_path).is_file()
    return tmp_path, records, view


def test_a_new_file_of_another_type_costs_one_read(
    warm: tuple[Path, list[Record], ChangesView], monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path, records, view = warm
    place(tmp_path / "root", entry("written just now", clock=60))
    decodes = count_decodes(monkeypatch)
    value, problems = make_store(tmp_path).view(view.view)
    assert value == truth(records)
    assert problems == []
    assert decodes.count == 1
    assert view.calls[-1] == 2  # computed from the slices: only the records it reads


def test_a_new_file_of_a_type_it_reads_is_in_the_value(
    warm: tuple[Path, list[Record], ChangesView], monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path, records, view = warm
    arrived = deletion(records[5], clock=61)
    place(tmp_path / "root", arrived)
    decodes = count_decodes(monkeypatch)
    value, _ = make_store(tmp_path).view(view.view)
    assert value == truth([*records, arrived])
    assert arrived.id in value
    assert decodes.count == 1


def test_a_removed_file_leaves_the_value(warm: tuple[Path, list[Record], ChangesView]) -> None:
    tmp_path, records, view = warm
    gone = records[-1]  # the deletion
    record_path(tmp_path / "root", gone).unlink()
    value, _ = make_store(tmp_path).view(view.view)
    assert value == truth(records[:-1])
    assert gone.id not in value


def test_a_removed_month_folder_leaves_the_value(
    warm: tuple[Path, list[Record], ChangesView],
) -> None:
    tmp_path, records, view = warm
    month = record_path(tmp_path / "root", records[0]).parent
    shutil.rmtree(month)
    kept = [r for r in records if record_path(tmp_path / "root", r).parent != month]
    assert len(kept) < len(records)
    assert make_store(tmp_path).view(view.view)[0] == truth(kept)


def test_once_settled_the_slices_are_saved_again_and_the_value_served(
    warm: tuple[Path, list[Record], ChangesView], monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path, records, view = warm
    arrived = revision(records[7], clock=62)
    place(tmp_path / "root", arrived)
    make_store(tmp_path).view(view.view)  # not settled yet: nothing saved
    assert make_store(tmp_path).view(view.view)[0] == truth([*records, arrived])
    age_tree(tmp_path / "root")  # (this gives every file a new mtime: all are read again)
    assert make_store(tmp_path).view(view.view)[0] == truth([*records, arrived])
    computed = len(view.calls)
    decodes = count_decodes(monkeypatch)
    assert make_store(tmp_path).view(view.view)[0] == truth([*records, arrived])
    assert decodes.count == 0  # served as it was saved once settled
    assert len(view.calls) == computed
    place(tmp_path / "root", entry("one more", clock=70))
    assert make_store(tmp_path).view(view.view)[0] == truth([*records, arrived])
    assert decodes.count == 1  # and the saved slices cover everything older


def test_an_id_claimed_by_two_types_is_decided_by_a_full_read(
    warm: tuple[Path, list[Record], ChangesView],
) -> None:
    tmp_path, records, view = warm
    # Two files with one id: a revision, and an entry in another month's folder (a forgery,
    # or a sync gone wrong). Which one counts is decided among all the records.
    forged = revision(records[3], clock=63)
    twin = entry("the same id", clock=63, record_id=forged.id, created=T0.replace(month=8))
    place(tmp_path / "root", forged)
    place(tmp_path / "root", twin)
    assert record_path(tmp_path / "root", twin) != record_path(tmp_path / "root", forged)
    everything = make_store(tmp_path).load().records
    value, _ = make_store(tmp_path).view(view.view)
    assert view.calls[-1] == len(everything)  # every record, not the slices
    fresh = ChangesView()
    shutil.rmtree(tmp_path / "cache")
    assert make_store(tmp_path).view(fresh.view)[0] == value


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"not a pickle",
        lambda data: data[:-9],
        lambda data: pickle.dumps(("junk",)),
        lambda data: _with_item(data, 12345),
        lambda data: _with_item(data, "sizes cut short"),
        lambda data: _with_item(data, os.system),
    ],
    ids=[
        "garbage",
        "truncated",
        "wrong shape",
        "an int item",
        "columns differ",
        "a function",
    ],
)
def test_damaged_slices_are_never_trusted(
    warm: tuple[Path, list[Record], ChangesView], damage: Any
) -> None:
    tmp_path, records, view = warm
    slices_file(tmp_path).write_bytes(damage(slices_file(tmp_path).read_bytes()))
    place(tmp_path / "root", entry("a change", clock=64))
    value, _ = make_store(tmp_path).view(view.view)
    assert value == truth(records)
    assert view.calls[-1] == len(records) + 1  # from a full read


def _with_item(data: bytes, item: object) -> bytes:
    """The slices with one file's item replaced, or with its sizes cut short (pickled
    without the safe unpickler's limits)."""
    fmt, version, months, unique = pickle.loads(data)
    rel, sliced = next((rel, m) for rel, m in months.items() if m.file_names())
    name = sliced.file_names()[0]
    if item == "sizes cut short":
        months[rel] = dataclasses.replace(sliced, sizes=sliced.sizes[:-8])
    else:
        months[rel] = dataclasses.replace(sliced, kept={**sliced.kept, name: item})
    try:
        return pickle.dumps((fmt, version, months, unique))
    except (pickle.PicklingError, AttributeError, TypeError):
        return b"unpicklable"


def test_any_sequence_of_changes_gives_what_a_full_read_gives(tmp_path: Path) -> None:
    rng = random.Random(7)
    tmp_path, records = settled_root(tmp_path)
    view = ChangesView()
    make_store(tmp_path).view(view.view)
    present = list(records)
    clock = 100
    for step in range(30):
        clock += 1
        action = rng.choice(["entry", "revision", "deletion", "remove", "settle"])
        when = T0.replace(month=rng.choice([9, 10, 11]))
        if action == "entry":
            new: Record = entry(f"step {step}", clock=clock, created=when)
        elif action in ("revision", "deletion") and present:
            target = rng.choice([r for r in present if isinstance(r, Entry)])
            make = revision if action == "revision" else deletion
            new = make(target, clock=clock, created=when)
        elif action == "remove" and present:
            gone = present.pop(rng.randrange(len(present)))
            record_path(tmp_path / "root", gone).unlink()
            new = None  # type: ignore[assignment]
        else:
            age_tree(tmp_path / "root")
            new = None  # type: ignore[assignment]
        if new is not None:
            place(tmp_path / "root", new)
            present.append(new)
        value, _ = make_store(tmp_path).view(view.view)
        assert value == truth(present), f"step {step}: {action}"


def test_a_packed_month_unpacks_to_what_was_scanned() -> None:
    kept, other = entry("kept"), entry("of another type")
    problem = Problem("members/sam/d/2026/11/x.md", "it is damaged")
    scanned = MonthEntry(
        5,
        9_000_000_000,
        {
            f"{kept.id}.md": (120, 1_700_000_000_000_000_001, kept),
            f"{other.id}.md": (2**40, -1, other.id),
            "x.md": (0, 7, problem),
        },
    )
    packed = SlicedMonth.pack(scanned)
    assert packed.unpack() == scanned
    assert list(packed.kept.values()) == [kept, problem]  # others are their names
    assert SlicedMonth.pack(MonthEntry(1, 2, {})).unpack() == MonthEntry(1, 2, {})
    assert packed.trusted(5) and not packed.trusted(6)


def test_only_an_id_claimed_by_a_record_read_and_one_not_read_is_a_conflict() -> None:
    read, other = entry("read"), entry("other")
    name = f"{read.id}.md"

    def month(item: object) -> SlicedMonth:
        return SlicedMonth.pack(MonthEntry(1, 2, {name: (1, 1, item)}))

    problem = Problem("p", "damaged")
    assert not _claimed_twice({"a": month(read), "b": month(read)})  # both read: the fold picks
    assert not _claimed_twice({"a": month(other.id), "b": month(other.id)})
    assert not _claimed_twice({"a": month(problem), "b": month(other.id)})
    assert _claimed_twice({"a": month(read), "b": month(read.id)})
    assert not _claimed_twice({"a": month(read), "b": SlicedMonth.pack(MonthEntry(1, 2, {}))})


@pytest.mark.parametrize(("arrived", "read_again"), [(3, 3), (REREAD_COST, 0)])
def test_what_was_read_of_a_folder_that_just_changed_is_kept_once_worth_it(
    warm: tuple[Path, list[Record], ChangesView],
    monkeypatch: pytest.MonkeyPatch,
    arrived: int,
    read_again: int,
) -> None:
    """Files that arrived moments ago: a few are read again next time rather than rewrite the
    slices; a burst is kept at once (its folder stays untrusted, listed again, not re-read)."""
    tmp_path, records, view = warm
    for n in range(arrived):
        place(tmp_path / "root", entry(f"arrived {n}", clock=70 + n))
    decodes = count_decodes(monkeypatch)
    assert make_store(tmp_path).view(view.view)[0] == truth(records)
    assert decodes.count == arrived
    assert make_store(tmp_path).view(view.view)[0] == truth(records)
    assert decodes.count == arrived + read_again


def test_a_new_file_claiming_the_id_of_one_read_long_ago_is_decided_by_a_full_read(
    warm: tuple[Path, list[Record], ChangesView],
) -> None:
    """The slices were saved with every name unique; a file arriving later in another month
    with the id of a revision already kept makes the next read a full one."""
    tmp_path, records, view = warm
    kept = records[-2]  # the revision the view reads, in a folder that does not change
    assert isinstance(kept, Revision)
    twin = entry("the same id", clock=80, record_id=kept.id, created=T0.replace(month=8))
    place(tmp_path / "root", twin)
    assert (
        record_path(tmp_path / "root", twin).parent != record_path(tmp_path / "root", kept).parent
    )
    everything = make_store(tmp_path).load().records
    make_store(tmp_path).view(view.view)
    assert view.calls[-1] == len(everything)  # every record, not the slices
    make_store(tmp_path).view(view.view)
    assert view.calls[-1] == len(everything)  # and again: the two files still claim one id
