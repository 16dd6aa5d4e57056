"""A summary counts every log a goal ever had, however old, without reading the old ones again.

A goal's logs dated before the summary's edge (fold/progress.py `detail_edge`: a year back)
count by their sum, kept in the index (actions/summary.py). Whatever then happens to the records
that sum came from (a log taken back, a file gone from the folder or replaced in it, a copy
claiming a log's id, a member admitted, a log from the future coming into time, a back-dated log
arriving, a kept sum that is garbage), the very next summary shows each goal exactly as
`goal list`, which folds every log there is, does.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import peerlog.actions.summary as summary_action
import peerlog.store.index
import peerlog.store.record_store as record_store
from cli_driver import FIXED_NOW, Peerlog, Person, admit, fingerprint_of
from disk_time import age_tree
from peerlog.fold.progress import detail_edge
from peerlog.records import Record
from peerlog.records.goals import GoalLog
from peerlog.records.membership import DeviceApproval
from peerlog.store import decode_record, encode_record
from peerlog.store.keys import KEY_NAME, load_device_key

NOW = FIXED_NOW
DAY = timedelta(days=1)
START = NOW - 800 * DAY
EDGE = detail_edge(NOW)  # 2025-11-01
# (who, days before NOW it happened, amount): amounts whose sum depends on the order it is
# taken in, either side of the edge.
LOGS = [
    ("sam", 700, 0.1),
    ("sam", 500, 0.2),
    ("alex", 450, 0.7),
    ("sam", 400, 1e-9),
    ("sam", 100, 0.3),
    ("sam", 10, 2.5),
]


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Peerlog, Peerlog, Path, str]:
    """Sam and Alex, who admitted each other, share a goal logged to for two years; Sam's
    index keeps the sum of the old logs (his first summary)."""
    shared = tmp_path / "shared"
    sam = Person(tmp_path / "machine-sam", "Sam", "sam", now=START)
    alex = Person(tmp_path / "machine-alex", "Alex", "alex", now=START)
    sam.ok("space", "create", str(shared), "--name", "pair")
    alex.ok("space", "join", str(shared))
    admit(sam, alex)
    admit(alex, sam)
    goal = sam.saved_goal("goal", "propose", "Run", "--target", "1000 km", "--space", "pair")
    alex.ok("goal", "accept", goal, now=START + DAY)
    for who, back, amount in LOGS:
        member = sam if who == "sam" else alex
        member.ok("goal", "log", goal, str(amount), now=NOW - back * DAY)
    sam.now = alex.now = NOW
    assert NOW - 400 * DAY < EDGE < NOW - 100 * DAY
    return sam, alex, shared, goal


class OldLogsRead:
    """Counts the goal logs dated before the edge that the index builds (spies on its decoder)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        decode = peerlog.store.index.records_of

        def spy(rows: Any) -> list[Record]:
            records = decode(rows)
            self.count += sum(isinstance(r, GoalLog) and r.when < EDGE for r in records)
            return records

        monkeypatch.setattr(peerlog.store.index, "records_of", spy)

    def __call__(self) -> int:
        count, self.count = self.count, 0
        return count


@pytest.fixture
def old_logs_read(monkeypatch: pytest.MonkeyPatch) -> OldLogsRead:
    return OldLogsRead(monkeypatch)


def summarised(member: Peerlog, goal: str, **kwargs: Any) -> dict[str, Any]:
    """The goal as the summary shows it; checked against `goal list`, which reads every log."""
    [shown] = [
        g for g in member.json("summary", "--space", "pair", **kwargs)["goals"] if g["id"] == goal
    ]
    [listed] = [
        g for g in member.json("goal", "list", "--space", "pair", **kwargs) if g["id"] == goal
    ]
    assert shown == listed
    return shown


def total(member: Peerlog, goal: str, **kwargs: Any) -> float:
    return summarised(member, goal, **kwargs)["progress"]["total"]


def log_files(shared: Path, author: str) -> Iterator[tuple[Path, GoalLog]]:
    """`author`'s goal-log files in the space folder, oldest first."""
    found = []
    for path in (shared / "members" / author).rglob("*.md"):
        record = decode_record(path.read_bytes())
        if isinstance(record, GoalLog):
            found.append((path, record))
    yield from sorted(found, key=lambda pair: pair[1].when)


