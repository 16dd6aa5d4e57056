"""Many files read by forked copies of the process (store/parts.py): the same answer, in order,
whatever a copy does."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from unit_support import make_store, settled_root

from peerlog.store import parts

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="forking is used on Linux only"
)


@pytest.fixture
def three_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reading shared out among three processes, however few the items."""
    monkeypatch.setattr(parts, "FORK_FROM", 1)
    monkeypatch.setattr(parts, "parts", lambda: 3)


@pytest.mark.usefixtures("three_parts")
def test_items_are_shared_out_among_processes_and_come_back_in_order() -> None:
    found = list(parts.read_each(list(range(30)), lambda n: (n * n, os.getpid())))
    assert [value for value, _ in found] == [n * n for n in range(30)]
    pids = [pid for _, pid in found]
    assert len(set(pids[:10])) == len(set(pids[10:20])) == len(set(pids[20:])) == 1
    assert len(set(pids)) == 3 and os.getpid() not in pids  # this process only takes them


@pytest.mark.usefixtures("three_parts")
def test_results_arrive_while_the_copies_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first chunk is taken before its copy, or any other, has read the rest: every
    later item waits (up to 20 s) for a file this process writes only once it has the first."""
    monkeypatch.setattr(parts, "CHUNK", 2)
    taken = tmp_path / "first result taken"
    deadline = time.monotonic() + 20

    def read(n: int) -> str:
        if n >= 2:
            while not taken.exists():
                if time.monotonic() > deadline:
                    return "read before the first result was taken"
                time.sleep(0.01)
        return "read after"

    found = parts.read_each(list(range(30)), read)
    first = next(found)
    taken.touch()
    assert [first, *found] == ["read after"] * 30


@pytest.mark.usefixtures("three_parts")
@pytest.mark.parametrize("taken", [1, 0])
def test_a_reader_that_stops_early_leaves_no_copy_running(tmp_path: Path, taken: int) -> None:
    """Closed after its first result, or before any (the caller failed in between)."""

    def read(n: int) -> None:
        if n % 10 == 0:  # each copy's first item: say who reads it
            (tmp_path / str(os.getpid())).touch()
        time.sleep(0.5 if n >= 10 else 0)

    found = parts.read_each(list(range(30)), read)
    for _ in range(taken):
        next(found)
    deadline = time.monotonic() + 10
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # the other copies have started
    started = time.monotonic()
    found.close()
    assert time.monotonic() - started < 5  # not waiting for copies to read all they were given
    copies = [int(path.name) for path in tmp_path.iterdir()]
    assert len(copies) >= 1
    for pid in copies:  # ended and reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


@pytest.mark.usefixtures("three_parts")
@pytest.mark.parametrize("chunk", [2, 100])
def test_a_copy_that_dies_has_what_it_did_not_send_read_here(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts, "CHUNK", chunk)  # (with 2, it has sent two chunks)
    parent = os.getpid()

    def read(n: int) -> int:
        if os.getpid() != parent and n >= 24:
            os._exit(9)  # the last copy is killed half-way
        return n + 1

    assert list(parts.read_each(list(range(30)), read)) == [n + 1 for n in range(30)]


@pytest.mark.usefixtures("three_parts")
def test_a_copy_that_raises_has_its_share_read_here() -> None:
    parent = os.getpid()

    def read(n: int) -> int:
        if os.getpid() != parent:
            raise MemoryError
        return -n

    assert list(parts.read_each(list(range(30)), read)) == [-n for n in range(30)]


@pytest.mark.usefixtures("three_parts")
def test_a_copy_runs_nothing_of_this_process_on_leaving(capfd: pytest.CaptureFixture[str]) -> None:
    sys.stdout.write("written once")  # still buffered as the copies are made
    list(parts.read_each(list(range(30)), str))
    sys.stdout.flush()
    assert capfd.readouterr().out == "written once"


def test_no_copy_is_made_while_another_thread_runs() -> None:
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parts.parts() == 1
    finally:
        stop.set()
        other.join()


def test_few_items_are_read_in_this_process() -> None:
    found = list(parts.read_each(list(range(parts.FORK_FROM - 1)), lambda _: os.getpid()))
    assert set(found) == {os.getpid()}


def test_a_cold_index_read_in_parts_is_the_one_read_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _records = settled_root(tmp_path)
    month = next((root / "root").rglob("*.md")).parent
    (month / "01jd0000000000000000000000.md").write_text("not a record\n")  # a problem
    whole = make_store(root).index
    whole.refresh()
    one = (whole.remembered(), whole.problems())
    whole.forget()
    monkeypatch.setattr(parts, "FORK_FROM", 1)
    monkeypatch.setattr(parts, "parts", lambda: 2)
    shared = make_store(root).index
    shared.refresh()
    assert (shared.remembered(), shared.problems()) == one
    assert len(one[0]) == 40 and len(one[1]) == 1
