"""The check-in cadence: in force only when every member says the same; old value stands."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from dialogue_support import FIXED_NOW, Person, Script, of_type
from hypothesis import given, settings
from hypothesis import strategies as st

from peerlog.actions.dialogue import agree
from peerlog.actions.spaces import open_scopes
from peerlog.errors import ExitCode, UsageError
from peerlog.fold.agreements import canonical, fold_agreements
from peerlog.records import Profile, Record
from peerlog.records.dialogue import Agreement, describe_cadence, parse_cadence
from peerlog.store import resolve_home

PAIR = ("alex", "sam")
TRIO = ("alex", "kim", "sam")


# --- the pure fold ------------------------------------------------------------------------------


def test_nothing_said_nothing_in_force() -> None:
    assert fold_agreements([], PAIR) == {}


def test_one_say_is_a_proposal_waiting_for_the_others() -> None:
    script = Script()
    script.agree("sam", "2d")
    view = fold_agreements(script.records, PAIR)["cadence"]
    assert view.in_force is None
    assert view.proposed == "2d"
    assert view.waiting_for == ("alex",)
    assert view.says == (("sam", "2d"),)


def test_in_force_when_everyone_says_the_same() -> None:
    script = Script()
    script.agree("sam", "2d")
    script.agree("alex", "2d")
    view = fold_agreements(script.records, PAIR)["cadence"]
    assert view.in_force == "2d"
    assert view.proposed is None
    assert view.waiting_for == ()
    assert view.says == (("alex", "2d"), ("sam", "2d"))


def test_different_values_are_not_an_agreement() -> None:
    script = Script()
    script.agree("sam", "2d")
    script.agree("alex", "3d")
    view = fold_agreements(script.records, PAIR)["cadence"]
    assert view.in_force is None
    assert view.waiting_for == ("sam",)  # the newest proposal is alex's 3d


def test_a_later_different_proposal_leaves_the_old_value_standing() -> None:
    script = Script()
    script.agree("sam", "2d")
    script.agree("alex", "2d")
    script.agree("sam", "1w")
    view = fold_agreements(script.records, PAIR)["cadence"]
    assert view.in_force == "2d"
    assert view.proposed == "1w"
    assert view.waiting_for == ("alex",)
    script.agree("alex", "1w")
    view = fold_agreements(script.records, PAIR)["cadence"]
    assert (view.in_force, view.proposed, view.waiting_for) == ("1w", None, ())


def test_going_back_to_the_agreed_value_settles_it_again() -> None:
    script = Script()
    script.agree("sam", "2d")
    script.agree("alex", "2d")
    script.agree("sam", "1w")
    script.agree("sam", "2d")
    view = fold_agreements(script.records, PAIR)["cadence"]
    assert (view.in_force, view.proposed, view.waiting_for) == ("2d", None, ())


def test_proposed_is_the_newest_proposal_not_the_last_member_by_id() -> None:
    """`proposed` is documented as "the newest value on the table"; `waiting_for` agrees."""
    script = Script()
    script.agree("sam", "2d")
    script.agree("alex", "2d")
    script.agree("sam", "1w")  # sam proposes weekly
    script.agree("alex", "3d")  # then alex proposes every 3 days: the newest
    view = fold_agreements(script.records, PAIR)["cadence"]
    assert view.in_force == "2d"
    assert view.waiting_for == ("sam",)  # waiting for sam to answer alex's 3d
    assert view.proposed == "3d"


def test_every_member_of_three_must_agree() -> None:
    script = Script()
    script.agree("sam", "2d")
    script.agree("alex", "2d")
    view = fold_agreements(script.records, TRIO)["cadence"]
    assert view.in_force is None
    assert view.waiting_for == ("kim",)
    script.agree("kim", "2d")
    assert fold_agreements(script.records, TRIO)["cadence"].in_force == "2d"


def test_says_by_non_members_are_ignored() -> None:
    script = Script()
    script.agree("sam", "2d")
    script.agree("kim", "2d")  # not a member of this space
    view = fold_agreements(script.records, PAIR)["cadence"]
    assert view.in_force is None
    assert view.says == (("sam", "2d"),)
    assert view.waiting_for == ("alex",)


@settings(max_examples=60, deadline=None)
@given(
    says=st.lists(
        st.tuples(st.sampled_from(TRIO), st.sampled_from(["2d", "3d", "1w"])),
        min_size=1,
        max_size=8,
    ),
    data=st.data(),
)
def test_the_fold_ignores_arrival_order_and_duplicates(
    says: list[tuple[str, str]], data: st.DataObject
) -> None:
    script = Script()
    for member, value in says:
        script.agree(member, value)
    expected = fold_agreements(script.records, TRIO)
    shuffled = data.draw(st.permutations(script.records + script.records[:2]))
    assert fold_agreements(shuffled, list(reversed(TRIO))) == expected
    view = expected["cadence"]
    latest = dict(says)
    assert dict(view.says) == latest
    if set(latest) == set(TRIO) and len(set(latest.values())) == 1:
        assert view.in_force == says[-1][1]
        assert view.waiting_for == ()


@settings(max_examples=200, deadline=None)
@given(
    says=st.lists(
        st.tuples(
            st.sampled_from(TRIO),
            st.sampled_from(["1d", "2d", "weekly"]),
            st.integers(min_value=0, max_value=50),  # any clock: a peer's peerlog picks its own
        ),
        max_size=10,
    ),
    members=st.sampled_from([PAIR, TRIO]),
    joined=st.lists(st.integers(min_value=0, max_value=50), min_size=3, max_size=3),
)
def test_in_force_only_what_every_current_member_said(
    says: list[tuple[str, str, int]], members: tuple[str, ...], joined: list[int]
) -> None:
    """Whatever clocks the says and the members' joining (their profiles) carry."""
    script = Script()
    records: list[Record] = [
        dataclasses.replace(script.agree(member, value), clock=clock)
        for member, value, clock in says
    ]
    records += [
        Profile(**{**script._env(member, None), "clock": clock}, name=member)
        for member, clock in zip(TRIO, joined, strict=True)
    ]
    view = fold_agreements(records, members).get("cadence")
    if view is not None and view.in_force is not None:
        for member in members:
            said = {
                canonical("cadence", r.value)
                for r in records
                if isinstance(r, Agreement) and r.author == member
            }
            assert view.in_force in said, (member, view)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("2d", 2),
        ("3 days", 3),
        ("1 day", 1),
        ("1w", 7),
        ("2 weeks", 14),
        ("daily", 1),
        ("weekly", 7),
        ("Fortnightly", 14),
        (" 2D ", 2),
        ("365d", 365),
    ],
)
def test_parse_cadence_accepts(text: str, days: int) -> None:
    assert parse_cadence(text).days == days


