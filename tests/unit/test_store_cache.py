"""The parsed-record cache and the logical clock: fast when warm, never a source of truth."""

from __future__ import annotations

import builtins
import os
import pickle
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from unit_support import (
    ALEX_DEVICE,
    T0,
    age_tree,
    count_decodes,
    entry,
    make_store,
    many_entries,
    place,
    settled_root,
)

from peerlog import __version__
from peerlog.records import Record
from peerlog.store.cache import CACHE_FORMAT, CLOCK_NAME, INDEX_NAME, MonthEntry


def ids(records: list[Record]) -> list[str]:
    return sorted(r.id for r in records)


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, list[Record]]:
    """A record root with 40 records over two months, already settled on disk."""
    return settled_root(tmp_path)


# --- warm loads --------------------------------------------------------------------------------


def test_a_second_load_without_changes_decodes_nothing(
    filled: tuple[Path, list[Record]], monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path, records = filled
    decodes = count_decodes(monkeypatch)
    first = make_store(tmp_path).load()
    assert decodes.count == len(records)
    decodes.reset()
    second = make_store(tmp_path).load()
    assert decodes.count == 0
    assert ids(second.records) == ids(first.records) == ids(records)
    assert second.records == first.records


def test_a_second_load_right_after_writing_decodes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Folders changed moments ago are re-listed (coarse clocks), but files are not re-read.
    for record in many_entries(10):
        place(tmp_path / "root", record)
    make_store(tmp_path).load()
    decodes = count_decodes(monkeypatch)
    assert len(make_store(tmp_path).load().records) == 10
    assert decodes.count == 0


def test_adding_a_record_reads_only_the_new_file(
    filled: tuple[Path, list[Record]], monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).load()
    newcomer = entry("arrived by sync", author="alex", clock=99)
    place(tmp_path / "root", newcomer)
    decodes = count_decodes(monkeypatch)
    loaded = make_store(tmp_path).load()
    assert decodes.count == 1
    assert ids(loaded.records) == ids([*records, newcomer])


def test_publishing_then_loading_reads_only_the_new_file(
    filled: tuple[Path, list[Record]], monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).load()
    written = make_store(tmp_path).publish(lambda clock: entry("new", clock=clock))
    decodes = count_decodes(monkeypatch)
    loaded = make_store(tmp_path).load()
    assert decodes.count == 1
    assert ids(loaded.records) == ids([*records, written])


def test_a_removed_file_disappears_from_the_next_load(filled: tuple[Path, list[Record]]) -> None:
    tmp_path, records = filled
    make_store(tmp_path).load()
    victim = records[3]
    next((tmp_path / "root").rglob(f"{victim.id}.md")).unlink()
    assert ids(make_store(tmp_path).load().records) == ids([r for r in records if r != victim])


def test_a_file_added_within_the_clock_granularity_is_still_found(tmp_path: Path) -> None:
    # On a file system with coarse timestamps, adding a file may not change the folder's
    # mtime. A folder scanned soon after its last change must be listed again next time.
    root = tmp_path / "root"
    first = entry("first")
    folder = place(root, first).parent
    stamp = time.time_ns() - 500_000_000
    os.utime(folder, ns=(stamp, stamp))
    make_store(tmp_path).load()
    second = entry("second, same coarse tick")
    place(root, second)
    os.utime(folder, ns=(stamp, stamp))
    assert ids(make_store(tmp_path).load().records) == ids([first, second])


def test_a_removed_month_folder_is_dropped_from_the_cache(
    filled: tuple[Path, list[Record]],
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).load()
    september = next(p for p in (tmp_path / "root").rglob("09") if p.is_dir())
    shutil.rmtree(september)
    remaining = make_store(tmp_path).load().records
    assert ids(remaining) == ids([r for r in records if r.created.month == 11])


def test_the_cache_never_lives_in_the_record_root(filled: tuple[Path, list[Record]]) -> None:
    tmp_path, records = filled
    store = make_store(tmp_path)
    store.load()
    store.publish(lambda clock: entry("x", clock=clock))
    files = [p for p in (tmp_path / "root").rglob("*") if p.is_file()]
    assert all(p.suffix == ".md" for p in files)
    assert len(files) == len(records) + 1
    assert (tmp_path / "cache" / INDEX_NAME).is_file()


# --- the cache can go at any time --------------------------------------------------------------


def test_deleting_the_cache_folder_loses_nothing(filled: tuple[Path, list[Record]]) -> None:
    tmp_path, records = filled
    warm = make_store(tmp_path).load()
    shutil.rmtree(tmp_path / "cache")
    cold = make_store(tmp_path).load()
    assert cold.records == warm.records
    assert ids(cold.records) == ids(records)


def test_deleting_the_cache_between_publishes_loses_nothing(tmp_path: Path) -> None:
    written = []
    for i in range(4):
        build = _entry_at(i)
        written.append(run_with_timeout(lambda: make_store(tmp_path).publish(build)))  # noqa: B023
        shutil.rmtree(tmp_path / "cache")
    assert ids(make_store(tmp_path).load().records) == ids(written)


def _entry_at(i: int) -> Callable[[int], Record]:
    return lambda clock: entry(f"entry {i}", clock=clock)


CORRUPT_CACHES: dict[str, Callable[[], bytes]] = {
    "garbage bytes": lambda: b"\x00\xffnot a pickle at all" * 10,
    "empty file": lambda: b"",
    "truncated pickle": lambda: pickle.dumps({"format": CACHE_FORMAT, "months": {}})[:-5],
    "another format": lambda: pickle.dumps(
        {"format": CACHE_FORMAT + 1, "version": __version__, "months": {"x": 1}}
    ),
    "another version": lambda: pickle.dumps(
        {"format": CACHE_FORMAT, "version": "0.0.0-old", "months": {"x": 1}}
    ),
    "not a dict": lambda: pickle.dumps([1, 2, 3]),
    "text": lambda: b"format = 1\n",
}


@pytest.mark.parametrize("make_bytes", CORRUPT_CACHES.values(), ids=CORRUPT_CACHES.keys())
def test_a_corrupt_cache_file_is_ignored_and_rebuilt(
    filled: tuple[Path, list[Record]],
    monkeypatch: pytest.MonkeyPatch,
    make_bytes: Callable[[], bytes],
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).load()
    (tmp_path / "cache" / INDEX_NAME).write_bytes(make_bytes())
    assert ids(make_store(tmp_path).load().records) == ids(records)
    decodes = count_decodes(monkeypatch)
    assert ids(make_store(tmp_path).load().records) == ids(records)
    assert decodes.count == 0  # rebuilt and saved again


def month_keys(tmp_path: Path) -> list[str]:
    return [
        str(p.relative_to(tmp_path / "root"))
        for p in (tmp_path / "root").rglob("*")
        if p.is_dir() and len(p.relative_to(tmp_path / "root").parts) == 5
    ]


@pytest.mark.parametrize(
    "bad_entry",
    [
        42,
        "a string",
        {"mtime_ns": 1},
    ],
    ids=["int", "str", "dict"],
)
def test_a_cache_index_with_a_malformed_months_table_is_ignored(
    filled: tuple[Path, list[Record]], bad_entry: Any
) -> None:
    # What an older build with the same version string (or a half-written edit) can leave.
    tmp_path, records = filled
    make_store(tmp_path).load()
    months = dict.fromkeys(month_keys(tmp_path), bad_entry)
    assert months
    payload = {"format": CACHE_FORMAT, "version": __version__, "months": months}
    (tmp_path / "cache" / INDEX_NAME).write_bytes(pickle.dumps(payload))
    assert ids(make_store(tmp_path).load().records) == ids(records)


def test_a_cache_entry_holding_something_other_than_records_is_ignored(
    filled: tuple[Path, list[Record]],
) -> None:
    # A well-formed, "trusted" month entry whose file table holds junk instead of records.
    tmp_path, records = filled
    make_store(tmp_path).load()
    months = {}
    for rel in month_keys(tmp_path):
        folder = tmp_path / "root" / rel
        mtime = folder.stat().st_mtime_ns
        files = {p.name: (p.stat().st_size, p.stat().st_mtime_ns, "junk") for p in folder.iterdir()}
        months[rel] = MonthEntry(mtime_ns=mtime, scanned_ns=mtime + 10**12, files=files)  # type: ignore[arg-type]
    payload = {"format": CACHE_FORMAT, "version": __version__, "months": months}
    (tmp_path / "cache" / INDEX_NAME).write_bytes(pickle.dumps(payload))
    loaded = make_store(tmp_path).load()
    assert ids(loaded.records) == ids(records)
    assert all(isinstance(r, Record) for r in loaded.records)


class _Exploit:
    """Unpickling this calls `func(*args)`, if the unpickler lets the global through."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        self.func, self.args = func, args

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.func, self.args)


@pytest.mark.parametrize("how", ["os.system", "builtins.exec", "builtins.open"])
def test_a_cache_pickle_referencing_a_dangerous_global_is_rejected_unexecuted(
    filled: tuple[Path, list[Record]], how: str
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).load()
    marker = tmp_path / "pwned"
    exploit = {
        "os.system": _Exploit(os.system, f"touch {marker}"),
        "builtins.exec": _Exploit(builtins.exec, f"open({str(marker)!r}, 'w').close()"),
        "builtins.open": _Exploit(builtins.open, str(marker), "w"),
    }[how]
    payload = {"format": CACHE_FORMAT, "version": __version__, "months": {"x": exploit}}
    (tmp_path / "cache" / INDEX_NAME).write_bytes(pickle.dumps(payload))
    loaded = make_store(tmp_path).load()
    assert not marker.exists()
    assert ids(loaded.records) == ids(records)


# --- logical clocks ----------------------------------------------------------------------------


def run_with_timeout(action: Callable[[], Record], seconds: float = 20) -> Record:
    """Run `action` in a thread so a deadlock fails the test instead of hanging the suite."""
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append(action())
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    assert outcome, f"publishing did not finish within {seconds} s (deadlock?)"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]  # type: ignore[no-any-return]


def publish_one(tmp_path: Path, text: str = "x") -> Record:
    return run_with_timeout(lambda: make_store(tmp_path).publish(_entry_with(text)))


def _entry_with(text: str) -> Callable[[int], Record]:
    return lambda clock: entry(text, clock=clock)


def test_the_first_clock_is_one(tmp_path: Path) -> None:
    assert publish_one(tmp_path).clock == 1


def test_successive_publishes_get_strictly_increasing_clocks(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    clocks = [store.publish(_entry_with(f"{i}")).clock for i in range(5)]
    clocks += [publish_one(tmp_path, f"new store {i}").clock for i in range(5)]
    assert clocks == sorted(set(clocks))
    assert clocks == list(range(1, 11))


def test_after_deleting_the_cache_the_next_clock_is_above_every_record(
    filled: tuple[Path, list[Record]],
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).load()
    shutil.rmtree(tmp_path / "cache")
    record = publish_one(tmp_path)
    assert record.clock == max(r.clock for r in records) + 1


def test_after_deleting_only_the_clock_file_the_next_clock_is_above_every_record(
    filled: tuple[Path, list[Record]],
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).load()
    (tmp_path / "cache" / CLOCK_NAME).unlink()
    assert publish_one(tmp_path).clock == max(r.clock for r in records) + 1


def test_a_garbage_clock_file_is_rebuilt_from_the_records(
    filled: tuple[Path, list[Record]],
) -> None:
    tmp_path, records = filled
    make_store(tmp_path).load()
    (tmp_path / "cache" / CLOCK_NAME).write_text("not a number\n")
    assert publish_one(tmp_path).clock == max(r.clock for r in records) + 1


def test_a_high_clock_from_another_device_raises_the_next_clock_after_a_load(
    tmp_path: Path,
) -> None:
    mine = publish_one(tmp_path)
    assert mine.clock == 1
    theirs = entry("from alex's laptop", author="alex", device=ALEX_DEVICE, clock=1000)
    place(tmp_path / "root", theirs)
    make_store(tmp_path).load()
    assert publish_one(tmp_path).clock == 1001


def test_a_load_never_lowers_the_clock(tmp_path: Path) -> None:
    for i in range(3):
        publish_one(tmp_path, str(i))
    high = entry("high", author="alex", device=ALEX_DEVICE, clock=50)
    path = place(tmp_path / "root", high)
    make_store(tmp_path).load()
    path.unlink()  # the peer's record goes away again
    make_store(tmp_path).load()
    assert publish_one(tmp_path).clock == 51


def test_concurrent_writers_never_share_a_clock(tmp_path: Path) -> None:
    clocks: list[int] = []
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(8):
                clocks.append(make_store(tmp_path).publish(_entry_with(f"{n}-{i}")).clock)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(clocks) == list(range(1, 33))
    loaded = make_store(tmp_path).load().records
    assert sorted(r.clock for r in loaded) == list(range(1, 33))


# --- when the index is rewritten ---------------------------------------------------------------


def _index_writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from peerlog.store import cache as cache_module

    writes: list[int] = []
    real = cache_module.replace_private

    def counting(path: Path, data: bytes, **kwargs: Any) -> None:
        if path.name == INDEX_NAME:
            writes.append(len(data))
        real(path, data, **kwargs)

    monkeypatch.setattr(cache_module, "replace_private", counting)
    return writes


def test_one_new_file_in_a_large_settled_journal_does_not_rewrite_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for record in many_entries(200):
        place(tmp_path / "root", record)
    age_tree(tmp_path / "root")
    make_store(tmp_path).load()
    writes = _index_writes(monkeypatch)
    decodes = count_decodes(monkeypatch)
    place(tmp_path / "root", entry("Just arrived.", clock=500, created=T0))
    for _ in range(3):
        loaded = make_store(tmp_path).load()
        assert len(loaded.records) == 201
    assert writes == []  # the folder changed moments ago: the new file is read again instead
    assert decodes.count == 3  # the new file each time, never an old one
    age_tree(tmp_path / "root")  # once the folder has settled, the index takes the file in
    make_store(tmp_path).load()
    assert len(writes) == 1
    decodes.reset()
    assert len(make_store(tmp_path).load().records) == 201
    assert decodes.count == 0


def test_many_new_files_at_once_are_saved_to_the_index_straight_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for record in many_entries(40):
        place(tmp_path / "root", record)  # a first sync: everything new, folders just made
    writes = _index_writes(monkeypatch)
    make_store(tmp_path).load()
    assert len(writes) == 1
    decodes = count_decodes(monkeypatch)
    assert len(make_store(tmp_path).load().records) == 40
    assert decodes.count == 0
