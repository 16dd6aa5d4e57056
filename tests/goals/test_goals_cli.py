"""Goals through the CLI: two (or three) homes sharing one space folder, `now` pinned for all.

Every step is checked from both homes: `goal show --json` must be identical on both machines,
since both read the same set of records. Refusals give a sentence on stderr and the documented
exit code (peerlog.errors.ExitCode); records land only in the writer's own device folder of the
space (or journal) that holds the goal.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from goal_support import CLI_NOW, GoalMember, owner_folder, record_files

from peerlog.errors import ExitCode
from peerlog.records import Deletion
from peerlog.records.goals import (
    GoalAccept,
    GoalAmend,
    GoalComplete,
    GoalDecline,
    GoalLog,
    GoalProposal,
    GoalRest,
    GoalWithdraw,
)

Pair = tuple[GoalMember, GoalMember, Path]
Trio = tuple[GoalMember, GoalMember, GoalMember, Path]
HOUR = timedelta(hours=1)


def same_everywhere(goal: str, *members: GoalMember, now: Any = CLI_NOW) -> dict[str, Any]:
    """`goal show --json` from every home; they must agree. Returns it."""
    shown = [m.show(goal, now=now) for m in members]
    for other in shown[1:]:
        assert other == shown[0]
    listed = (
        [m.list("--space", shown[0]["space"], now=now) for m in members]
        if shown[0]["space"]
        else []
    )
    for other_list in listed[1:]:
        assert other_list == listed[0]
    return shown[0]


def goal_records(shared: Path, goal: str) -> list[tuple[Path, Any]]:
    """Goal records about `goal` (and deletions) in a space folder, in merge order."""
    found = [
        (path, record)
        for path, record in record_files(shared).values()
        if getattr(record, "goal", None) == goal
        or record.id == goal
        or isinstance(record, Deletion)
    ]
    return sorted(found, key=lambda pr: pr[1].order_key())


def assert_own_folders(root: Path, *members: GoalMember) -> None:
    """Every record sits in its author's own device folder (DESIGN §2.1)."""
    devices = {m.member: m.device for m in members}
    for path, record in record_files(root).values():
        member, device = owner_folder(root, path)
        assert (member, device) == (record.author, record.device)
        assert devices[member] == device


def journal_files(member: GoalMember) -> list[Path]:
    return sorted((member.home / "journal").rglob("*.md"))


# --- the whole life of a shared goal -------------------------------------------------------