@pytest.mark.parametrize("text", ["", "often", "0d", "366d", "2", "d", "2 months", "-1d", "1.5d"])
def test_parse_cadence_refuses(text: str) -> None:
    with pytest.raises(UsageError):
        parse_cadence(text)


def test_describe_cadence() -> None:
    assert describe_cadence(parse_cadence("daily")) == "every day"
    assert describe_cadence(parse_cadence("2d")) == "every 2 days"
    assert describe_cadence(parse_cadence("1w")) == "every week"
    assert describe_cadence(parse_cadence("14d")) == "every 2 weeks"


# --- through the CLI ----------------------------------------------------------------------------


def at(minute: int) -> datetime:
    return FIXED_NOW + timedelta(minutes=minute)


def agreements(person: Person) -> dict[str, object]:
    data = person.json("space", "show", "pair")
    assert "agreements" in data
    found = data["agreements"]
    assert isinstance(found, dict)
    return found


def test_space_agree_holds_once_both_say_the_same(duo: tuple[Person, Person], shared: Path) -> None:
    sam, alex = duo
    assert agreements(sam) == {}

    first = sam.ok("space", "agree", "pair", "cadence", "2d", now=at(1))
    assert "waiting for alex" in first.stdout
    assert agreements(alex)["cadence"] == {
        "in_force": None,
        "proposed": "2d",
        "says": {"sam": "2d"},
        "waiting_for": ["alex"],
    }
    second = alex.ok("space", "agree", "pair", "cadence", "2d", now=at(2))
    assert "Agreed by everyone: cadence 2d" in second.stdout
    assert agreements(sam)["cadence"] == {
        "in_force": "2d",
        "proposed": None,
        "says": {"alex": "2d", "sam": "2d"},
        "waiting_for": [],
    }

    # One agreement record in each member's own device folder of the space.
    for person in (sam, alex):
        [record] = of_type(person.device_folder(shared), Agreement)
        assert (record.author, record.topic, record.value) == (person.member, "cadence", "2d")
    assert len(of_type(shared, Agreement)) == 2
    assert of_type(sam.journal_folder(), Agreement) == []

    shown = sam.ok("space", "show", "pair").stdout
    assert "Agreed cadence: 2d" in shown


