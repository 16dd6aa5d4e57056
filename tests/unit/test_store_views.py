"""`RecordStore.view`: a value computed from every record of a root, kept in the cache and reused
until a month folder changes; never trusted when corrupt, never saved before the folders settle."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from unit_support import (
    ALEX_DEVICE,
    SAM_DEVICE,
    T0,
    age_tree,
    count_decodes,
    deletion,
    entry,
    fresh_id,
    make_store,
    many_entries,
    place,
    revision,
    settled_root,
)

from peerlog import __version__
from peerlog.fold import EntryView
from peerlog.records import Entry, Profile, Record, Reply
from peerlog.records.dialogue import Agreement, Checkin
from peerlog.records.goals import GoalLog, GoalProposal
from peerlog.store import Loaded, View
from peerlog.store import record_store as record_store_module
from peerlog.store.cache import CACHE_FORMAT, RACY_NS, VIEWS_DIR, RecordCache
from peerlog.store.scan import Problem

NAME = "record-ids"

# What the tiny test view computes: the key it was asked for, and the sorted ids of every record.
Value = tuple[object, tuple[str, ...]]


@dataclass
class CountingView:
    """A view of the sorted record ids (and the key), counting how often it is computed."""

    name: str = NAME
    calls: list[object] = field(default_factory=list)

    def compute(self, loaded: Loaded, key: Any) -> Value:
        self.calls.append(key)
        return (key, tuple(sorted(r.id for r in loaded.records)))

    @property
    def view(self) -> View[Value]:
        return View(self.name, self.compute, tuple)

    @property
    def count(self) -> int:
        return len(self.calls)


def view_file(tmp_path: Path, name: str = NAME) -> Path:
    return tmp_path / "cache" / VIEWS_DIR / f"{name}.pickle"


def expected(records: list[Record], key: object = None) -> Value:
    return (key, tuple(sorted(r.id for r in records)))


@dataclass
class IndexLoads:
    """Counts `RecordCache.load` (reading the full parsed-record index)."""

    count: int = 0


def count_index_loads(monkeypatch: pytest.MonkeyPatch) -> IndexLoads:
    counter = IndexLoads()
    real = RecordCache.load

    def counting(self: RecordCache) -> None:
        counter.count += 1
        real(self)

    monkeypatch.setattr(RecordCache, "load", counting)
    return counter


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, list[Record]]:
    """A record root with 40 records over two months, already settled on disk."""
    return settled_root(tmp_path)


@pytest.fixture
def counting() -> CountingView:
    return CountingView()


# --- the cached path ---------------------------------------------------------------------------


def test_the_first_call_computes_and_keeps_the_value(
    filled: tuple[Path, list[Record]], counting: CountingView
) -> None:
    tmp_path, records = filled
    value, problems = make_store(tmp_path).view(counting.view)
    assert value == expected(records)
    assert problems == []
    assert counting.count == 1
    assert view_file(tmp_path).is_file()


def test_a_second_call_with_nothing_changed_reads_no_record_and_no_index(
    filled: tuple[Path, list[Record]], counting: CountingView, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path, records = filled
    first, _ = make_store(tmp_path).view(counting.view)
    decodes = count_decodes(monkeypatch)
    index_loads = count_index_loads(monkeypatch)

    second, problems = make_store(tmp_path).view(counting.view)

    assert second == first == expected(records)
    assert problems == []
    assert counting.count == 1  # not computed again
    assert decodes.count == 0
    assert index_loads.count == 0


def test_the_same_store_object_also_reuses_the_view(
    filled: tuple[Path, list[Record]], counting: CountingView, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path, records = filled
    store = make_store(tmp_path)
    store.view(counting.view)
    decodes = count_decodes(monkeypatch)
    for _ in range(3):
        assert store.view(counting.view)[0] == expected(records)
    assert counting.count == 1
    assert decodes.count == 0


# --- what makes it compute again ---------------------------------------------------------------


ARRIVALS: dict[str, Callable[[], Record]] = {
    "existing month folder": lambda: entry("same month, same device", clock=500),
    "new month folder": lambda: entry(
        "a new month", clock=501, created=T0.replace(year=2025, month=3)
    ),
    "new device folder": lambda: entry("another device", clock=502, device=ALEX_DEVICE),
    "new member folder": lambda: entry("another member", author="alex", clock=503),
}


@pytest.mark.parametrize("arrival", ARRIVALS.values(), ids=ARRIVALS.keys())
def test_a_record_arriving_by_sync_is_in_the_next_value(
    filled: tuple[Path, list[Record]],
    counting: CountingView,
    arrival: Callable[[], Record],
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).view(counting.view)
    newcomer = arrival()
    place(tmp_path / "root", newcomer)

    value, _ = make_store(tmp_path).view(counting.view)

    assert counting.count == 2
    assert value == expected([*records, newcomer])
    assert newcomer.id in value[1]


def test_a_removed_record_file_is_gone_from_the_next_value(
    filled: tuple[Path, list[Record]], counting: CountingView
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).view(counting.view)
    victim = records[7]
    next((tmp_path / "root").rglob(f"{victim.id}.md")).unlink()

    value, _ = make_store(tmp_path).view(counting.view)

    assert counting.count == 2
    assert victim.id not in value[1]
    assert value == expected([r for r in records if r != victim])


def test_a_removed_month_folder_is_gone_from_the_next_value(
    filled: tuple[Path, list[Record]], counting: CountingView
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).view(counting.view)
    september = next(p for p in (tmp_path / "root").rglob("09") if p.is_dir())
    shutil.rmtree(september)

    value, _ = make_store(tmp_path).view(counting.view)

    assert value == expected([r for r in records if r.created.month == 11])


def test_after_a_change_settles_the_new_value_is_cached_not_the_old_one(
    filled: tuple[Path, list[Record]], counting: CountingView, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).view(counting.view)
    newcomer = place(tmp_path / "root", entry("late arrival", clock=600))
    age_tree(tmp_path / "root")
    with_newcomer = make_store(tmp_path).view(counting.view)[0]
    assert counting.count == 2
    decodes = count_decodes(monkeypatch)

    again = make_store(tmp_path).view(counting.view)[0]

    assert again == with_newcomer
    assert newcomer.stem in again[1]
    assert len(again[1]) == len(records) + 1
    assert counting.count == 2  # served from the re-saved view
    assert decodes.count == 0


def test_another_key_computes_again_and_the_value_reflects_the_key(
    filled: tuple[Path, list[Record]], counting: CountingView
) -> None:
    tmp_path, records = filled
    assert make_store(tmp_path).view(counting.view, "pair")[0] == expected(records, "pair")
    assert make_store(tmp_path).view(counting.view, "pair")[0] == expected(records, "pair")
    assert counting.calls == ["pair"]

    other, _ = make_store(tmp_path).view(counting.view, "trio")
    assert other == expected(records, "trio")
    assert counting.calls == ["pair", "trio"]
    none, _ = make_store(tmp_path).view(counting.view)
    assert none == expected(records, None)
    assert counting.calls[-1] is None
    # whatever is kept, asking for "pair" again never answers with another key's value
    assert make_store(tmp_path).view(counting.view, "pair")[0] == expected(records, "pair")


def test_two_views_are_kept_apart(
    filled: tuple[Path, list[Record]], monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path, records = filled
    ids = CountingView("ids")
    sizes = View("sizes", lambda loaded, key: {"n": len(loaded.records)}, dict)
    make_store(tmp_path).view(ids.view)
    make_store(tmp_path).view(sizes)
    decodes = count_decodes(monkeypatch)
    assert make_store(tmp_path).view(ids.view)[0] == expected(records)
    assert make_store(tmp_path).view(sizes)[0] == {"n": len(records)}
    assert decodes.count == 0
    assert view_file(tmp_path, "ids").is_file()
    assert view_file(tmp_path, "sizes").is_file()


# --- folders that have not settled -------------------------------------------------------------


def test_a_folder_changed_just_now_is_computed_but_not_saved(
    tmp_path: Path, counting: CountingView
) -> None:
    records = many_entries(5)
    for record in records:
        place(tmp_path / "root", record)  # mtimes: now

    assert make_store(tmp_path).view(counting.view)[0] == expected(records)
    assert not view_file(tmp_path).exists()
    assert make_store(tmp_path).view(counting.view)[0] == expected(records)
    assert counting.count == 2


@pytest.mark.parametrize(
    ("age_ns", "saved"),
    [(RACY_NS // 2, False), (RACY_NS + 2_000_000_000, True)],
    ids=["changed 1.5 s ago", "changed 5 s ago"],
)
def test_a_view_is_saved_only_once_every_folder_is_older_than_the_racy_window(
    filled: tuple[Path, list[Record]], counting: CountingView, age_ns: int, saved: bool
) -> None:
    tmp_path, records = filled
    newcomer = entry("recent", clock=700)
    folder = place(tmp_path / "root", newcomer).parent
    stamp = time.time_ns() - age_ns
    os.utime(folder, ns=(stamp, stamp))

    assert make_store(tmp_path).view(counting.view)[0] == expected([*records, newcomer])
    assert view_file(tmp_path).exists() is saved
    make_store(tmp_path).view(counting.view)
    assert counting.count == (1 if saved else 2)


def test_a_file_added_in_the_same_coarse_tick_is_still_seen(
    tmp_path: Path, counting: CountingView
) -> None:
    # On a file system with coarse timestamps a new file may leave the folder's mtime as it
    # was. A view computed soon after the folder changed must not be trusted later.
    root = tmp_path / "root"
    first = entry("first")
    folder = place(root, first).parent
    stamp = time.time_ns() - 500_000_000
    os.utime(folder, ns=(stamp, stamp))
    assert make_store(tmp_path).view(counting.view)[0] == expected([first])

    second = entry("second, same tick")
    place(root, second)
    os.utime(folder, ns=(stamp, stamp))

    assert make_store(tmp_path).view(counting.view)[0] == expected([first, second])


def test_a_folder_becomes_cacheable_once_it_has_settled(
    tmp_path: Path, counting: CountingView, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = many_entries(3)
    for record in records:
        place(tmp_path / "root", record)
    make_store(tmp_path).view(counting.view)
    assert not view_file(tmp_path).exists()

    # The same folders, scanned as if five seconds later: now settled, so the view is kept.
    real_now_ns = record_store_module.now_ns
    monkeypatch.setattr(record_store_module, "now_ns", lambda: real_now_ns() + 5 * 10**9)
    assert make_store(tmp_path).view(counting.view)[0] == expected(records)
    assert view_file(tmp_path).is_file()
    monkeypatch.undo()

    decodes = count_decodes(monkeypatch)
    assert make_store(tmp_path).view(counting.view)[0] == expected(records)
    assert counting.count == 2
    assert decodes.count == 0


# --- a view file is never trusted blindly ------------------------------------------------------


class _Exploit:
    """Unpickling this calls `func(*args)`, if the unpickler lets the global through."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        self.func, self.args = func, args

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.func, self.args)