def replace_file(path: Path, data: bytes) -> None:
    """Write `path` anew as a sync engine does: a new file renamed over the old one."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def test_the_total_counts_every_log_and_the_old_ones_are_read_once(
    pair: tuple[Peerlog, Peerlog, Path, str], old_logs_read: OldLogsRead
) -> None:
    sam, alex, _, goal = pair
    assert total(sam, goal) == sum(sorted(amount for _, _, amount in LOGS))  # 3.800000001
    assert old_logs_read() > 0  # the first summary (and `goal list`) read them
    sam.ok("summary", "--space", "pair")
    assert old_logs_read() == 0  # the next one counts them by their kept sum
    sam.ok("write", "a new entry", "--space", "pair")
    alex.ok("goal", "log", goal, "4")
    sam.ok("summary", "--space", "pair")
    assert old_logs_read() == 0  # nor does a new entry or a new log change that
    assert total(sam, goal) == pytest.approx(7.800000001)


def test_an_old_log_taken_back(pair: tuple[Peerlog, Peerlog, Path, str]) -> None:
    sam, alex, _, goal = pair
    assert total(sam, goal) == pytest.approx(3.800000001)
    alex.ok("goal", "log", goal, "--undo")  # Alex's only log is from 450 days ago
    assert total(sam, goal) == pytest.approx(3.100000001)


def test_an_old_log_file_gone_from_the_folder(pair: tuple[Peerlog, Peerlog, Path, str]) -> None:
    sam, _, shared, goal = pair
    total(sam, goal)
    path, _ = next(log_files(shared, "sam"))  # 0.1, 700 days ago
    path.unlink()
    assert total(sam, goal) == pytest.approx(3.700000001)


def test_an_old_log_file_replaced_by_a_changed_one(
    pair: tuple[Peerlog, Peerlog, Path, str],
) -> None:
    sam, _, shared, goal = pair
    total(sam, goal)
    path, _ = next(log_files(shared, "sam"))
    data = path.read_bytes()
    replace_file(path, data.replace(b"amount = 0.1", b"amount = 900.1"))  # the signature fails
    assert total(sam, goal) == pytest.approx(3.700000001)
    replace_file(path, data)  # and back
    assert total(sam, goal) == pytest.approx(3.800000001)


def test_the_newest_row_replaced_by_a_file_of_the_same_name(
    pair: tuple[Peerlog, Peerlog, Path, str],
) -> None:
    """The row of the file read last goes, and the file's new record takes a row: a number
    of its own, never the one just freed (else the kept sum would look as good as before)."""
    sam, _, shared, goal = pair
    sam.ok("goal", "log", goal, "0.6", "--date", "2024-12-24")
    assert total(sam, goal) == pytest.approx(4.400000001)  # its row is the newest
    [(path, record)] = [(p, r) for p, r in log_files(shared, "sam") if r.amount == 0.6]
    replace_file(path, encode_record(dataclasses.replace(record, key="")))  # unsigned
    assert total(sam, goal) == pytest.approx(3.800000001)  # shown, but it counts for nothing


def test_an_unsigned_copy_claiming_an_old_logs_id_takes_nothing_from_it(
    pair: tuple[Peerlog, Peerlog, Path, str],
) -> None:
    sam, _, shared, goal = pair
    total(sam, goal)
    path, record = next(log_files(shared, "sam"))
    forged = GoalLog(
        id=record.id,
        author="sam",
        device=record.device,
        clock=record.clock,
        created=record.created,
        goal=record.goal,
        amount=-0.1,
        when=record.when,
    )
    (path.parent / "copy").mkdir()
    (path.parent / "copy" / path.name).write_bytes(encode_record(forged))
    other = shared / "members" / "sam" / record.device / "2099" / "01"
    other.mkdir(parents=True)
    (other / path.name).write_bytes(encode_record(forged))
    assert total(sam, goal) == pytest.approx(3.800000001)


def test_a_second_file_of_the_authors_own_for_an_old_logs_id(
    pair: tuple[Peerlog, Peerlog, Path, str],
) -> None:
    """Sam's own muddle: two signed files for one log, one of them dated last week. Every
    machine keeps the same one of the two (fold/claims.py): here the new one, whose smaller
    amount sorts first, so the old log counts no more."""
    sam, _, shared, goal = pair
    total(sam, goal)
    path, record = next(log_files(shared, "sam"))  # 0.1
    key = load_device_key(sam.home / KEY_NAME)
    muddle = dataclasses.replace(record, amount=0.05, when=NOW - 7 * DAY)
    beside = path.parent.parent / f"{int(path.parent.name) % 12 + 1:02d}"
    beside.mkdir(exist_ok=True)
    (beside / path.name).write_bytes(encode_record(muddle, key.sign))
    assert total(sam, goal) == pytest.approx(3.750000001)


def test_a_back_dated_log_from_a_second_device_counts_once_the_device_is_approved(
    tmp_path: Path, pair: tuple[Peerlog, Peerlog, Path, str]
) -> None:
    sam, alex, shared, goal = pair
    total(sam, goal)
    laptop = Person(tmp_path / "machine-alex-laptop", "Alex", "alex")
    laptop.ok("space", "join", str(shared))
    laptop.ok("goal", "log", goal, "0.6", "--date", "2025-01-01")
    assert total(sam, goal) == pytest.approx(3.800000001)  # a device nobody approved yet
    mine = fingerprint_of(laptop, "pair", "alex", laptop.device)
    alex.ok("device", "approve", "--space", "pair", "--fingerprint", mine)
    assert total(sam, goal) == pytest.approx(4.400000001)


def test_a_log_from_the_future_counts_once_its_time_comes(
    pair: tuple[Peerlog, Peerlog, Path, str],
) -> None:
    sam, alex, _, goal = pair
    total(sam, goal)
    ahead = NOW + 3 * DAY  # Alex's clock is three days fast
    alex.ok("goal", "log", goal, "5", "--date", "2025-01-01", now=ahead)
    assert total(sam, goal) == pytest.approx(3.800000001)  # from the future: not yet
    assert total(sam, goal, now=ahead) == pytest.approx(8.800000001)


def test_a_log_coming_into_time_while_a_summary_runs(
    pair: tuple[Peerlog, Peerlog, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index judges a row once it is in time, as a command begins; a row that comes into
    time later in the same command is still unjudged, so it counts for nothing yet: the sum
    worked out then is not kept as if it had been judged."""
    sam, alex, _, goal = pair
    total(sam, goal)
    ahead = NOW + 3 * DAY  # Alex's clock is three days fast
    alex.ok("goal", "log", goal, "5", "--date", "2025-01-01", now=ahead)
    assert total(sam, goal) == pytest.approx(3.800000001)  # from the future: not yet
    bound_at = record_store.clock_bound_at
    moment = [NOW]  # the wall clock, as the index's bound reads it
    monkeypatch.setattr(record_store, "clock_bound_at", lambda now: bound_at(moment[0]))
    sums = summary_action._sums

    def later(*args: Any) -> Any:
        moment[0] = ahead  # time passes while the summary folds
        return sums(*args)

    monkeypatch.setattr(summary_action, "_sums", later)
    sam.ok("summary", "--space", "pair")
    monkeypatch.undo()
    assert total(sam, goal, now=ahead) == pytest.approx(8.800000001)


