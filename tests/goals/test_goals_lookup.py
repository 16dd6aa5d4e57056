"""Finding the goal a command acts on: by a short id, wherever its proposal is filed, with only
the files that are new since the index last looked read again."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from goal_support import CLI_NOW, GoalMember, record_files

from disk_time import age_tree
from peerlog.errors import ExitCode
from peerlog.records.goals import GoalProposal
from peerlog.store import index as index_module

Pair = tuple[GoalMember, GoalMember, Path]
EARLIER = CLI_NOW - timedelta(days=60)  # private entries from another month: other ids


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every record file read from now on."""
    read: list[Path] = []
    real = index_module.read_record

    def counting(month: Any, name: str, size: int) -> Any:
        read.append(month.path / name)
        return real(month, name, size)

    monkeypatch.setattr(index_module, "read_record", counting)
    return read


def minute(n: int) -> datetime:
    """A moment of its own for each command, so every record has an id of its own time."""
    return CLI_NOW + timedelta(minutes=n)


def agreed_goal(goal_pair: Pair) -> tuple[GoalMember, GoalMember, Path, str]:
    sam, alex, shared = goal_pair
    goal = sam.propose("Walk", "--space", "pair", "--target", "3/week")
    alex.ok("goal", "accept", goal)
    return sam, alex, shared, goal


def test_logging_reads_only_the_files_new_since_the_last_command(
    goal_pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    sam, alex, shared, goal = agreed_goal(goal_pair)
    for n in range(5):
        (sam if n % 2 else alex).ok("goal", "log", goal, now=minute(n))
    age_tree(shared)
    earlier = set(shared.rglob("*.md"))
    sam.ok("goal", "log", goal, now=minute(10))
    alex.ok("goal", "log", goal, "3", now=minute(11))  # one new file, a log
    reads = count_reads(monkeypatch)
    sam.ok("goal", "log", goal, now=minute(12))
    assert reads  # the new files were read ...
    assert not set(reads) & earlier  # ... and nothing that was there before
    assert sam.show(goal, now=minute(13))["progress"]["total"] == 10


def test_a_short_id_finds_the_goal(goal_pair: Pair) -> None:
    sam, alex, _shared, goal = agreed_goal(goal_pair)
    sam.ok("write", "private", now=EARLIER)
    short = goal[:12]
    assert "Logged 1 on 'Walk'" in alex.ok("goal", "log", short).stdout
    assert alex.show(short)["id"] == goal
    assert alex.show(short)["progress"]["total"] == 1


def test_a_goal_filed_in_another_month_is_still_found(goal_pair: Pair) -> None:
    """A proposal another program filed under another month: peerlog looks everywhere."""
    sam, alex, shared, goal = agreed_goal(goal_pair)
    path, record = record_files(shared)[goal]
    assert isinstance(record, GoalProposal)
    elsewhere = path.parent.parent.parent / "2019" / "03"
    elsewhere.mkdir(parents=True)
    shutil.move(path, elsewhere / path.name)
    alex.ok("goal", "log", goal)
    alex.ok("goal", "log", goal[:12])
    assert alex.show(goal)["progress"]["total"] == 2
    assert sam.show(goal)["progress"]["total"] == 2


def test_undo_still_sees_the_logs(goal_pair: Pair) -> None:
    sam, _alex, _shared, goal = agreed_goal(goal_pair)
    sam.ok("goal", "log", goal, "2")
    sam.ok("goal", "log", goal, "5")
    sam.ok("goal", "log", goal, "--undo")
    assert sam.show(goal)["progress"]["total"] == 2


def test_a_journal_that_only_seems_to_hold_the_goal_does_not_hide_it(goal_pair: Pair) -> None:
    """A private entry made in the same moment as the goal shares the start of its id; with
    the goal's proposal filed elsewhere, the private journal is the only one that seems to hold
    it, and is read first: the goal is then looked for everywhere."""
    sam, alex, shared = goal_pair
    goal = sam.propose("Swim", "--space", "pair", "--target", "2/week", now=minute(3))
    sam.ok("write", "made in the same moment as the goal", now=minute(3))
    alex.ok("goal", "accept", goal, now=minute(4))
    path, _record = record_files(shared)[goal]
    elsewhere = path.parent.parent.parent / "2019" / "03"
    elsewhere.mkdir(parents=True)
    shutil.move(path, elsewhere / path.name)
    assert "Logged 1 on 'Swim'" in sam.ok("goal", "log", goal[:10], now=minute(5)).stdout


def test_skipped_files_are_reported_even_when_the_goal_is_not_found(goal_pair: Pair) -> None:
    sam, _alex, shared, goal = agreed_goal(goal_pair)
    path, _record = record_files(shared)[goal]
    path.write_text("not a record any more")
    result = sam.fails(4, "goal", "log", goal)
    assert path.name in result.stderr  # why it is not found
    assert "No goal" in result.stderr


@pytest.mark.parametrize("typed", ["", "   "])
def test_a_blank_goal_id_is_refused_without_reading_any_goal(
    goal_pair: Pair, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    sam, _alex, _shared, _goal = agreed_goal(goal_pair)
    folded: list[object] = []
    real = index_module.RecordIndex.with_related
    monkeypatch.setattr(
        index_module.RecordIndex,
        "with_related",
        lambda self, ids, **kw: folded.append(ids) or real(self, ids, **kw),
    )
    result = sam.fails(ExitCode.NOT_FOUND, "goal", "show", typed)
    assert result.stderr.startswith("peerlog: No goal id given.")
    assert folded == []