@dataclass(frozen=True)
class Tampering:
    """How to replace a saved view pickle, given its (format, version, made_for, problems,
    value) payload and a marker file an exploit would create."""

    make: Callable[[tuple[Any, ...], Path], bytes]


def _replace(payload: tuple[Any, ...], index: int, new: object) -> bytes:
    changed = list(payload)
    changed[index] = new
    return pickle.dumps(tuple(changed), protocol=5)


TAMPERINGS: dict[str, Tampering] = {
    "garbage bytes": Tampering(lambda p, m: b"\x00\xffnot a pickle at all" * 10),
    "empty file": Tampering(lambda p, m: b""),
    "truncated": Tampering(lambda p, m: pickle.dumps(p, protocol=5)[:-7]),
    "another format": Tampering(lambda p, m: _replace(p, 0, CACHE_FORMAT + 1)),
    "another version": Tampering(lambda p, m: _replace(p, 1, "0.0.0-old")),
    "value of the wrong type": Tampering(lambda p, m: _replace(p, 4, ["not", "a", "tuple"])),
    "value None": Tampering(lambda p, m: _replace(p, 4, None)),
    "problems not a list": Tampering(lambda p, m: _replace(p, 3, "junk")),
    "problems holding junk": Tampering(lambda p, m: _replace(p, 3, ["junk"])),
    "not a tuple": Tampering(lambda p, m: pickle.dumps(list(p), protocol=5)),
    "a 4-tuple": Tampering(lambda p, m: pickle.dumps(p[:4], protocol=5)),
    "os.system in the value": Tampering(
        lambda p, m: _replace(p, 4, _Exploit(os.system, f"touch {m}"))
    ),
    "os.system in the fingerprint": Tampering(
        lambda p, m: _replace(p, 2, _Exploit(os.system, f"touch {m}"))
    ),
    "builtins.open in the problems": Tampering(
        lambda p, m: _replace(p, 3, [_Exploit(open, str(m), "w")])
    ),
    "os.system as the whole payload": Tampering(
        lambda p, m: pickle.dumps(_Exploit(os.system, f"touch {m}"))
    ),
}


