"""`--by` and `rest --until` take the coming day: `--by friday` on a Tuesday is this Friday."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from goal_support import GoalMember, record_files

from peerlog.records.goals import GoalRest

TUESDAY = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def _solo(tmp_path: Path) -> GoalMember:
    return GoalMember(tmp_path / "machine", "Sam", "sam")


def test_by_friday_on_a_tuesday_is_this_friday(tmp_path: Path) -> None:
    sam = _solo(tmp_path)

    goal = sam.propose("Send the form", "--by", "friday", now=TUESDAY)

    assert sam.show(goal, now=TUESDAY)["terms"]["by"].startswith("2026-11-27")


def test_by_takes_in_weeks_next_month_and_end_of_month(tmp_path: Path) -> None:
    sam = _solo(tmp_path)
    for words, day in (
        ("in 2 weeks", "2026-12-08"),
        ("next month", "2026-12-24"),
        ("end of month", "2026-11-30"),
    ):
        goal = sam.propose(f"By {words}", "--by", words, now=TUESDAY)
        assert sam.show(goal, now=TUESDAY)["terms"]["by"].startswith(day), words


def test_amend_by_looks_ahead_too(tmp_path: Path) -> None:
    sam = _solo(tmp_path)
    goal = sam.propose("Tidy the desk", now=TUESDAY)

    sam.ok("goal", "amend", goal, "--by", "monday", now=TUESDAY)

    assert sam.show(goal, now=TUESDAY)["terms"]["by"].startswith("2026-11-30")


def test_rest_until_friday_rests_until_this_friday(
    goal_pair: tuple[GoalMember, GoalMember, Path],
) -> None:
    sam, alex, shared = goal_pair
    goal = sam.propose("Walk", "--target", "3/week", "--space", "pair", now=TUESDAY)
    alex.ok("goal", "accept", goal, now=TUESDAY)

    sam.ok("goal", "rest", goal, "--until", "friday", now=TUESDAY)

    rests = [r for _, r in record_files(shared).values() if isinstance(r, GoalRest)]
    assert [(r.start, r.until) for r in rests] == [(date(2026, 11, 24), date(2026, 11, 27))]


def test_log_date_still_looks_back(tmp_path: Path) -> None:
    sam = _solo(tmp_path)
    goal = sam.propose("Walk", "--target", "3/week", now=datetime(2026, 11, 16, 8, tzinfo=UTC))

    sam.ok("goal", "log", goal, "--date", "friday", now=TUESDAY)

    periods = {
        p["start"][:10]: p["amount"] for p in sam.show(goal, now=TUESDAY)["progress"]["periods"]
    }
    assert periods.get("2026-11-16") == 1  # last Friday's week
    assert periods.get("2026-11-23", 0) == 0