def test_a_decider_gone_and_back_while_a_summary_works_out_its_sums(
    tmp_path: Path, pair: tuple[Peerlog, Peerlog, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another peerlog changes the index while this one works out its sums: they are read in
    one snapshot with their basis, so what is kept is what that basis says."""
    sam, alex, shared, goal = pair
    laptop = Person(tmp_path / "machine-alex-laptop", "Alex", "alex")
    laptop.ok("space", "join", str(shared))
    laptop.ok("goal", "log", goal, "0.6", "--date", "2025-01-01")
    mine = fingerprint_of(laptop, "pair", "alex", laptop.device)
    alex.ok("device", "approve", "--space", "pair", "--fingerprint", mine)
    assert total(sam, goal) == pytest.approx(4.400000001)
    [approval] = [
        p
        for p in (shared / "members" / "alex").rglob("*.md")
        if isinstance(decode_record(p.read_bytes()), DeviceApproval)
    ]
    aside = tmp_path / approval.name
    sam.ok("goal", "log", goal, "0.05", "--date", "2024-12-24")  # the sums are worked out again
    parsed = summary_action._parsed
    done = []

    def meanwhile(value: str | None) -> Any:
        if not done:
            done.append(True)
            os.rename(approval, aside)  # a sync engine moves it aside for a moment
            sam.ok("goal", "list", "--space", "pair")  # and another peerlog reads the folder
        return parsed(value)

    monkeypatch.setattr(summary_action, "_parsed", meanwhile)
    sam.ok("summary", "--space", "pair")
    monkeypatch.undo()
    assert done
    os.rename(aside, approval)  # back as it was
    assert total(sam, goal) == pytest.approx(4.450000001)


def test_a_back_dated_log_written_today(pair: tuple[Peerlog, Peerlog, Path, str]) -> None:
    sam, _, _, goal = pair
    total(sam, goal)
    sam.ok("goal", "log", goal, "0.6", "--date", "2024-12-24")
    assert total(sam, goal) == pytest.approx(4.400000001)


def test_a_kept_sum_that_is_garbage_is_worked_out_again(
    pair: tuple[Peerlog, Peerlog, Path, str],
) -> None:
    sam, _, _, goal = pair
    total(sam, goal)
    for value in ("garbage", '[["sam", "x", []]]', '[["sam", "x", [true]]]', "[1]"):
        for database in sam.cache.rglob("index.sqlite"):
            with sqlite3.connect(database) as db:
                db.execute("UPDATE kept SET value = ?", (value,))
            db.close()
        assert total(sam, goal) == pytest.approx(3.800000001)


def test_a_sum_kept_by_an_index_never_answers_for_the_one_rebuilt_after_it(
    pair: tuple[Peerlog, Peerlog, Path, str],
) -> None:
    """The same folder read into a new database gives rows the same numbers: the basis names
    the database too (a token it was made with), so what the old one kept is never taken."""
    sam, _, _, goal = pair
    total(sam, goal)

    def kept() -> tuple[Path, str]:
        for database in sam.cache.rglob("index.sqlite"):
            with sqlite3.connect(database) as db:
                rows = db.execute("SELECT basis, value FROM kept").fetchall()
            db.close()
            if rows and goal in rows[0][1]:
                return database, rows[0][0]
        raise AssertionError("no sum kept for the goal")

    _, before = kept()
    shutil.rmtree(sam.cache)
    total(sam, goal)
    database, after = kept()
    assert after != before
    with sqlite3.connect(database) as db:  # what the old index kept, if it were still here
        db.execute("UPDATE kept SET basis = ?, value = ?", (before, f'[["sam", "{goal}", [99.0]]]'))
    db.close()
    assert total(sam, goal) == pytest.approx(3.800000001)


def test_an_index_another_peerlog_is_writing_keeps_nothing_and_waits_for_nothing(
    pair: tuple[Peerlog, Peerlog, Path, str],
) -> None:
    sam, _, shared, goal = pair
    total(sam, goal)
    sam.ok("goal", "log", goal, "0.6", "--date", "2024-12-24")
    age_tree(shared)  # folders long settled: reading them writes nothing
    age_tree(sam.home)
    sam.ok("goal", "list", "--space", "pair")  # the index has read the new log
    [database] = [d for d in sam.cache.rglob("index.sqlite") if b"goal sums" in d.read_bytes()]
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another peerlog, in the middle of a write
    try:
        kept = writer.execute("SELECT basis FROM kept").fetchall()
        summary = sam.json("summary", "--space", "pair")
        [shown] = [g for g in summary["goals"] if g["id"] == goal]
        assert shown["progress"]["total"] == pytest.approx(4.400000001)
        assert writer.execute("SELECT basis FROM kept").fetchall() == kept  # nothing kept
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert total(sam, goal) == pytest.approx(4.400000001)


def test_a_window_reaching_further_back_than_the_edge(
    pair: tuple[Peerlog, Peerlog, Path, str],
) -> None:
    sam, _, _, goal = pair
    summary = sam.json("summary", "--space", "pair", "--since", "2024-06-01")
    assert sum(summary["activity"].values()) >= 5  # the logs since then, each on its day
    assert total(sam, goal) == pytest.approx(3.800000001)


def test_the_edge_is_a_year_back_at_the_start_of_a_month() -> None:
    now = datetime.fromisoformat("2026-03-31T23:30:00-08:00")
    assert detail_edge(now) == datetime.fromisoformat("2025-03-01T00:00:00-08:00")
    since = datetime.fromisoformat("2024-07-15T12:00:00+00:00")
    assert detail_edge(now, since) == datetime.fromisoformat("2024-07-01T00:00:00-08:00")