@pytest.mark.parametrize("tampering", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_a_bad_view_file_is_ignored_and_recomputed(
    filled: tuple[Path, list[Record]], counting: CountingView, tampering: Tampering
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).view(counting.view)
    saved = pickle.loads(view_file(tmp_path).read_bytes())  # our own file: safe to load here
    assert saved[:2] == (CACHE_FORMAT, __version__)
    assert saved[4] == expected(records)
    marker = tmp_path / "pwned"
    view_file(tmp_path).write_bytes(tampering.make(saved, marker))

    value, problems = make_store(tmp_path).view(counting.view)

    assert not marker.exists()
    assert value == expected(records)
    assert problems == []
    assert counting.count == 2  # computed again, not taken from the file
    # and written back whole, so the next run is served from the cache again
    make_store(tmp_path).view(counting.view)
    assert counting.count == 2


def test_a_well_formed_rewrite_is_trusted_so_the_checks_above_are_what_reject(
    filled: tuple[Path, list[Record]], counting: CountingView
) -> None:
    # The control for the test above: the same rewrite with nothing wrong is trusted, so the
    # checks there are what rejects each tampered file.
    tmp_path, _ = filled
    make_store(tmp_path).view(counting.view)
    saved = pickle.loads(view_file(tmp_path).read_bytes())
    view_file(tmp_path).write_bytes(_replace(saved, 4, (None, ("forged",))))
    assert make_store(tmp_path).view(counting.view)[0] == (None, ("forged",))
    assert counting.count == 1


def test_a_view_file_for_other_folders_is_not_used(
    filled: tuple[Path, list[Record]], counting: CountingView
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).view(counting.view)
    saved = pickle.loads(view_file(tmp_path).read_bytes())
    folders, name, key = saved[2]
    moved = tuple((rel, mtime + 1) for rel, mtime in folders)
    view_file(tmp_path).write_bytes(_replace(saved, 2, (moved, name, key)))
    assert make_store(tmp_path).view(counting.view)[0] == expected(records)
    assert counting.count == 2


def test_a_class_allowed_for_one_view_is_refused_in_another(
    filled: tuple[Path, list[Record]], counting: CountingView
) -> None:
    # A view may only unpickle the record classes plus its own `classes`.
    tmp_path, records = filled
    assert isinstance(records[0], Entry)
    make_store(tmp_path).view(counting.view)
    saved = pickle.loads(view_file(tmp_path).read_bytes())
    foreign = EntryView(entry=records[0])  # allowed in the newest-entries view only
    view_file(tmp_path).write_bytes(_replace(saved, 4, (None, (foreign,))))
    assert make_store(tmp_path).view(counting.view)[0] == expected(records)
    assert counting.count == 2


# --- skipped files -----------------------------------------------------------------------------


def test_skipped_files_are_reported_on_the_computing_and_on_the_cached_call(
    filled: tuple[Path, list[Record]], counting: CountingView, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path, records = filled
    november = (tmp_path / "root" / "members" / "sam" / SAM_DEVICE / "2026" / "11").resolve()
    bad_name = f"{fresh_id()}.md"
    (november / bad_name).write_bytes(b"---\nnot: a record\n---\nnonsense\n")
    age_tree(tmp_path / "root")

    value, problems = make_store(tmp_path).view(counting.view)
    assert value == expected(records)
    assert len(problems) == 1
    assert isinstance(problems[0], Problem)
    assert problems[0].path == f"members/sam/{SAM_DEVICE}/2026/11/{bad_name}"
    assert problems[0].kind == "malformed"

    decodes = count_decodes(monkeypatch)
    cached_value, cached_problems = make_store(tmp_path).view(counting.view)
    assert counting.count == 1
    assert decodes.count == 0
    assert cached_value == value
    assert cached_problems == problems


def test_problems_go_away_with_the_file(
    filled: tuple[Path, list[Record]], counting: CountingView
) -> None:
    tmp_path, records = filled
    bad = next((tmp_path / "root").rglob("*.md")).parent / f"{fresh_id()}.md"
    bad.write_bytes(b"garbage")
    age_tree(tmp_path / "root")
    assert len(make_store(tmp_path).view(counting.view)[1]) == 1
    bad.unlink()
    value, problems = make_store(tmp_path).view(counting.view)
    assert problems == []
    assert value == expected(records)


# --- the cache can go at any time --------------------------------------------------------------


def test_deleting_the_cache_folder_loses_nothing(
    filled: tuple[Path, list[Record]], counting: CountingView, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path, records = filled
    warm, _ = make_store(tmp_path).view(counting.view)
    shutil.rmtree(tmp_path / "cache")

    cold, problems = make_store(tmp_path).view(counting.view)

    assert cold == warm == expected(records)
    assert problems == []
    assert counting.count == 2
    assert view_file(tmp_path).is_file()  # kept again
    decodes = count_decodes(monkeypatch)
    assert make_store(tmp_path).view(counting.view)[0] == warm
    assert decodes.count == 0


def test_deleting_only_the_views_folder_loses_nothing(
    filled: tuple[Path, list[Record]], counting: CountingView
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).view(counting.view)
    shutil.rmtree(tmp_path / "cache" / VIEWS_DIR)
    assert make_store(tmp_path).view(counting.view)[0] == expected(records)
    assert counting.count == 2


def test_an_empty_root_gives_the_value_of_no_records(
    tmp_path: Path, counting: CountingView
) -> None:
    assert make_store(tmp_path).view(counting.view) == (expected([]), [])
    newcomer = place(tmp_path / "root", entry("first ever"))
    assert make_store(tmp_path).view(counting.view)[0] == (None, (newcomer.stem,))


def test_a_cache_that_cannot_hold_views_costs_speed_never_the_value(
    filled: tuple[Path, list[Record]], counting: CountingView
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).load()
    (tmp_path / "cache" / VIEWS_DIR).write_bytes(b"a file where the views folder goes")
    for calls in (1, 2):
        assert make_store(tmp_path).view(counting.view) == (expected(records), [])
        assert counting.count == calls


# --- the views the commands use ----------------------------------------------------------------


def _command_views() -> list[tuple[str, View[Any], object]]:
    from peerlog.actions.due import DUE
    from peerlog.actions.goals import GOALS
    from peerlog.actions.journal import NEWEST, TAGS
    from peerlog.actions.summary import SUMMARY

    return [
        ("newest", NEWEST, None),
        ("tags", TAGS, None),
        ("goals", GOALS, None),
        ("goals in a space", GOALS, "pair"),
        ("due", DUE, None),
        ("due in a space", DUE, "pair"),
        ("summary", SUMMARY, (None, "sam")),
        ("summary in a space", SUMMARY, ("pair", "sam")),
    ]


COMMAND_VIEWS = _command_views()


@pytest.fixture
def mixed(tmp_path: Path) -> tuple[Path, list[Record]]:
    """Entries with a revision, a deletion and a reply, a goal with a log, a check-in, a profile
    and an agreement: settled."""
    entries = many_entries(6)
    goal = GoalProposal(
        id=fresh_id(),
        author="sam",
        device=SAM_DEVICE,
        clock=20,
        created=T0,
        title="Walk",
        target="3/week",
        participants=("sam",),
    )
    records: list[Record] = [
        *entries,
        revision(entries[0], "Better, #Walk with #friends", clock=10, tags=("Outside",)),
        deletion(entries[1], clock=11),
        Reply(
            id=fresh_id(),
            author="alex",
            device=ALEX_DEVICE,
            clock=12,
            created=T0,
            body="Sounds lovely.",
            target=entries[2].id,
        ),
        goal,
        GoalLog(
            id=fresh_id(),
            author="sam",
            device=SAM_DEVICE,
            clock=21,
            created=T0,
            goal=goal.id,
            amount=2.0,
            when=T0,
        ),
        Checkin(id=fresh_id(), author="alex", device=ALEX_DEVICE, clock=30, created=T0, mood=3),
        Profile(id=fresh_id(), author="sam", device=SAM_DEVICE, clock=31, created=T0, name="Sam"),
        Agreement(
            id=fresh_id(),
            author="sam",
            device=SAM_DEVICE,
            clock=32,
            created=T0,
            topic="cadence",
            value="2d",
        ),
    ]
    for record in records:
        place(tmp_path / "root", record)
    age_tree(tmp_path / "root")
    return tmp_path, records


@pytest.mark.parametrize(
    ("view", "key"),
    [(view, key) for _, view, key in COMMAND_VIEWS],
    ids=[label for label, _, _ in COMMAND_VIEWS],
)
def test_each_command_view_round_trips_through_the_cache(
    mixed: tuple[Path, list[Record]],
    monkeypatch: pytest.MonkeyPatch,
    view: View[Any],
    key: object,
) -> None:
    # Its pickle must load with its own `classes`: a missing one would make every run a full read.
    tmp_path, _ = mixed
    computed, _ = make_store(tmp_path).view(view, key)
    assert computed == view.compute(make_store(tmp_path).load(), key)
    decodes = count_decodes(monkeypatch)
    index_loads = count_index_loads(monkeypatch)

    cached, problems = make_store(tmp_path).view(view, key)

    assert decodes.count == 0
    assert index_loads.count == 0
    assert isinstance(cached, view.kind)
    assert cached == computed
    assert problems == []
