"""Many files read by forked copies of the process (store/parts.py): the same answer, in order,
whatever a copy does."""

from __future__ import annotations

import os
import sys
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
    found = parts.read_all(list(range(30)), lambda n: (n * n, os.getpid()))
    assert [value for value, _ in found] == [n * n for n in range(30)]
    pids = [pid for _, pid in found]
    assert pids[:10] == [os.getpid()] * 10  # this process reads the first share
    assert len(set(pids)) == 3 and os.getpid() not in pids[10:]


@pytest.mark.usefixtures("three_parts")
def test_a_copy_that_dies_has_its_share_read_here() -> None:
    parent = os.getpid()

    def read(n: int) -> int:
        if os.getpid() != parent and n >= 20:
            os._exit(9)  # the last copy is killed half-way
        return n + 1

    assert parts.read_all(list(range(30)), read) == [n + 1 for n in range(30)]


@pytest.mark.usefixtures("three_parts")
def test_a_copy_that_raises_has_its_share_read_here() -> None:
    parent = os.getpid()

    def read(n: int) -> int:
        if os.getpid() != parent:
            raise MemoryError
        return -n

    assert parts.read_all(list(range(30)), read) == [-n for n in range(30)]


@pytest.mark.usefixtures("three_parts")
def test_a_copy_runs_nothing_of_this_process_on_leaving(capfd: pytest.CaptureFixture[str]) -> None:
    sys.stdout.write("written once")  # still buffered as the copies are made
    parts.read_all(list(range(30)), str)
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
    found = parts.read_all(list(range(parts.FORK_FROM - 1)), lambda _: os.getpid())
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
