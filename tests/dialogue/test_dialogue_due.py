"""`due`: what is waiting for me, computed with an injected "now" (pure, and through the CLI)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from dialogue_support import FIXED_NOW, T0, Person, Script

from peerlog.fold.agreements import fold_agreements
from peerlog.fold.due import REPLY_WINDOW, DueItem, ScopeState, due_items
from peerlog.fold.goals import fold_goals
from peerlog.fold.journal import fold_journal
from peerlog.records import Record

PAIR = ("alex", "sam")


def scope(records: Sequence[Record], space: str | None = "pair") -> ScopeState:
    return ScopeState(
        space=space,
        journal=fold_journal(records, space),
        goals=fold_goals(records, space),
        agreements=fold_agreements(records, PAIR) if space else {},
    )


def due(me: str, script: Script, now: datetime, space: str | None = "pair") -> list[DueItem]:
    return due_items(me, [scope(script.records, space)], now)


def kinds(items: Sequence[DueItem]) -> list[str]:
    return [i.kind for i in items]


def agreed(cadence: str = "2d") -> Script:
    script = Script()
    script.join("sam")
    script.join("alex")
    script.agree("sam", cadence)
    script.agree("alex", cadence)
    return script


# --- the pure fold: check-ins -------------------------------------------------------------------


def test_nothing_is_due_in_an_empty_space() -> None:
    assert due("sam", Script(), T0) == []


def test_a_checkin_older_than_the_cadence_is_overdue() -> None:
    script = agreed("2d")
    script.checkin("sam", at=T0)
    script.checkin("sam", at=T0 + timedelta(hours=1))  # the last one counts
    now = T0 + timedelta(days=3, hours=1)

    [item] = due("sam", script, now)

    assert item == DueItem(
        "checkin",
        "pair",
        "pair",
        "Time for your check-in in pair (agreed: every 2 days; your last was 3 days ago).",
    )


@pytest.mark.parametrize(
    ("after", "overdue"),
    [
        (timedelta(days=1, hours=23, minutes=59), False),
        (timedelta(days=2), True),
        (timedelta(days=2, seconds=1), True),
    ],
)
def test_the_cadence_boundary(after: timedelta, overdue: bool) -> None:
    script = agreed("2d")
    script.checkin("sam", at=T0)
    assert ("checkin" in kinds(due("sam", script, T0 + after))) is overdue


def test_never_checked_in_is_due_at_once() -> None:
    script = agreed("weekly")
    [item] = due("sam", script, T0 + timedelta(minutes=30))
    assert item.kind == "checkin"
    assert item.ref == "pair"
    assert "agreed: every week" in item.text
    assert "your last" not in item.text


def test_only_an_agreed_cadence_makes_a_checkin_due() -> None:
    script = Script()
    script.join("sam")
    script.join("alex")
    script.agree("sam", "2d")  # proposed, not agreed
    assert due("sam", script, T0 + timedelta(days=10)) == []


def test_a_partners_checkin_does_not_count_as_mine() -> None:
    script = agreed("2d")
    script.checkin("alex", at=T0 + timedelta(days=2))
    now = T0 + timedelta(days=2, hours=1)
    assert kinds(due("sam", script, now)) == ["checkin", "reply"]
    assert "checkin" in kinds(due("alex", script, now + timedelta(days=2)))
    assert "checkin" not in kinds(due("alex", script, now))


def test_the_private_journal_never_asks_for_checkins_or_replies() -> None:
    script = Script()
    script.checkin("alex", at=T0)  # not realistic in a private journal, but never nagged about
    assert due("sam", script, T0 + timedelta(days=1), space=None) == []


# --- the pure fold: replies ---------------------------------------------------------------------


def test_an_unanswered_partner_checkin_asks_for_a_reply_until_i_reply() -> None:
    script = Script()
    checkin = script.checkin("alex", at=T0)
    now = T0 + timedelta(days=1)

    [item] = due("sam", script, now)
    assert item == DueItem(
        "reply", "pair", checkin.id, "alex checked in on Mon 02 Nov; a reply would mean a lot."
    )
    assert due("alex", script, now) == []  # my own check-in is not waiting for me

    script.reply("alex", checkin, at=T0 + timedelta(hours=1))  # alex's own reply: still waiting
    assert kinds(due("sam", script, now)) == ["reply"]
    script.reply("sam", checkin, at=T0 + timedelta(hours=2))
    assert due("sam", script, now) == []


def test_each_unanswered_checkin_is_listed_newest_first() -> None:
    script = Script()
    first = script.checkin("alex", at=T0)
    second = script.checkin("alex", at=T0 + timedelta(days=1))
    items = due("sam", script, T0 + timedelta(days=2))
    assert [(i.kind, i.ref) for i in items] == [("reply", second.id), ("reply", first.id)]


@pytest.mark.parametrize(
    ("age", "shown"),
    [
        (REPLY_WINDOW, True),
        (REPLY_WINDOW + timedelta(seconds=1), False),
        (timedelta(days=30), False),
    ],
)
def test_old_checkins_are_not_nagged_about(age: timedelta, shown: bool) -> None:
    script = Script()
    script.checkin("alex", at=T0)
    assert (kinds(due("sam", script, T0 + age)) == ["reply"]) is shown


# --- the pure fold: goals -----------------------------------------------------------------------


def test_a_goal_proposed_by_my_partner_waits_for_my_answer() -> None:
    script = Script()
    goal = script.propose("alex", PAIR, title="Walk together", target="3/week")
    [item] = due("sam", script, T0 + timedelta(hours=1))
    assert item == DueItem(
        "answer-goal",
        "pair",
        goal.id,
        "alex proposed a new goal 'Walk together': accept or decline.",
    )
    assert due("alex", script, T0 + timedelta(hours=1)) == []  # the proposer accepted by proposing
    script.accept("sam", goal)
    assert "answer-goal" not in kinds(due("sam", script, T0 + timedelta(hours=1)))


def test_new_terms_wait_for_my_answer() -> None:
    script = Script()
    goal = script.propose("sam", PAIR, title="Walk together")
    script.accept("alex", goal)
    script.amend("alex", goal, title="Walk twice")
    [item] = due("sam", script, T0 + timedelta(hours=1))
    assert item.kind == "answer-goal"
    assert item.ref == goal.id
    assert item.text == "alex proposed new terms for 'Walk together': accept or decline."
    assert due("alex", script, T0 + timedelta(hours=1)) == []


def test_a_goal_i_am_not_part_of_is_not_mine_to_answer() -> None:
    script = Script()
    script.propose("alex", ("alex", "kim"))
    assert due("sam", script, T0 + timedelta(hours=1)) == []


def test_behind_on_a_cadence_goal_this_week() -> None:
    script = Script()
    goal = script.propose("sam", PAIR, title="Walk together", target="3/week")
    script.accept("alex", goal)
    script.log("sam", goal, at=T0 + timedelta(hours=1))
    now = T0 + timedelta(days=2)  # Wednesday of the same week

    items = due("sam", script, now)

    assert items == [
        DueItem(
            "behind",
            "pair",
            goal.id,
            "'Walk together': 1 of 3 this week so far. There is still time.",
        )
    ]
    assert kinds(due("alex", script, now)) == ["behind"]  # a shared goal: alex is in it too


def test_a_met_period_or_a_total_goal_is_not_behind() -> None:
    script = Script()
    weekly = script.propose("sam", PAIR, title="Walk", target="3/week")
    script.accept("alex", weekly)
    total = script.propose("sam", PAIR, title="Read", target="10 books")
    script.accept("alex", total)
    for hours in (1, 2, 3):
        script.log("alex", weekly, at=T0 + timedelta(hours=hours))
    assert due("sam", script, T0 + timedelta(days=2)) == []


def test_a_completion_waits_for_my_word() -> None:
    script = Script()
    goal = script.propose("sam", PAIR, title="Read a book")
    script.accept("alex", goal)
    script.complete("alex", goal)
    now = T0 + timedelta(hours=1)

    [item] = due("sam", script, now)
    assert item == DueItem("confirm-done", "pair", goal.id, "alex says 'Read a book' is done.")
    assert due("alex", script, now) == []
    script.complete("sam", goal)
    assert due("sam", script, now) == []  # done


def test_everything_at_once_in_a_stable_order() -> None:
    script = agreed("2d")
    goal = script.propose("alex", PAIR, title="Stretch")
    checkin = script.checkin("alex", at=T0 + timedelta(hours=1))
    items = due("sam", script, T0 + timedelta(days=1))
    assert [(i.kind, i.ref) for i in items] == [
        ("answer-goal", goal.id),
        ("checkin", "pair"),
        ("reply", checkin.id),
    ]


# --- through the CLI, with "now" pinned ---------------------------------------------------------


def due_json(person: Person, now: datetime) -> list[dict[str, object]]:
    data = person.json("due", now=now)
    assert isinstance(data, list)
    for item in data:
        assert set(item) == {"kind", "space", "ref", "text"}
    return data


def test_due_through_the_cli(duo: tuple[Person, Person], shared: Path) -> None:
    sam, alex = duo
    t = FIXED_NOW  # a Saturday
    assert due_json(sam, t) == []
    assert "Nothing is waiting for you" in sam.ok("due", now=t).stdout

    sam.ok("space", "agree", "pair", "cadence", "2d", now=t)
    alex.ok("space", "agree", "pair", "cadence", "2d", now=t + timedelta(minutes=1))
    checkin = sam.checkin("--space", "pair", "--mood", "3", now=t + timedelta(minutes=2))
    later = t + timedelta(days=3)

    sams = due_json(sam, later)
    assert sams == [
        {
            "kind": "checkin",
            "space": "pair",
            "ref": "pair",
            "text": "Time for your check-in in pair (agreed: every 2 days; your last was 2 days "
            "ago).",
        }
    ]
    alexs = due_json(alex, later)
    assert [(i["kind"], i["ref"]) for i in alexs] == [("checkin", "pair"), ("reply", checkin)]
    assert "your last" not in str(alexs[0]["text"])  # alex never checked in
    assert alexs[1]["text"] == "Sam checked in on Sat 21 Nov; a reply would mean a lot."

    human = alex.ok("due", now=later).stdout
    assert "Time for your check-in in pair" in human
    assert "Sam checked in on Sat 21 Nov" in human
    assert f"pair, {checkin[:12]}" in human

    alex.reply(checkin, "Sounds like a lot. Here for you.", now=later)
    assert [i["kind"] for i in due_json(alex, later)] == ["checkin"]
    alex.checkin("--space", "pair", "--mood", "4", now=later)
    assert due_json(alex, later + timedelta(hours=1)) == []  # replied and checked in

    # sam now has alex's check-in to answer; after 14 days it is no longer nagged about
    # (and the news that alex replied to sam's check-in)
    assert [i["kind"] for i in due_json(sam, later)] == ["checkin", "reply", "replied"]
    assert [i["kind"] for i in due_json(sam, later + timedelta(days=15))] == ["checkin"]


def test_an_unanswered_checkin_is_not_shown_after_fourteen_days(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    checkin = alex.checkin("--space", "pair", "--win", "a walk")
    assert [i["ref"] for i in due_json(sam, FIXED_NOW + timedelta(days=14))] == [checkin]
    assert due_json(sam, FIXED_NOW + timedelta(days=14, minutes=1)) == []


def test_goal_items_through_the_cli(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    t = FIXED_NOW
    goal = sam.propose("Walk together", "--target", "3/week", "--space", "pair", now=t)
    assert due_json(alex, t) == [
        {
            "kind": "answer-goal",
            "space": "pair",
            "ref": goal,
            "text": "Sam proposed a new goal 'Walk together': accept or decline.",
        }
    ]
    assert due_json(sam, t) == []
    alex.ok("goal", "accept", goal, now=t)
    # Saturday: 0 of 3 this week, for both
    assert [i["kind"] for i in due_json(sam, t)] == ["behind"]

    monday = t + timedelta(days=2)
    sam.ok("goal", "log", goal, now=monday)
    [behind] = due_json(alex, monday + timedelta(hours=1))
    assert behind["kind"] == "behind"
    assert behind["text"] == "'Walk together': 1 of 3 this week so far. There is still time."

    sam.ok("goal", "amend", goal, "--target", "2/week", now=monday + timedelta(hours=2))
    items = due_json(alex, monday + timedelta(hours=3))
    assert items[0] == {
        "kind": "answer-goal",
        "space": "pair",
        "ref": goal,
        "text": "Sam proposed new terms for 'Walk together': accept or decline.",
    }

    sam.ok("goal", "complete", goal, now=monday + timedelta(hours=4))
    items = due_json(alex, monday + timedelta(hours=5))
    assert {"kind": "confirm-done", "space": "pair", "ref": goal,
            "text": "Sam says 'Walk together' is done."} in items  # fmt: skip
    assert "confirm-done" not in [i["kind"] for i in due_json(sam, monday + timedelta(hours=5))]


def test_bare_peerlog_shows_due_briefly_when_set_up(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    for n in range(7):
        alex.checkin("--space", "pair", "--win", f"win {n}", now=FIXED_NOW + timedelta(minutes=n))

    result = sam.ok(now=FIXED_NOW + timedelta(hours=1))

    out = result.stdout
    assert out.count("Alex checked in on Sat 21 Nov") == 5
    assert "… and 2 more: peerlog due" in out
    assert "Usage" not in out
    assert sam.ok("due", now=FIXED_NOW + timedelta(hours=1)).stdout.count("Alex checked in") == 7


def test_bare_peerlog_with_nothing_due(solo: Person) -> None:
    out = solo.ok().stdout
    assert "Nothing is waiting for you" in out
    assert "Usage" not in out


def test_bare_peerlog_before_init_shows_help(machines: Path) -> None:
    nobody = Person(machines / "machine-nobody", "", "nobody")
    result = nobody()
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "Usage" in result.stdout
    assert "checkin" in result.stdout and "due" in result.stdout
    assert not nobody.home.exists() or not (nobody.home / "config.toml").exists()


def test_due_before_init_says_set_up_first(machines: Path) -> None:
    nobody = Person(machines / "machine-nobody", "", "nobody")
    result = nobody("due", "--json")
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "peerlog init" in result.stderr


def test_behind_counts_the_whole_week_when_it_began_last_month(
    duo: tuple[Person, Person],
) -> None:
    """`due` reads only the logs of the periods going on now: a week that began in the month
    before still counts from its Monday, and a log taken back does not count."""
    sam, alex = duo
    start = datetime(2026, 12, 1, 9, 0, tzinfo=FIXED_NOW.tzinfo)
    goal = sam.propose("Walk together", "--target", "3/week", "--space", "pair", now=start)
    alex.ok("goal", "accept", goal, now=start + timedelta(hours=1))
    for day in (2, 3, 4, 28, 29):  # 2-4 December: an earlier week; 28-29: Monday, Tuesday
        sam.ok("goal", "log", goal, now=datetime(2026, 12, day, 10, 0, tzinfo=start.tzinfo))
    friday = datetime(2027, 1, 1, 12, 0, tzinfo=start.tzinfo)  # the week began 28 December
    sam.ok("goal", "log", goal, now=friday)
    sam.ok("goal", "log", goal, "--undo", now=friday + timedelta(minutes=1))

    [behind] = due_json(alex, friday + timedelta(hours=1))
    assert behind["kind"] == "behind"
    assert behind["text"] == "'Walk together': 2 of 3 this week so far. There is still time."
    sam.ok("goal", "log", goal, now=friday + timedelta(hours=2))
    assert due_json(alex, friday + timedelta(hours=3)) == []


def test_a_goal_whose_id_a_partner_copied_keeps_its_own_logs() -> None:
    """A partner proposes a goal under the id of one already here (hand-made, or a bug): each
    of the two goals is judged by its own logs, never by the other's."""
    script = Script()

    def by(proposer: str) -> None:  # the record just written names whose goal it is about
        script.records[-1] = replace(script.records[-1], goal_by=proposer)

    walk = script.propose("sam", PAIR, title="Walk together", target="3/week")
    script.accept("alex", walk)
    by("sam")
    for hours in (1, 2, 3):
        script.log("sam", walk, at=T0 + timedelta(hours=hours))
        by("sam")
    copied = replace(script.propose("alex", PAIR, title="Read", target="3/week"), id=walk.id)
    script.records[-1] = copied
    script.accept("sam", copied)
    by("alex")
    goals = {(g.proposed_by, g.id): g for g in fold_goals(script.records, "pair")}
    assert len(goals[("sam", walk.id)].logs) == 3 and not goals[("alex", walk.id)].logs

    items = due("sam", script, T0 + timedelta(days=2))

    assert [(i.kind, i.text.split(":")[0]) for i in items] == [("behind", "'Read'")]
