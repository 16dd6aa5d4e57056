"""Hints that fit the record: an id of another kind says what it is and how to see it; a goal
that is not active says what to do for its state."""

from __future__ import annotations

import re
from pathlib import Path

from goal_support import GoalMember

from peerlog.errors import ExitCode

Pair = tuple[GoalMember, GoalMember, Path]


def _saved(result_stdout: str, kind: str) -> str:
    found = re.search(rf"Saved {kind} ([0-9a-z]{{26}})", result_stdout)
    assert found, result_stdout
    return found[1]


def test_show_with_a_goal_id_says_it_is_a_goal(goal_pair: Pair) -> None:
    sam, _, _ = goal_pair
    goal = sam.propose("Walk together", "--space", "pair")

    result = sam.fails(ExitCode.NOT_FOUND, "show", goal[:10])

    assert f"{goal} in space pair is a goal, not an entry or a check-in." in result.stderr
    assert f"`peerlog goal show {goal}` shows it." in result.stderr
    assert "no entry" not in result.stderr.lower()


def test_goal_show_with_an_entry_id_says_it_is_an_entry(goal_pair: Pair) -> None:
    sam, _, _ = goal_pair
    entry = _saved(sam.ok("write", "walked by the river").stdout, "entry")

    result = sam.fails(ExitCode.NOT_FOUND, "goal", "show", entry[:8])

    assert f"{entry} is an entry, not a goal." in result.stderr
    assert f"`peerlog show {entry}` shows it." in result.stderr


def test_edit_with_a_checkin_id_names_the_checkin(goal_pair: Pair) -> None:
    sam, _, _ = goal_pair
    checkin = _saved(sam.ok("checkin", "--mood", "3").stdout, "check-in")

    result = sam.fails(ExitCode.NOT_FOUND, "edit", checkin, "new text")

    assert f"{checkin} is a check-in, not an entry." in result.stderr


def test_goal_show_of_an_unknown_id_points_to_goal_list(goal_pair: Pair) -> None:
    sam, _, _ = goal_pair

    result = sam.fails(ExitCode.NOT_FOUND, "goal", "show", "nope")

    assert "No goal has an id starting with 'nope'." in result.stderr
    assert "`peerlog goal list` shows the ids." in result.stderr
    assert "peerlog list`" not in result.stderr


def test_resource_helped_of_an_unknown_id_points_to_resource_list(goal_pair: Pair) -> None:
    sam, _, _ = goal_pair

    result = sam.fails(ExitCode.NOT_FOUND, "resource", "helped", "zzzz")

    assert "`peerlog resource list --all` shows the ids." in result.stderr


def test_goal_log_on_a_done_goal_points_to_reopen(goal_pair: Pair) -> None:
    sam, alex, _ = goal_pair
    goal = sam.propose("Read a book", "--space", "pair")
    alex.ok("goal", "accept", goal)
    sam.ok("goal", "complete", goal)
    alex.ok("goal", "complete", goal)

    result = sam.fails(ExitCode.REFUSED, "goal", "log", goal)

    assert "is done" in result.stderr
    assert f"`peerlog goal reopen {goal}`" in result.stderr
    assert "accept" not in result.stderr


def test_goal_log_on_a_proposed_goal_points_to_accept(goal_pair: Pair) -> None:
    sam, _, _ = goal_pair
    goal = sam.propose("Walk", "--space", "pair")

    result = sam.fails(ExitCode.REFUSED, "goal", "log", goal)

    assert "waiting for alex" in result.stderr
    assert f"`peerlog goal accept {goal}`" in result.stderr
