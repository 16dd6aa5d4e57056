"""The guided check-in: on a terminal with no options, `checkin` asks one question at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from dialogue_support import Person, of_type, records_under, saved

from peerlog.records.dialogue import Checkin
from peerlog.records.goals import GoalLog

MOOD_RETRY = "Please answer with 1 to 5 or a word (rough … great), or press Enter."


def active_goal(sam: Person, alex: Person) -> str:
    goal = sam.propose("Walk together", "--target", "3/week", "--space", "pair")
    alex.ok("goal", "accept", goal)
    return goal


def answers(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


FULL = answers(
    "7",  # not a mood: asked again
    "4",
    "walked to work",
    "cooked dinner",
    "called my sister",
    "",  # ends the wins
    "slept badly",
    "a hard meeting",
    "",  # ends the struggles
    "an early night",
    "a listening ear",
    "The river was beautiful.",
    "2",  # progress on the active goal
)


def test_guided_checkin_saves_exactly_the_answers_and_a_goal_log(
    duo: tuple[Person, Person], shared: Path
) -> None:
    sam, alex = duo
    goal = active_goal(sam, alex)

    result = sam("checkin", "--space", "pair", input=FULL, tty=True)

    checkin_id = saved(result, "check-in")
    out = result.stdout
    assert out.count("How are you feeling today?") == 2
    assert out.count(MOOD_RETRY) == 1
    assert "What went well?" in out and "What is hard right now?" in out
    assert "Progress on 'Walk together'" in out
    assert "in space pair" in out
    assert "Logged 2 on 'Walk together'." in out
    assert result.stderr == ""

    # Exactly one check-in and one log, both in Sam's device folder of the space.
    mine = sam.device_folder(shared)
    checkins = of_type(shared, Checkin)
    assert [c.id for c in checkins] == [checkin_id]
    checkin = checkins[0]
    assert (checkin.author, checkin.device) == ("sam", sam.device)
    assert checkin.mood == 4
    assert checkin.wins == ("walked to work", "cooked dinner", "called my sister")
    assert checkin.struggles == ("slept badly", "a hard meeting")
    assert checkin.need == "an early night"
    assert checkin.offer == "a listening ear"
    assert checkin.body == "The river was beautiful."
    assert [r.id for r in of_type(mine, Checkin)] == [checkin_id]
    logs = of_type(shared, GoalLog)
    assert len(logs) == 1
    assert (logs[0].goal, logs[0].amount, logs[0].author) == (goal, 2.0, "sam")
    assert of_type(mine, GoalLog) == logs
    assert of_type(sam.journal_folder(), Checkin) == []  # nothing in the private journal

    shown = sam.json("show", checkin_id)
    assert shown["space"] == "pair"
    assert shown["mood"] == 4
    assert shown["wins"] == ["walked to work", "cooked dinner", "called my sister"]
    assert shown["note"] == "The river was beautiful."
    progress = sam.json("goal", "show", goal)["progress"]
    assert progress["total"] == 2.0
    assert progress["this_period"]["amount"] == 2.0


def test_a_bad_mood_answer_is_asked_again_until_it_is_a_mood(duo: tuple[Person, Person]) -> None:
    sam, _ = duo
    result = sam(
        "checkin",
        "--space",
        "pair",
        input=answers("three", "0", "4.5", "2", "", "", "", "", ""),
        tty=True,
    )
    saved(result, "check-in")
    assert result.stdout.count(MOOD_RETRY) == 3
    [checkin] = sam.json("checkins", "--space", "pair")
    assert checkin["mood"] == 2
    assert checkin["wins"] == [] and checkin["struggles"] == []


def test_enter_everywhere_saves_nothing(duo: tuple[Person, Person], shared: Path) -> None:
    sam, alex = duo
    active_goal(sam, alex)
    before = records_under(shared)

    # mood, wins, struggles, need, offer, note, progress: seven Enters
    result = sam("checkin", "--space", "pair", input="\n" * 7, tty=True)

    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Nothing saved" in result.stderr
    assert "Saved" not in result.stdout
    assert records_under(shared) == before
    assert of_type(sam.journal_folder(), Checkin) == []


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("", id="at-the-first-question"),
        pytest.param(answers("4", "walked"), id="in-the-wins"),
        pytest.param(answers("4", "walked", "", "tired", "", "sleep"), id="after-need"),
        pytest.param(
            answers("4", "walked", "", "tired", "", "sleep", "time", "a note"),
            id="at-the-goal-question",
        ),
    ],
)
def test_end_of_input_midway_saves_nothing(
    duo: tuple[Person, Person], shared: Path, typed: str
) -> None:
    sam, alex = duo
    active_goal(sam, alex)
    before = records_under(shared)

    result = sam("checkin", "--space", "pair", input=typed, tty=True)

    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "nothing was saved" in result.stderr
    assert "Saved" not in result.stdout
    assert records_under(shared) == before
    assert of_type(shared, Checkin) == [] and of_type(shared, GoalLog) == []


def test_ctrl_c_midway_saves_nothing(
    duo: tuple[Person, Person], shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sam, alex = duo
    active_goal(sam, alex)
    before = records_under(shared)
    typed = iter(["4", "walked", "", "tired", ""])

    def prompt(*args: object, **kwargs: object) -> str:
        try:
            return next(typed)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(typer, "prompt", prompt)
    result = sam("checkin", "--space", "pair", tty=True)

    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "nothing was saved" in result.stderr
    assert records_under(shared) == before


def test_an_invalid_progress_amount_is_asked_again(
    duo: tuple[Person, Person], shared: Path
) -> None:
    sam, alex = duo
    goal = active_goal(sam, alex)

    result = sam(
        "checkin",
        "--space",
        "pair",
        input=answers("3", "", "", "", "", "", "lots", "1.5"),
        tty=True,
    )

    saved(result, "check-in")
    assert result.stdout.count("Please give a number up to 1,000,000, or press Enter to skip.") == 1
    [log] = of_type(shared, GoalLog)
    assert (log.goal, log.amount) == (goal, 1.5)


@pytest.mark.parametrize("amount", ["0", "nan", "2000000"])
def test_an_out_of_range_progress_amount_is_asked_again_not_half_saved(
    duo: tuple[Person, Person], shared: Path, amount: str
) -> None:
    """The prompt takes any float; log_progress then refuses it after the check-in is saved."""
    sam, alex = duo
    active_goal(sam, alex)

    result = sam(
        "checkin", "--space", "pair", input=answers("3", "", "", "", "", "", amount, ""), tty=True
    )

    # Either the amount is asked again (and the check-in saved, exit 0), or nothing is saved.
    checkins = of_type(shared, Checkin)
    if result.exit_code == 0:
        assert len(checkins) == 1
        assert "Please give a number" in result.stdout
    else:
        assert checkins == [], (
            f"exit {result.exit_code} ({result.stderr.strip()!r}) but the check-in was saved"
        )
    assert of_type(shared, GoalLog) == []


def test_guided_private_checkin_lands_in_the_home_journal(
    duo: tuple[Person, Person], shared: Path
) -> None:
    sam, _ = duo
    before = records_under(shared)

    result = sam("checkin", input=answers("5", "slept well", "", "", "", "", "just mine"), tty=True)

    checkin_id = saved(result, "check-in")
    assert "in space" not in result.stdout
    assert records_under(shared) == before  # nothing reached the shared folder
    [checkin] = of_type(sam.journal_folder(), Checkin)
    assert checkin.id == checkin_id
    assert (checkin.mood, checkin.wins, checkin.body) == (5, ("slept well",), "just mine")
    folder = sam.journal_folder() / "members" / "sam" / sam.device
    assert [c.id for c in of_type(folder, Checkin)] == [checkin_id]
    assert sam.json("show", checkin_id)["space"] is None
    assert sam.json("checkins", "--space", "pair") == []