def test_propose_accept_log_amend_reaccept_complete(goal_pair: Pair) -> None:
    sam, alex, shared = goal_pair
    t = CLI_NOW
    goal = sam.propose(
        "Walk together", "--target", "3/week", "--why", "fresh air", "--space", "pair", now=t
    )
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["state"] == "proposed"
    assert shown["space"] == "pair"
    assert shown["title"] == "Walk together"
    assert shown["participants"] == ["alex", "sam"]
    assert shown["waiting_for"] == ["alex"]
    assert shown["terms"] is None
    assert [p["target"] for p in shown["pending"]] == ["3/week"]
    assert shown["pending"][0]["accepted_by"] == ["sam"]

    refused = alex.fails(ExitCode.REFUSED, "goal", "log", goal, now=t)
    assert "active" in refused.stderr

    t += HOUR
    alex.ok("goal", "accept", goal, now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["state"] == "active"
    assert shown["terms"]["target"] == "3/week"
    assert shown["terms"]["agreed"] is True
    assert sorted(shown["terms"]["accepted_by"]) == ["alex", "sam"]
    assert shown["waiting_for"] == []
    assert shown["active_since"] is not None
    again = alex("goal", "accept", goal, now=t)
    assert again.exit_code == ExitCode.NOTHING_DONE

    t += HOUR
    sam.ok("goal", "log", goal, "--note", "river path", now=t)
    alex.ok("goal", "log", goal, "2", now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["progress"]["kind"] == "cadence"
    assert shown["progress"]["total"] == 3
    assert shown["progress"]["this_period"]["amount"] == 3
    assert shown["progress"]["this_period"]["met"] is True
    assert shown["progress"]["run"] == 1
    assert shown["progress"]["behind"] is False

    t += HOUR
    alex.ok("goal", "amend", goal, "--target", "2/week", "--title", "Walk, gently", now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["state"] == "active"
    assert shown["terms"]["target"] == "3/week"  # the old terms stand …
    assert shown["title"] == "Walk together"
    assert [p["target"] for p in shown["pending"]] == ["2/week"]  # … until everyone says yes
    assert shown["pending"][0]["accepted_by"] == ["alex"]
    assert shown["waiting_for"] == ["sam"]

    t += HOUR
    sam.ok("goal", "accept", goal, now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["terms"]["target"] == "2/week"
    assert shown["title"] == "Walk, gently"
    assert shown["pending"] == []
    assert shown["waiting_for"] == []
    assert shown["progress"]["target"] == "2/week"
    assert shown["progress"]["this_period"]["target"] == 2

    t += HOUR
    sam.ok("goal", "complete", goal, now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["state"] == "active"  # one "done" is not the group's decision
    assert shown["completion_votes"] == ["sam"]
    assert sam("goal", "complete", goal, now=t).exit_code == ExitCode.NOTHING_DONE

    t += HOUR
    alex.ok("goal", "complete", goal, now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["state"] == "done"
    assert shown["completion_votes"] == ["alex", "sam"]
    assert "active" in sam.fails(ExitCode.REFUSED, "goal", "log", goal, now=t).stderr
    sam.fails(ExitCode.REFUSED, "goal", "amend", goal, "--target", "4/week", now=t)

    # the files: one per action, each in its writer's own device folder of the space
    kinds = [(r.author, type(r)) for _, r in goal_records(shared, goal)]
    assert kinds == [
        ("sam", GoalProposal),
        ("alex", GoalAccept),
        ("sam", GoalLog),
        ("alex", GoalLog),
        ("alex", GoalAmend),
        ("sam", GoalAccept),
        ("sam", GoalComplete),
        ("alex", GoalComplete),
    ]
    history = [(e["author"], e["type"]) for e in shown["history"]]
    assert history == [(a, cls.TYPE) for a, cls in kinds]
    assert_own_folders(shared, sam, alex)
    logs = [r for _, r in goal_records(shared, goal) if isinstance(r, GoalLog)]
    assert [(r.amount, r.body) for r in logs] == [(1.0, "river path"), (2.0, "")]
    accept = next(r for _, r in goal_records(shared, goal) if isinstance(r, GoalAccept))
    assert accept.terms == goal
    # nothing about the goal was written into anyone's private journal
    assert journal_files(sam) == [] and journal_files(alex) == []


def test_a_decline_then_an_amendment_accepted_by_all(goal_pair: Pair) -> None:
    sam, alex, shared = goal_pair
    t = CLI_NOW
    goal = sam.propose("Run", "--target", "5/week", "--space", "pair", now=t)
    t += HOUR
    alex.ok("goal", "decline", goal, "--reason", "too much for now", now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["state"] == "declined"
    assert shown["pending"][0]["declined_by"] == [{"member": "alex", "reason": "too much for now"}]
    assert shown["waiting_for"] == ["alex"]
    assert "active" in sam.fails(ExitCode.REFUSED, "goal", "log", goal, now=t).stderr

    t += HOUR
    sam.ok("goal", "amend", goal, "--target", "2/week", now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["state"] == "proposed"
    assert [p["target"] for p in shown["pending"]] == ["5/week", "2/week"]
    assert shown["waiting_for"] == ["alex"]

    t += HOUR
    alex.ok("goal", "accept", goal, now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["state"] == "active"
    assert shown["terms"]["target"] == "2/week"
    assert shown["pending"] == []
    # nothing is waiting for an answer now: declining says so, writes nothing
    before = set(record_files(shared))
    result = alex("goal", "decline", goal, now=t)
    assert result.exit_code == ExitCode.NOTHING_DONE
    assert set(record_files(shared)) == before

    records = [r for _, r in goal_records(shared, goal)]
    decline = next(r for r in records if isinstance(r, GoalDecline))
    assert decline.author == "alex" and decline.terms == goal
    assert decline.body == "too much for now"
    assert_own_folders(shared, sam, alex)


def test_after_a_withdrawal_the_remaining_participant_decides(goal_pair: Pair) -> None:
    sam, alex, shared = goal_pair
    t = CLI_NOW
    goal = sam.propose("Read", "--target", "3/week", "--space", "pair", now=t)
    t += HOUR
    alex.ok("goal", "accept", goal, now=t)
    t += HOUR
    alex.ok("goal", "withdraw", goal, "--reason", "need a break", now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["state"] == "active"
    assert shown["active"] == ["sam"]
    assert shown["withdrawn"] == ["alex"]
    assert alex("goal", "withdraw", goal, now=t).exit_code == ExitCode.NOTHING_DONE
    alex.fails(ExitCode.REFUSED, "goal", "amend", goal, "--target", "1/week", now=t)

    t += HOUR
    sam.ok("goal", "amend", goal, "--target", "2/week", now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["terms"]["target"] == "2/week"  # sam's own yes is all that is needed now
    assert shown["pending"] == []

    t += HOUR
    sam.ok("goal", "complete", goal, now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["state"] == "done"
    assert shown["completion_votes"] == ["sam"]

    t += HOUR
    sam.ok("goal", "reopen", goal, now=t)
    t += HOUR
    alex.ok("goal", "accept", goal, now=t)  # accepting again rejoins
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["state"] == "active"
    assert shown["active"] == ["alex", "sam"]
    assert shown["withdrawn"] == []
    assert shown["terms"]["target"] == "2/week"

    withdrawal = next(r for _, r in goal_records(shared, goal) if isinstance(r, GoalWithdraw))
    assert (withdrawal.author, withdrawal.body) == ("alex", "need a break")
    assert_own_folders(shared, sam, alex)


def test_a_proposed_goal_becomes_active_when_the_one_who_did_not_answer_withdraws(
    goal_pair: Pair,
) -> None:
    sam, alex, _ = goal_pair
    goal = sam.propose("Stretch", "--space", "pair")
    alex.ok("goal", "withdraw", goal)
    shown = same_everywhere(goal, sam, alex)
    assert shown["state"] == "active"
    assert shown["waiting_for"] == []


def test_everyone_withdrawn_and_then_amending_is_refused(goal_pair: Pair) -> None:
    sam, alex, shared = goal_pair
    goal = sam.propose("Call", "--space", "pair")
    alex.ok("goal", "accept", goal)
    sam.ok("goal", "withdraw", goal)
    alex.ok("goal", "withdraw", goal)
    shown = same_everywhere(goal, sam, alex)
    assert shown["state"] == "withdrawn"
    before = set(record_files(shared))
    result = sam.fails(ExitCode.REFUSED, "goal", "amend", goal, "--title", "Call weekly")
    assert "withdrawn" in result.stderr
    alex.fails(ExitCode.REFUSED, "goal", "amend", goal, "--title", "Call weekly")
    assert "active" in sam.fails(ExitCode.REFUSED, "goal", "log", goal).stderr
    assert set(record_files(shared)) == before


# --- refusals ------------------------------------------------------------------------------


def test_someone_not_taking_part_cannot_act_on_a_goal(goal_trio: Trio) -> None:
    sam, alex, kim, shared = goal_trio
    goal = sam.propose("Walk", "--with", "alex", "--space", "trio")
    shown = same_everywhere(goal, sam, alex, kim)
    assert shown["participants"] == ["alex", "sam"]
    before = set(record_files(shared))
    for verb in ("accept", "decline", "complete", "withdraw"):
        result = kim.fails(ExitCode.REFUSED, "goal", verb, goal)
        assert "not a participant" in result.stderr
    kim.fails(ExitCode.REFUSED, "goal", "amend", goal, "--title", "Run")
    kim.fails(ExitCode.REFUSED, "goal", "rest", goal, "--skip")
    alex.ok("goal", "accept", goal)
    kim.fails(ExitCode.REFUSED, "goal", "log", goal)
    assert set(record_files(shared)) - before == {
        r.id for _, r in goal_records(shared, goal) if r.author == "alex"
    }
    assert same_everywhere(goal, sam, alex, kim)["state"] == "active"


def test_proposing_with_someone_outside_the_space_is_a_usage_error(goal_trio: Trio) -> None:
    sam, _, _, shared = goal_trio
    before = set(record_files(shared))
    result = sam.fails(
        ExitCode.USAGE, "goal", "propose", "Walk", "--with", "zed", "--space", "trio"
    )
    assert "zed" in result.stderr
    assert set(record_files(shared)) == before


def test_ambiguous_and_unknown_goal_ids(goal_pair: Pair) -> None:
    sam, alex, _ = goal_pair
    first = sam.propose("Walk", "--space", "pair")
    second = sam.propose("Read", "--space", "pair")
    assert first[:10] == second[:10]  # ids start with the time, pinned for both
    prefix = first[:10]
    result = alex.fails(ExitCode.AMBIGUOUS, "goal", "accept", prefix)
    assert first in result.stderr and second in result.stderr
    alex.fails(ExitCode.AMBIGUOUS, "goal", "show", prefix)
    alex.fails(ExitCode.NOT_FOUND, "goal", "accept", "0000000000")
    alex.fails(ExitCode.NOT_FOUND, "goal", "show", "0000000000")
    # a unique start is enough
    unique = next(n for n in range(11, 27) if first[:n] != second[:n])
    alex.ok("goal", "accept", first[:unique])
    assert same_everywhere(first, sam, alex)["state"] == "active"


def test_a_target_that_cannot_be_read_is_a_usage_error(goal_pair: Pair) -> None:
    sam, alex, shared = goal_pair
    before = set(record_files(shared))
    for bad in ("lots", "0", "-3/week", "3/fortnight", "3/week/day"):
        result = sam.fails(
            ExitCode.USAGE, "goal", "propose", "Walk", "--target", bad, "--space", "pair"
        )
        assert "target" in result.stderr.lower()
    assert set(record_files(shared)) == before
    goal = sam.propose("Walk", "--target", "3/week", "--space", "pair")
    alex.ok("goal", "accept", goal)
    before = set(record_files(shared))
    alex.fails(ExitCode.USAGE, "goal", "amend", goal, "--target", "often")
    assert set(record_files(shared)) == before


def test_a_private_goal_is_active_at_once_and_yours_alone(goal_pair: Pair) -> None:
    sam, _, shared = goal_pair
    before = set(record_files(shared))
    result = sam.fails(ExitCode.USAGE, "goal", "propose", "Sleep", "--with", "alex")
    assert "private" in result.stderr.lower() or "yours alone" in result.stderr
    assert journal_files(sam) == []

    goal = sam.propose("Read 10 books", "--target", "10 books")
    shown = sam.show(goal)
    assert shown["space"] is None
    assert shown["state"] == "active"
    assert shown["participants"] == ["sam"]
    sam.ok("goal", "log", goal, "3")
    assert sam.show(goal)["progress"]["total"] == 3
    # its records are in sam's private journal, in sam's own device folder; none in the space
    journal = sam.home / "journal"
    private = record_files(journal)
    assert sorted(type(r).__name__ for _, r in private.values()) == ["GoalLog", "GoalProposal"]
    for path, record in private.values():
        assert owner_folder(journal, path) == ("sam", sam.device)
        assert record.author == "sam"
    assert set(record_files(shared)) == before
    assert set(record_files(shared)).isdisjoint(private)


def test_a_shared_goals_records_go_only_into_its_space(goal_pair: Pair, tmp_path: Path) -> None:
    sam, alex, shared = goal_pair
    other = tmp_path / "other-space"
    sam.ok("space", "create", str(other), "--name", "other")
    alex.ok("space", "join", str(other))
    before_other = set(record_files(other))
    goal = sam.propose("Walk", "--target", "2/week", "--space", "pair")
    alex.ok("goal", "accept", goal)  # found by id, answered where it lives
    alex.ok("goal", "log", goal)
    sam.ok("goal", "rest", goal, "--skip")
    alex.ok("goal", "log", goal, "--undo")
    assert set(record_files(other)) == before_other
    assert journal_files(sam) == [] and journal_files(alex) == []
    assert len(goal_records(shared, goal)) == 5
    assert_own_folders(shared, sam, alex)
    assert_own_folders(other, sam, alex)


# --- undo and rest -------------------------------------------------------------------------


def test_undo_retracts_the_last_log_and_keeps_its_file(goal_pair: Pair) -> None:
    sam, alex, shared = goal_pair
    t = CLI_NOW
    goal = sam.propose("Walk", "--target", "10", "--space", "pair", now=t)
    alex.ok("goal", "accept", goal, now=t)
    t += HOUR
    sam.ok("goal", "log", goal, "2", now=t)
    t += HOUR
    sam.ok("goal", "log", goal, "5", "--note", "oops, too much", now=t)
    alex.ok("goal", "log", goal, "1", now=t)
    assert same_everywhere(goal, sam, alex, now=t)["progress"]["total"] == 8

    t += HOUR
    sam.ok("goal", "log", goal, "--undo", now=t)
    shown = same_everywhere(goal, sam, alex, now=t)
    assert shown["progress"]["total"] == 3  # sam's 5 is taken back; alex's 1 stays

    files = record_files(shared)
    logs = {r.amount: (p, r) for p, r in files.values() if isinstance(r, GoalLog)}
    (deletion,) = [r for _, r in files.values() if isinstance(r, Deletion)]
    assert deletion.author == "sam"
    assert deletion.target == logs[5.0][1].id
    assert logs[5.0][0].exists()  # the log file stays: a retraction is a new record
    assert owner_folder(shared, logs[5.0][0]) == ("sam", sam.device)

    t += HOUR
    sam.ok("goal", "log", goal, "--undo", now=t)  # then the one before it
    assert same_everywhere(goal, sam, alex, now=t)["progress"]["total"] == 1
    t += HOUR
    result = sam("goal", "log", goal, "--undo", now=t)
    assert result.exit_code == ExitCode.NOTHING_DONE  # nothing of sam's left to take back
    assert same_everywhere(goal, sam, alex, now=t)["progress"]["total"] == 1
    assert len([r for _, r in record_files(shared).values() if isinstance(r, GoalLog)]) == 3


def test_rest_skip_and_until(goal_pair: Pair) -> None:
    sam, alex, shared = goal_pair
    goal = sam.propose("Walk", "--target", "3/week", "--space", "pair")
    alex.ok("goal", "accept", goal)
    sam.ok("goal", "rest", goal, "--skip")
    alex.ok("goal", "rest", goal, "--until", "2026-11-28")
    sam.ok("goal", "rest", goal, "--skip", "--date", "2026-11-25")
    rests = sorted(
        (
            (r.author, r.start, r.until)
            for _, r in record_files(shared).values()
            if isinstance(r, GoalRest)
        ),
    )
    today = CLI_NOW.date()
    assert rests == [
        ("alex", today, date(2026, 11, 28)),
        ("sam", today, today),
        ("sam", date(2026, 11, 25), date(2026, 11, 25)),
    ]
    shown = same_everywhere(goal, sam, alex)
    assert shown["progress"]["periods"][-1]["rested"] is True
    assert shown["progress"]["behind"] is False
    for bad in (("--skip", "--until", "2026-11-28"), ()):
        sam.fails(ExitCode.USAGE, "goal", "rest", goal, *bad)
    sam.fails(ExitCode.USAGE, "goal", "rest", goal, "--until", "2026-11-01")  # before today
    assert_own_folders(shared, sam, alex)


def test_both_homes_agree_when_now_is_the_same(goal_pair: Pair) -> None:
    """A week later both see the same periods: progress depends on the records and `now` only."""
    sam, alex, _ = goal_pair
    goal = sam.propose("Walk", "--target", "2/week", "--space", "pair")
    alex.ok("goal", "accept", goal)
    for day in range(3):
        alex.ok("goal", "log", goal, now=CLI_NOW + timedelta(days=day))
    later = CLI_NOW + timedelta(days=9)
    shown = same_everywhere(goal, sam, alex, now=later)
    assert [p["amount"] for p in shown["progress"]["periods"]] == [2, 1, 0]
    assert shown["progress"]["consistency"] == 0.5


# --- rejoining -----------------------------------------------------------------------------


def test_rejoining_does_not_bring_back_terms_the_group_replaced(goal_trio: Trio) -> None:
    """kim steps back; sam and alex agree new terms (2/week) without kim, as DESIGN §4 allows;
    alex then proposes 1/week. When kim rejoins with `goal accept`, the agreed 2/week must not
    silently give way to the original 3/week that everyone had moved on from."""
    sam, alex, kim, _ = goal_trio
    t = CLI_NOW
    goal = sam.propose("Walk", "--target", "3/week", "--space", "trio", now=t)
    alex.ok("goal", "accept", goal, now=t)
    kim.ok("goal", "accept", goal, now=t)
    t += HOUR
    kim.ok("goal", "withdraw", goal, now=t)
    t += HOUR
    sam.ok("goal", "amend", goal, "--target", "2/week", now=t)
    alex.ok("goal", "accept", goal, now=t)
    assert same_everywhere(goal, sam, alex, kim, now=t)["terms"]["target"] == "2/week"
    t += HOUR
    alex.ok("goal", "amend", goal, "--target", "1/week", now=t)
    shown = same_everywhere(goal, sam, alex, kim, now=t)
    assert shown["terms"]["target"] == "2/week"
    assert [p["target"] for p in shown["pending"]] == ["1/week"]

    t += HOUR
    kim.ok("goal", "accept", goal, now=t)  # rejoin
    shown = same_everywhere(goal, sam, alex, kim, now=t)
    assert shown["active"] == ["alex", "kim", "sam"]
    assert shown["state"] == "active"
    assert shown["terms"]["target"] == "2/week"
    assert [p["target"] for p in shown["pending"]] == ["1/week"]  # sam has not said yes yet


def test_stepping_back_for_a_day_keeps_the_weeks_before(goal_pair: Pair) -> None:
    """Four weeks met; alex withdraws on a Tuesday and rejoins on the Wednesday. The run and the
    weeks before stay (README: a missed week never erases the ones before it)."""
    sam, alex, _ = goal_pair
    monday = CLI_NOW - timedelta(days=19)  # Monday 2 November 2026
    goal = sam.propose("Walk", "--target", "2/week", "--space", "pair", now=monday)
    alex.ok("goal", "accept", goal, now=monday)
    for week in range(3):
        for day in (0, 2):
            sam.ok("goal", "log", goal, now=monday + timedelta(weeks=week, days=day))
    before = same_everywhere(goal, sam, alex, now=monday + timedelta(weeks=3))
    assert before["progress"]["run"] == 3
    alex.ok("goal", "withdraw", goal, now=monday + timedelta(weeks=3, days=1))
    alex.ok("goal", "accept", goal, now=monday + timedelta(weeks=3, days=2))
    for day in (3, 4):
        alex.ok("goal", "log", goal, now=monday + timedelta(weeks=3, days=day))
    shown = same_everywhere(goal, sam, alex, now=monday + timedelta(weeks=4, days=1))
    assert shown["state"] == "active"
    assert shown["progress"]["total"] == 8
    assert [p["met"] for p in shown["progress"]["periods"]] == [True, True, True, True, False]
    assert shown["progress"]["run"] == 4


def test_human_views_name_the_goal_and_its_state(goal_pair: Pair) -> None:
    sam, alex, _ = goal_pair
    goal = sam.propose("Walk together", "--target", "3/week", "--space", "pair")
    alex.ok("goal", "accept", goal)
    alex.ok("goal", "log", goal)
    for member in (sam, alex):
        shown = member.ok("goal", "show", goal).stdout
        assert "Walk together" in shown
        assert "active" in shown.lower()
        listed = member.ok("goal", "list").stdout
        assert "Walk together" in listed


def test_a_member_who_withdrew_cannot_vote_done_for_the_group(goal_pair: Pair) -> None:
    """After `goal withdraw`, alex's `goal complete` cannot count (only active participants
    vote). Like `goal amend`, it should be refused with a hint to rejoin, not reported as
    "You said … is done" while a record is written that never counts (again and again)."""
    sam, alex, shared = goal_pair
    goal = sam.propose("Walk", "--target", "3/week", "--space", "pair")
    alex.ok("goal", "accept", goal)
    alex.ok("goal", "withdraw", goal)
    amend = alex.fails(ExitCode.REFUSED, "goal", "amend", goal, "--title", "Run")
    assert "withdrew" in amend.stderr
    before = set(record_files(shared))
    result = alex.fails(ExitCode.REFUSED, "goal", "complete", goal)
    assert "withdrew" in result.stderr
    assert set(record_files(shared)) == before
    assert same_everywhere(goal, sam, alex)["completion_votes"] == []