def test_a_later_proposal_leaves_the_agreed_cadence_standing(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    sam.ok("space", "agree", "pair", "cadence", "2d", now=at(1))
    alex.ok("space", "agree", "pair", "cadence", "2d", now=at(2))

    result = sam.ok("space", "agree", "pair", "cadence", "weekly", now=at(3))

    assert "waiting for alex" in result.stdout
    assert agreements(alex)["cadence"] == {
        "in_force": "2d",
        "proposed": "1w",  # stored in one spelling, so "weekly" and "1 week" agree
        "says": {"alex": "2d", "sam": "1w"},
        "waiting_for": ["alex"],
    }
    shown = alex.ok("space", "show", "pair").stdout
    assert "Agreed cadence: 2d" in shown
    assert "proposed: 1w; waiting for alex" in shown

    alex.ok("space", "agree", "pair", "cadence", "WEEKLY", now=at(4))  # stored lowercase
    assert agreements(sam)["cadence"]["in_force"] == "1w"


def test_space_show_puts_a_space_before_the_proposal(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    sam.ok("space", "agree", "pair", "cadence", "2d", now=at(1))
    alex.ok("space", "agree", "pair", "cadence", "2d", now=at(2))
    sam.ok("space", "agree", "pair", "cadence", "weekly", now=at(3))
    shown = alex.ok("space", "show", "pair").stdout
    assert "Agreed cadence: 2d (proposed: 1w; waiting for alex)" in shown, shown


def test_the_same_cadence_spelled_differently_is_an_agreement(duo: tuple[Person, Person]) -> None:
    """`2d` and `2 days` are the same cadence; the fold compares the text as typed."""
    sam, alex = duo
    sam.ok("space", "agree", "pair", "cadence", "2d", now=at(1))
    result = alex.ok("space", "agree", "pair", "cadence", "2 days", now=at(2))
    assert "Agreed by everyone" in result.stdout, result.stdout
    assert agreements(sam)["cadence"]["waiting_for"] == []


def test_saying_something_never_reports_waiting_for_yourself(duo: tuple[Person, Person]) -> None:
    """Alex answers without having read the space since Sam wrote several records there.

    Alex's device publishes with its stale logical clock, so Alex's newer say sorts before
    Sam's older proposal: the confirmation tells Alex that the space waits for Alex, and the
    newest proposal on the table is taken to be Sam's.
    """
    sam, alex = duo
    sam.ok("space", "agree", "pair", "cadence", "2d", now=at(1))
    alex.ok("space", "agree", "pair", "cadence", "2d", now=at(2))
    for minute in (3, 4, 5):
        sam.checkin("--space", "pair", "--mood", "3", now=at(minute))
    sam.ok("space", "agree", "pair", "cadence", "1w", now=at(6))

    result = alex.ok("space", "agree", "pair", "cadence", "3d", now=at(7))

    assert "waiting for alex" not in result.stdout, result.stdout
    assert "waiting for sam" in result.stdout
    cadence = agreements(sam)["cadence"]
    assert cadence["in_force"] == "2d"
    assert cadence["waiting_for"] == ["sam"]


def test_a_member_joining_later_must_also_agree(
    duo: tuple[Person, Person], shared: Path, make_person: Callable[[str, str], Person]
) -> None:
    sam, alex = duo
    sam.ok("space", "agree", "pair", "cadence", "2d", now=at(1))
    alex.ok("space", "agree", "pair", "cadence", "2d", now=at(2))
    kim = make_person("Kim", "kim")
    kim.ok("space", "join", str(shared))

    cadence = agreements(sam)["cadence"]
    assert cadence["waiting_for"] == ["kim"]
    assert cadence["says"] == {"alex": "2d", "sam": "2d"}

    result = kim.ok("space", "agree", "pair", "cadence", "2d", now=at(4))
    assert "Agreed by everyone: cadence 2d" in result.stdout
    assert agreements(alex)["cadence"] == {
        "in_force": "2d",
        "proposed": None,
        "says": {"alex": "2d", "kim": "2d", "sam": "2d"},
        "waiting_for": [],
    }


@pytest.mark.parametrize("value", ["often", "0d", "366 days", "2 months", ""])
def test_an_invalid_cadence_is_a_usage_error(
    duo: tuple[Person, Person], shared: Path, value: str
) -> None:
    sam, _ = duo
    result = sam("space", "agree", "pair", "cadence", value)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "cadence" in result.stderr
    assert of_type(shared, Agreement) == []


def test_an_unknown_topic_is_a_usage_error(duo: tuple[Person, Person], shared: Path) -> None:
    sam, _ = duo
    result = sam("space", "agree", "pair", "bedtime", "2d")
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Topics: cadence" in result.stderr
    assert of_type(shared, Agreement) == []


def test_an_unknown_space_is_not_found(duo: tuple[Person, Person], shared: Path) -> None:
    sam, _ = duo
    result = sam("space", "agree", "nowhere", "cadence", "2d")
    assert result.exit_code == 4, (result.stdout, result.stderr)
    assert of_type(shared, Agreement) == []


def test_agreements_in_the_private_journal_are_a_usage_error(solo: Person) -> None:
    session = open_scopes(resolve_home(solo.env))[0]
    assert session.space is None
    with pytest.raises(UsageError) as caught:
        agree(session, "cadence", "2d", now=FIXED_NOW)
    assert caught.value.exit_code == ExitCode.USAGE == 2
    assert "shared space" in caught.value.message
    assert of_type(solo.journal_folder(), Agreement) == []
