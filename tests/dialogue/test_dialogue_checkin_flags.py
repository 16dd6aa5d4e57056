"""The scripted check-in: with any option `checkin` asks nothing, even on a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialogue_support import Person, of_type, records_under, saved

from peerlog.records.dialogue import Checkin
from peerlog.records.goals import GoalLog

ALL_FLAGS = (
    "--mood",
    "3",
    "--win",
    "cooked dinner",
    "--win",
    "went outside",
    "--struggle",
    "work stress",
    "--struggle",
    "bad sleep",
    "--need",
    "an early night",
    "--offer",
    "a walk on Sunday",
    "--note",
    "Better than yesterday.",
)


def test_every_flag_lands_in_one_record_without_a_question(
    duo: tuple[Person, Person], shared: Path
) -> None:
    sam, alex = duo
    goal = sam.propose("Walk", "--target", "3/week", "--space", "pair")
    alex.ok("goal", "accept", goal)

    result = sam("checkin", "--space", "pair", *ALL_FLAGS, tty=True, input="5\nnope\n")

    checkin_id = saved(result, "check-in")
    assert "?" not in result.stdout  # no question asked (not even about the goal)
    [checkin] = of_type(sam.device_folder(shared), Checkin)
    assert checkin.id == checkin_id
    assert checkin.mood == 3
    assert checkin.wins == ("cooked dinner", "went outside")
    assert checkin.struggles == ("work stress", "bad sleep")
    assert (checkin.need, checkin.offer) == ("an early night", "a walk on Sunday")
    assert checkin.body == "Better than yesterday."
    assert of_type(shared, GoalLog) == []
    shown = sam.json("show", checkin_id)
    assert shown["wins"] == ["cooked dinner", "went outside"]
    assert shown["struggles"] == ["work stress", "bad sleep"]
    assert shown["replies"] == []


@pytest.mark.parametrize(
    "flags",
    [
        pytest.param(("--mood", "1"), id="mood-only"),
        pytest.param(("--win", "small thing"), id="win-only"),
        pytest.param(("--struggle", "hard"), id="struggle-only"),
        pytest.param(("--need", "company"), id="need-only"),
        pytest.param(("--offer", "a chat"), id="offer-only"),
        pytest.param(("--note", "just a note"), id="note-only"),
    ],
)
def test_any_single_flag_is_enough_and_asks_nothing(solo: Person, flags: tuple[str, ...]) -> None:
    result = solo("checkin", *flags, tty=True, input="4\n")
    checkin_id = saved(result, "check-in")
    assert "How are you feeling" not in result.stdout
    [checkin] = of_type(solo.journal_folder(), Checkin)
    assert checkin.id == checkin_id
    shown = solo.json("show", checkin_id)
    assert shown["mood"] == (1 if flags[0] == "--mood" else None)
    assert shown["space"] is None


def test_flag_checkin_is_private_by_default(duo: tuple[Person, Person], shared: Path) -> None:
    sam, _ = duo
    before = records_under(shared)
    checkin_id = sam.checkin("--mood", "3", "--win", "cooked dinner", "--need", "an early night")
    assert records_under(shared) == before
    [checkin] = of_type(sam.journal_folder() / "members" / "sam" / sam.device, Checkin)
    assert checkin.id == checkin_id


def test_no_flags_and_no_terminal_saves_nothing(solo: Person) -> None:
    result = solo("checkin", input="4\nwalked\n\n\n\n\n\n")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Nothing saved" in result.stderr
    assert "--mood" in result.stderr  # the hint says how to script it
    assert "How are you feeling" not in result.stdout
    assert records_under(solo.journal_folder()) == []


@pytest.mark.parametrize("value", ["0", "6", "-1", "three"])
def test_a_bad_mood_is_a_usage_error(solo: Person, value: str) -> None:
    result = solo("checkin", "--mood", value, "--win", "something", tty=True)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.output
    assert records_under(solo.journal_folder()) == []


@pytest.mark.parametrize(
    "flags",
    [
        pytest.param(("--note", "   "), id="blank-note"),
        pytest.param(("--win", ""), id="empty-win"),
        pytest.param(("--win", " \n ", "--need", "  "), id="blank-everything"),
    ],
)
def test_blank_flags_save_nothing_and_ask_nothing(solo: Person, flags: tuple[str, ...]) -> None:
    result = solo("checkin", *flags, tty=True, input="4\n")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Nothing saved" in result.stderr
    assert "How are you feeling" not in result.stdout
    assert records_under(solo.journal_folder()) == []


def test_an_item_over_the_limit_is_refused(solo: Person) -> None:
    result = solo("checkin", "--win", "x" * 2001)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert records_under(solo.journal_folder()) == []
    saved(solo("checkin", "--win", "x" * 2000), "check-in")


def test_checkin_before_init_says_set_up_first(machines: Path) -> None:
    nobody = Person(machines / "machine-nobody", "", "nobody")
    result = nobody("checkin", "--mood", "3")
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert not (nobody.home / "journal").exists() or records_under(nobody.home) == []
