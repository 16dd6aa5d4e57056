"""Deadline and rest words look ahead: `friday` is the coming Friday, `in 2 weeks`, `next month`,
`end of month`. `--date`/`--since` keep looking back."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from peerlog.errors import WhenError
from peerlog.when import moment, parse_when, range_start

TUESDAY = datetime(2026, 11, 24, 9, 30, tzinfo=timezone(timedelta(hours=1)))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("friday", date(2026, 11, 27)),  # this Friday, not last
        ("Fri", date(2026, 11, 27)),
        ("tuesday", date(2026, 11, 24)),  # today counts
        ("monday", date(2026, 11, 30)),
        ("next friday", date(2026, 11, 27)),
        ("next tuesday", date(2026, 12, 1)),  # strictly after today
        ("in 2 weeks", date(2026, 12, 8)),
        ("in 3 days", date(2026, 11, 27)),
        ("in a month", date(2026, 12, 24)),
        ("in 1 year", date(2027, 11, 24)),
        ("next week", date(2026, 12, 1)),
        ("next month", date(2026, 12, 24)),
        ("next year", date(2027, 11, 24)),
        ("end of month", date(2026, 11, 30)),
        ("the end of the month", date(2026, 11, 30)),
        ("end of week", date(2026, 11, 29)),
        ("end of year", date(2026, 12, 31)),
        ("friday 17:00", date(2026, 11, 27)),
    ],
)
def test_deadline_words_take_the_next_such_day(text: str, day: date) -> None:
    assert parse_when(text, TUESDAY, ahead=True).day == day
    assert moment(text, TUESDAY, ahead=True).date() == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("friday", date(2026, 11, 20)),  # the most recent Friday, as before
        ("tuesday", date(2026, 11, 24)),
        ("last friday", date(2026, 11, 20)),
        ("in 2 weeks", date(2026, 12, 8)),  # forward words mean the same either way
        ("end of month", date(2026, 11, 30)),
    ],
)
def test_date_and_since_still_look_back_for_a_bare_weekday(text: str, day: date) -> None:
    assert moment(text, TUESDAY).date() == day
    assert range_start(text, TUESDAY).date() == day


def test_next_month_is_clamped_to_the_month_length() -> None:
    january_31 = datetime(2026, 1, 31, 12, tzinfo=TUESDAY.tzinfo)
    assert parse_when("next month", january_31, ahead=True).day == date(2026, 2, 28)
    december = datetime(2026, 12, 10, 12, tzinfo=TUESDAY.tzinfo)
    assert parse_when("end of month", december, ahead=True).day == date(2026, 12, 31)


@pytest.mark.parametrize("text", ["in 0x weeks", "next blursday", "end of decade", "in weeks"])
def test_unknown_forward_words_are_when_errors(text: str) -> None:
    with pytest.raises(WhenError, match="Could not understand"):
        parse_when(text, TUESDAY, ahead=True)


def test_far_future_is_out_of_range_not_a_crash() -> None:
    with pytest.raises(WhenError, match="out of range"):
        parse_when("in 100000 years", TUESDAY, ahead=True)
