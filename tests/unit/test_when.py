"""A sceptic's tests for `peerlog.when`: every accepted form, every edge, and every way to fail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerlog.errors import UsageError, WhenError
from peerlog.when import When, moment, parse_when, range_end, range_start

PLUS_ONE = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 21, 10, 15, tzinfo=PLUS_ONE)  # a Saturday
TODAY = NOW.date()

D = date
T = time


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=PLUS_ONE)


def now_on(day: date) -> datetime:
    return datetime.combine(day, time(10, 15), tzinfo=PLUS_ONE)


def test_fixed_now_is_a_saturday() -> None:
    assert NOW.strftime("%A") == "Saturday"


# --- accepted forms ---------------------------------------------------------------------------

ISO_CASES: list[tuple[str, date, time | None]] = [
    ("2026-11-21", D(2026, 11, 21), None),
    ("2026-11-21 14:30", D(2026, 11, 21), T(14, 30)),
    ("2026-11-21T14:30", D(2026, 11, 21), T(14, 30)),
    ("2026-11-21t14:30", D(2026, 11, 21), T(14, 30)),
    ("2026-11-21T14:30:05", D(2026, 11, 21), T(14, 30, 5)),
    ("2026-11-21T14:30:05.25", D(2026, 11, 21), T(14, 30, 5, 250000)),
    ("2026-11-21T14:30:05.123456", D(2026, 11, 21), T(14, 30, 5, 123456)),
    ("2026-11-21T00:00", D(2026, 11, 21), T(0, 0)),
    ("2026-11-21T23:59:59", D(2026, 11, 21), T(23, 59, 59)),
    ("2026/11/21", D(2026, 11, 21), None),
    ("2026/11/21 07:05", D(2026, 11, 21), T(7, 5)),
    ("2026-1-5", D(2026, 1, 5), None),
    ("1999-05-01", D(1999, 5, 1), None),
    ("1900-01-01", D(1900, 1, 1), None),
    ("9999-12-31", D(9999, 12, 31), None),
    ("2024-02-29", D(2024, 2, 29), None),  # leap year
    ("2000-02-29", D(2000, 2, 29), None),  # divisible by 400: leap
    ("2027-01-01", D(2027, 1, 1), None),  # the future is allowed
    ("  2026-11-21  ", D(2026, 11, 21), None),
    ("2026-11-21   14:30", D(2026, 11, 21), T(14, 30)),
    ("\t2026-11-21\n", D(2026, 11, 21), None),
]

OFFSET_CASES: list[tuple[str, date, time | None]] = [  # NOW is at +01:00
    ("2026-11-21T14:30Z", D(2026, 11, 21), T(15, 30)),
    ("2026-11-21T14:30z", D(2026, 11, 21), T(15, 30)),
    ("2026-11-21T14:30:05Z", D(2026, 11, 21), T(15, 30, 5)),
    ("2026-11-21T14:30+01:00", D(2026, 11, 21), T(14, 30)),
    ("2026-11-21T14:30+0100", D(2026, 11, 21), T(14, 30)),
    ("2026-11-21T14:30+01", D(2026, 11, 21), T(14, 30)),
    ("2026-11-21T14:30-05:00", D(2026, 11, 21), T(20, 30)),
    ("2026-11-21T14:30+05:30", D(2026, 11, 21), T(10, 0)),
    ("2026-11-21 14:30 +02:00", D(2026, 11, 21), T(13, 30)),
    ("2026-11-21T23:30-05:00", D(2026, 11, 22), T(5, 30)),  # next day here
    ("2026-11-21T00:30+05:30", D(2026, 11, 20), T(20, 0)),  # previous day here
    ("2026-12-31T23:30Z", D(2027, 1, 1), T(0, 30)),  # next year here
    ("2026-11-21T14:30:05.5-00:30", D(2026, 11, 21), T(16, 0, 5, 500000)),
]

WORD_CASES: list[tuple[str, date, time | None]] = [
    ("now", TODAY, T(10, 15)),
    ("NOW", TODAY, T(10, 15)),
    ("today", TODAY, None),
    ("Today", TODAY, None),
    ("  TODAY  ", TODAY, None),
    ("yesterday", D(2026, 11, 20), None),
    ("tomorrow", D(2026, 11, 22), None),
    ("last week", D(2026, 11, 14), None),
    ("LAST   WEEK", D(2026, 11, 14), None),
    ("last month", D(2026, 10, 21), None),
    ("last year", D(2025, 11, 21), None),
    ("this week", D(2026, 11, 16), None),  # Monday of this week
    ("this month", D(2026, 11, 1), None),
    ("this year", D(2026, 1, 1), None),
]

AGO_CASES = [
    ("0 days ago", TODAY),
    ("1 day ago", D(2026, 11, 20)),
    ("1 days ago", D(2026, 11, 20)),
    ("3 days ago", D(2026, 11, 18)),
    ("3 DAYS  AGO", D(2026, 11, 18)),
    ("003 days ago", D(2026, 11, 18)),
    ("a day ago", D(2026, 11, 20)),
    ("one day ago", D(2026, 11, 20)),
    ("21 days ago", D(2026, 10, 31)),
    ("365 days ago", D(2025, 11, 21)),
    ("40000 days ago", D(1917, 5, 17)),
    ("0 weeks ago", TODAY),
    ("a week ago", D(2026, 11, 14)),
    ("one week ago", D(2026, 11, 14)),
    ("2 weeks ago", D(2026, 11, 7)),
    ("52 weeks ago", D(2025, 11, 22)),
    ("a month ago", D(2026, 10, 21)),
    ("1 month ago", D(2026, 10, 21)),
    ("11 months ago", D(2025, 12, 21)),
    ("12 months ago", D(2025, 11, 21)),
    ("23 months ago", D(2024, 12, 21)),
    ("a year ago", D(2025, 11, 21)),
    ("5 years ago", D(2021, 11, 21)),
    ("126 years ago", D(1900, 11, 21)),
    ("0 years ago", TODAY),
]

# Today is Saturday 2026-11-21; that week runs Monday 16 .. Sunday 22.
WEEKDAY_CASES = [
    ("monday", D(2026, 11, 16)),
    ("mon", D(2026, 11, 16)),
    ("Monday", D(2026, 11, 16)),
    ("tuesday", D(2026, 11, 17)),
    ("tue", D(2026, 11, 17)),
    ("wednesday", D(2026, 11, 18)),
    ("wed", D(2026, 11, 18)),
    ("thursday", D(2026, 11, 19)),
    ("thu", D(2026, 11, 19)),
    ("friday", D(2026, 11, 20)),
    ("fri", D(2026, 11, 20)),
    ("saturday", D(2026, 11, 21)),  # today counts
    ("sat", D(2026, 11, 21)),
    ("sunday", D(2026, 11, 15)),
    ("sun", D(2026, 11, 15)),
    ("last monday", D(2026, 11, 16)),
    ("last mon", D(2026, 11, 16)),
    ("last friday", D(2026, 11, 20)),
    ("last saturday", D(2026, 11, 14)),  # strictly before today
    ("last sat", D(2026, 11, 14)),
    ("last sunday", D(2026, 11, 15)),
    ("LAST  Sunday", D(2026, 11, 15)),
]

TIME_CASES: list[tuple[str, date, time | None]] = [
    ("yesterday 14:00", D(2026, 11, 20), T(14, 0)),
    ("yesterday at 9pm", D(2026, 11, 20), T(21, 0)),
    ("Yesterday AT 9PM", D(2026, 11, 20), T(21, 0)),
    ("monday 9:30am", D(2026, 11, 16), T(9, 30)),
    ("mon 9:30 am", D(2026, 11, 16), T(9, 30)),
    ("2026-11-01 at 07:05", D(2026, 11, 1), T(7, 5)),
    ("2026-11-01 7:05", D(2026, 11, 1), T(7, 5)),
    ("2026-11-01 9pm", D(2026, 11, 1), T(21, 0)),
    ("2026/11/01 at 11:59pm", D(2026, 11, 1), T(23, 59)),
    ("today 12am", TODAY, T(0, 0)),
    ("today 12:30am", TODAY, T(0, 30)),
    ("today 12pm", TODAY, T(12, 0)),
    ("today 12:30pm", TODAY, T(12, 30)),
    ("today 1am", TODAY, T(1, 0)),
    ("today 0:00", TODAY, T(0, 0)),
    ("today 23:59", TODAY, T(23, 59)),
    ("today 23:59:59", TODAY, T(23, 59, 59)),
    ("tomorrow 9 PM", D(2026, 11, 22), T(21, 0)),
    ("3 days ago at 23:59", D(2026, 11, 18), T(23, 59)),
    ("a week ago 8am", D(2026, 11, 14), T(8, 0)),
    ("2 months ago 10:00", D(2026, 9, 21), T(10, 0)),
    ("last week 00:00", D(2026, 11, 14), T(0, 0)),
    ("last sat 7:05:09", D(2026, 11, 14), T(7, 5, 9)),
    ("this week at 9am", D(2026, 11, 16), T(9, 0)),
    # a bare time is today
    ("14:30", TODAY, T(14, 30)),
    ("9pm", TODAY, T(21, 0)),
    ("9 pm", TODAY, T(21, 0)),
    ("9PM", TODAY, T(21, 0)),
    ("9:05am", TODAY, T(9, 5)),
    ("07:05", TODAY, T(7, 5)),
    ("7:05", TODAY, T(7, 5)),
    ("at 9pm", TODAY, T(21, 0)),
    ("at 14:30", TODAY, T(14, 30)),
    ("  14:30  ", TODAY, T(14, 30)),
]


@pytest.mark.parametrize(
    ("text", "day", "clock"), ISO_CASES + OFFSET_CASES + WORD_CASES + TIME_CASES
)
def test_parse_when_day_and_time(text: str, day: date, clock: time | None) -> None:
    assert parse_when(text, NOW) == When(day, clock)


@pytest.mark.parametrize(("text", "day"), AGO_CASES + WEEKDAY_CASES)
def test_parse_when_day_only(text: str, day: date) -> None:
    assert parse_when(text, NOW) == When(day, None)


def test_when_is_frozen_and_has_slots() -> None:
    when = parse_when("today", NOW)
    with pytest.raises(AttributeError):
        when.day = TODAY  # type: ignore[misc]
    assert not hasattr(when, "__dict__")


def test_parsed_times_are_naive() -> None:
    for text in ("now", "14:30", "2026-11-21T14:30Z", "2026-11-21T14:30"):
        clock = parse_when(text, NOW).time
        assert clock is not None
        assert clock.tzinfo is None


# --- month and year arithmetic: clamping and leap years ---------------------------------------


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (D(2026, 3, 31), "1 month ago", D(2026, 2, 28)),
        (D(2026, 3, 31), "last month", D(2026, 2, 28)),
        (D(2024, 3, 31), "1 month ago", D(2024, 2, 29)),
        (D(2026, 5, 31), "1 month ago", D(2026, 4, 30)),
        (D(2026, 3, 30), "1 month ago", D(2026, 2, 28)),
        (D(2026, 3, 28), "1 month ago", D(2026, 2, 28)),
        (D(2026, 1, 31), "2 months ago", D(2025, 11, 30)),
        (D(2026, 1, 15), "1 month ago", D(2025, 12, 15)),
        (D(2026, 1, 31), "1 month ago", D(2025, 12, 31)),
        (D(2026, 3, 31), "13 months ago", D(2025, 2, 28)),
        (D(2026, 3, 31), "25 months ago", D(2024, 2, 29)),
        (D(2026, 12, 31), "12 months ago", D(2025, 12, 31)),
        (D(2024, 2, 29), "1 year ago", D(2023, 2, 28)),
        (D(2024, 2, 29), "last year", D(2023, 2, 28)),
        (D(2024, 2, 29), "a year ago", D(2023, 2, 28)),
        (D(2024, 2, 29), "4 years ago", D(2020, 2, 29)),
        (D(2024, 2, 29), "12 months ago", D(2023, 2, 28)),
        (D(2024, 2, 29), "100 years ago", D(1924, 2, 29)),
        (D(2000, 2, 29), "100 years ago", D(1900, 2, 28)),  # 1900 is not a leap year
        (D(2024, 3, 1), "yesterday", D(2024, 2, 29)),
        (D(2023, 3, 1), "yesterday", D(2023, 2, 28)),
        (D(2026, 1, 1), "yesterday", D(2025, 12, 31)),
        (D(2025, 12, 31), "tomorrow", D(2026, 1, 1)),
        (D(2026, 1, 1), "last week", D(2025, 12, 25)),
        (D(2026, 1, 3), "this week", D(2025, 12, 29)),  # Monday in the previous year
        (D(2024, 3, 7), "8 days ago", D(2024, 2, 28)),
        (D(1900, 1, 1), "today", D(1900, 1, 1)),
        (D(1900, 1, 7), "this week", D(1900, 1, 1)),  # 1900-01-01 was a Monday
        (D(9999, 12, 31), "today", D(9999, 12, 31)),
        (D(9999, 12, 31), "this year", D(9999, 1, 1)),
    ],
)
def test_calendar_arithmetic(today: date, text: str, expected: date) -> None:
    assert parse_when(text, now_on(today)).day == expected


# --- weekdays ---------------------------------------------------------------------------------

WEEK = [D(2026, 11, 16) + timedelta(days=i) for i in range(7)]  # Monday .. Sunday
NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@pytest.mark.parametrize("index", range(7))
def test_weekday_named_today_is_today(index: int) -> None:
    today = WEEK[index]
    for name in (NAMES[index], NAMES[index][:3], NAMES[index].upper()):
        assert parse_when(name, now_on(today)).day == today


@pytest.mark.parametrize("index", range(7))
def test_last_weekday_named_today_is_a_week_ago(index: int) -> None:
    today = WEEK[index]
    for name in (NAMES[index], NAMES[index][:3]):
        assert parse_when(f"last {name}", now_on(today)).day == today - timedelta(days=7)


@pytest.mark.parametrize("index", range(7))
def test_this_week_is_monday(index: int) -> None:
    assert parse_when("this week", now_on(WEEK[index])).day == WEEK[0]


def test_weekday_the_day_after_is_six_days_back() -> None:
    # On a Monday, "tuesday" is last week's Tuesday and "sunday" is yesterday.
    assert parse_when("tuesday", now_on(WEEK[0])).day == D(2026, 11, 10)
    assert parse_when("sunday", now_on(WEEK[0])).day == D(2026, 11, 15)
    assert parse_when("last sunday", now_on(WEEK[0])).day == D(2026, 11, 15)


# --- moment (--date) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", NOW),
        ("now", NOW),
        ("yesterday", at(D(2026, 11, 20), T(10, 15))),
        ("3 days ago", at(D(2026, 11, 18), T(10, 15))),
        ("2026-11-01", at(D(2026, 11, 1), T(10, 15))),
        ("yesterday 14:00", at(D(2026, 11, 20), T(14, 0))),
        ("monday 9:30am", at(D(2026, 11, 16), T(9, 30))),
        ("14:30", at(TODAY, T(14, 30))),
        ("2026-11-21T14:30", at(TODAY, T(14, 30))),
        ("2026-11-21T14:30Z", at(TODAY, T(15, 30))),
        ("2026-11-21T23:30-05:00", at(D(2026, 11, 22), T(5, 30))),
    ],
)
def test_moment(text: str, expected: datetime) -> None:
    result = moment(text, NOW)
    assert result == expected
    assert result.tzinfo is NOW.tzinfo
    assert result.utcoffset() == timedelta(hours=1)


def test_moment_today_is_now_exactly() -> None:
    now = datetime(2026, 11, 21, 10, 15, 42, 123456, tzinfo=PLUS_ONE)
    assert moment("today", now) == now
    assert moment("now", now) == now
    assert moment("yesterday", now) == now - timedelta(days=1)


def test_moment_converts_an_offset_to_the_local_zone() -> None:
    utc_now = NOW.astimezone(UTC)
    result = moment("2026-11-21T14:30+01:00", utc_now)
    assert result == datetime(2026, 11, 21, 13, 30, tzinfo=UTC)
    assert result.tzinfo is utc_now.tzinfo


def test_a_named_zone_is_kept() -> None:
    try:
        london = ZoneInfo("Europe/London")
    except ZoneInfoNotFoundError:
        pytest.skip("no time zone data on this machine")
    now = datetime(2026, 7, 1, 9, 0, tzinfo=london)  # summer time: +01:00
    result = moment("2026-07-01T12:00Z", now)
    assert (result.hour, result.tzinfo) == (13, london)
    winter = moment("2026-01-15T12:00Z", now)
    assert (winter.hour, winter.utcoffset()) == (12, timedelta(0))


# --- range_start (--since) and range_end (--until) --------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", at(TODAY, T(0, 0))),
        ("yesterday", at(D(2026, 11, 20), T(0, 0))),
        ("last week", at(D(2026, 11, 14), T(0, 0))),
        ("2026-11-01", at(D(2026, 11, 1), T(0, 0))),
        ("yesterday 14:30", at(D(2026, 11, 20), T(14, 30))),
        ("14:30", at(TODAY, T(14, 30))),
        ("now", NOW),
        ("2026-11-21T14:30Z", at(TODAY, T(15, 30))),
    ],
)
def test_range_start(text: str, expected: datetime) -> None:
    result = range_start(text, NOW)
    assert result == expected
    assert result.tzinfo is NOW.tzinfo


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", at(D(2026, 11, 22), T(0, 0))),
        ("yesterday", at(TODAY, T(0, 0))),
        ("2026-12-31", at(D(2027, 1, 1), T(0, 0))),
        ("2026-11-30", at(D(2026, 12, 1), T(0, 0))),
        ("2024-02-28", at(D(2024, 2, 29), T(0, 0))),
        ("2026-02-28", at(D(2026, 3, 1), T(0, 0))),
        ("14:30", at(TODAY, T(14, 31))),
        ("yesterday 23:59", at(TODAY, T(0, 0))),
        ("2026-12-31 23:59", at(D(2027, 1, 1), T(0, 0))),
        ("2026-11-21T14:30:05", at(TODAY, T(14, 31, 5))),
        ("2026-11-21T14:30Z", at(TODAY, T(15, 31))),
        ("now", NOW + timedelta(minutes=1)),
    ],
)
def test_range_end_is_exclusive(text: str, expected: datetime) -> None:
    result = range_end(text, NOW)
    assert result == expected
    assert result.tzinfo is NOW.tzinfo


def test_until_a_minute_takes_in_the_whole_minute() -> None:
    end = range_end("14:30", NOW)
    assert at(TODAY, T(14, 30, 59, 999999)) < end
    assert not at(TODAY, T(14, 31)) < end


def test_until_a_day_takes_in_the_whole_day() -> None:
    start, end = range_start("yesterday", NOW), range_end("yesterday", NOW)
    assert start <= at(D(2026, 11, 20), T(0, 0)) < end
    assert at(D(2026, 11, 20), T(23, 59, 59, 999999)) < end
    assert not at(TODAY, T(0, 0)) < end


def test_since_and_until_the_same_day_is_one_day_long() -> None:
    assert range_end("2026-11-01", NOW) - range_start("2026-11-01", NOW) == timedelta(days=1)


def test_range_end_past_the_last_year_is_an_error() -> None:
    assert range_start("9999-12-31", NOW) == at(D(9999, 12, 31), T(0, 0))
    with pytest.raises(WhenError, match="'9999-12-31'"):
        range_end("9999-12-31", NOW)
    with pytest.raises(WhenError, match="'9999-12-31 23:59'"):
        range_end("9999-12-31 23:59", NOW)


# --- errors -----------------------------------------------------------------------------------

ERROR_CASES = [
    # words it does not know
    ("blah", "Could not understand the date 'blah'."),
    ("todya", "Could not understand"),
    ("mondey", "Could not understand"),
    ("mondays", "Could not understand"),
    ("next mondey", "Could not understand"),
    ("last", "Could not understand"),
    ("last blah", "Could not understand"),
    ("last weeks", "Could not understand"),
    ("3 hours ago", "Could not understand"),
    ("3 days", "Could not understand"),
    ("days ago", "Could not understand"),
    ("-1 days ago", "Could not understand"),
    ("1.5 days ago", "Could not understand"),
    ("two days ago", "Could not understand"),
    ("now 14:00", "Could not understand"),
    ("yesterday at", "Could not understand"),
    ("at", "Could not understand"),
    ("9", "Could not understand"),
    ("monday 9", "Could not understand"),
    ("14:30 yesterday", "Could not understand"),
    ("yesterday, 14:00", "Could not understand"),
    ("yesterday 14:00 +01:00", "Could not understand"),
    ("2026-11/21", "Could not understand"),
    ("11/21/2026", "Could not understand"),
    ("21-11-2026", "Could not understand"),
    ("26-11-21", "Could not understand"),
    ("20261121", "Could not understand"),
    ("2026-11-21Z", "Could not understand"),
    ("2026-11-21T14", "Could not understand"),
    ("2026-11-21T9:30", "Could not understand"),
    ("2026-11-21T14:30+1", "Could not understand"),
    ("2026-11-21 14:30 UTC", "Could not understand"),
    ("２０２６-11-21", "Could not understand"),  # full-width digits
    ("٣ days ago", "Could not understand"),  # Arabic-Indic digit
    ("last wee\u212a", "Could not understand"),  # KELVIN SIGN lower-cases to "k"
    # dates that do not exist
    ("2026-02-30", "The date '2026-02-30' does not exist: February 2026 has 28 days."),
    ("2026-02-29", "February 2026 has 28 days"),
    ("2024-02-30", "February 2024 has 29 days"),
    ("1900-02-29", "February 1900 has 28 days"),
    ("2026-04-31", "April 2026 has 30 days"),
    ("2026-11-00", "does not exist"),
    ("2026-13-01", "there is no month 13"),
    ("2026-00-10", "there is no month 0"),
    ("2026-02-30 14:00", "does not exist"),
    ("2026-02-30T14:00Z", "does not exist"),
    # years out of range
    ("0001-01-01", "The date '0001-01-01' is out of range: years must be between 1900 and 9999."),
    ("0000-01-01", "out of range"),
    ("1899-12-31", "out of range"),
    ("10000-01-01", "out of range"),
    ("1899-12-31T23:30-05:00", "out of range"),
    ("9999-12-31T23:30-05:00", "out of range"),  # converted, it falls in the year 10000
    ("1900-01-01T00:30+05:00", "out of range"),  # converted, it falls in 1899
    ("200 years ago", "out of range"),
    ("1600 months ago", "out of range"),
    ("100000 days ago", "out of range"),
    ("100000 weeks ago", "out of range"),
    ("100000 years ago", "out of range"),
    # numbers too large
    ("100001 days ago", "The number in '100001 days ago' is too large: use at most 100000."),
    ("99999999999999999999 days ago", "too large"),
    ("1000000 years ago", "too large"),
    # times of day that do not exist
    ("25:00", "The time in '25:00' is not a real time of day"),
    ("24:00", "not a real time of day"),
    ("14:60", "not a real time of day"),
    ("14:30:60", "not a real time of day"),
    ("99:99", "not a real time of day"),
    ("13pm", "not a real time of day"),
    ("0am", "not a real time of day"),
    ("0pm", "not a real time of day"),
    ("14:30pm", "not a real time of day"),
    ("yesterday 25:00", "not a real time of day"),
    ("yesterday at 9:75pm", "not a real time of day"),
    ("2026-11-21T24:00", "not a real time of day"),
    ("2026-11-21T14:61", "not a real time of day"),
    ("2026-11-21T14:30:60", "not a real time of day"),
    # offsets that do not exist
    ("2026-11-21T14:30+24:00", "time zone offset"),
    ("2026-11-21T14:30+01:60", "time zone offset"),
]


@pytest.mark.parametrize(("text", "fragment"), ERROR_CASES)
def test_errors_quote_the_input(text: str, fragment: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, NOW)
    message = caught.value.message
    assert fragment in message
    assert f"'{text.strip()}'" in message
    assert message.endswith(".")
    assert str(caught.value) == message


@pytest.mark.parametrize("text", [text for text, _ in ERROR_CASES[:6]])
@pytest.mark.parametrize("function", [moment, range_start, range_end])
def test_every_entry_point_raises_when_error(
    text: str, function: Callable[[str, datetime], datetime]
) -> None:
    with pytest.raises(WhenError):
        function(text, NOW)


def test_when_error_is_a_usage_error_with_a_hint() -> None:
    with pytest.raises(UsageError) as caught:
        parse_when("blah", NOW)
    error = caught.value
    assert isinstance(error, WhenError)
    assert error.message == "Could not understand the date 'blah'."
    assert error.hint == (
        "Use a date like 2026-11-21 or words like today, yesterday, 3 days ago, monday, last week."
    )


def test_time_errors_hint_at_a_time() -> None:
    with pytest.raises(WhenError) as caught:
        parse_when("25:00", NOW)
    assert caught.value.hint is not None
    assert "14:30" in caught.value.hint


@pytest.mark.parametrize("text", ["", " ", "   ", "\t\n"])
def test_empty_input(text: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, NOW)
    assert "''" in caught.value.message
    assert "empty" in caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        "\x00",
        "today\x00",
        "\x00today",
        "to\x1bday",
        "\ud800",
        "today\udfff",
        "\u200btoday",  # zero-width space
        "to\u00addday",
        "\x85today",
        "\u2028",
        "🙂",
        "ﬁve days ago",
        "İ",
    ],
)
def test_strange_characters_are_when_errors_with_printable_messages(text: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, NOW)
    assert caught.value.message.isprintable()
    caught.value.message.encode("utf-8")  # no lone surrogates left to trip up printing


@pytest.mark.parametrize(
    "text",
    [
        "a" * 1_000_000,
        "9" * 100_000 + " days ago",
        "1" * 100_000 + "-01-01",
        "2026-11-21 " * 10_000,
        "1 " * 100_000 + "14:30",
        "yesterday " + "at " * 100_000 + "14:30",
    ],
)
def test_huge_input_is_a_short_when_error(text: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, NOW)
    assert len(caught.value.message) < 200


def test_huge_whitespace_or_leading_zeros_around_a_good_date_are_fine() -> None:
    assert parse_when(" " * 100_000 + "today" + "\n" * 100_000, NOW).day == TODAY
    assert parse_when("0" * 100_000 + "1 days ago", NOW).day == D(2026, 11, 20)
    assert parse_when("yesterday " + " " * 100_000 + "14:30", NOW) == When(
        D(2026, 11, 20), T(14, 30)
    )


@pytest.mark.parametrize(
    "text", ["\u00a0today", "today\u3000", "\x1ctoday", "yesterday\u200914:00", "\u2028"]
)
def test_only_ascii_white_space_is_tolerated(text: str) -> None:
    with pytest.raises(WhenError, match="Could not understand"):
        parse_when(text, NOW)


@pytest.mark.parametrize(
    ("now", "text"),
    [
        (now_on(D(9999, 12, 31)), "tomorrow"),
        (now_on(D(1900, 1, 1)), "yesterday"),
        (now_on(D(1900, 1, 1)), "last week"),
        (now_on(D(1900, 1, 1)), "last month"),
        (now_on(D(1900, 1, 1)), "last year"),
        (now_on(D(1900, 1, 6)), "last week"),
        (now_on(D(1900, 1, 1)), "sunday"),
        (now_on(D(1900, 1, 1)), "last monday"),
        (datetime(1899, 12, 31, tzinfo=PLUS_ONE), "today"),
        (datetime(1, 1, 1, tzinfo=PLUS_ONE), "100000 weeks ago"),
        (datetime(1, 1, 1, tzinfo=PLUS_ONE), "yesterday"),
        (datetime(9999, 12, 31, 23, 59, tzinfo=PLUS_ONE), "tomorrow 9am"),
    ],
)
def test_results_outside_the_years_are_when_errors(now: datetime, text: str) -> None:
    with pytest.raises(WhenError, match="out of range"):
        parse_when(text, now)


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_when("today", datetime(2026, 11, 21, 10, 15))


# --- properties -------------------------------------------------------------------------------

VOCABULARY = [
    "now", "today", "yesterday", "tomorrow", "last", "this", "week", "weeks", "month", "months",
    "year", "years", "day", "days", "ago", "a", "one", "at", "am", "pm", "z", "t", "mon", "monday",
    "sat", "sunday", "-", "/", ":", "+", ".", "14:30", "9pm", "2026-02-30", "2026-11-21",
    "0", "00", "12", "24", "60", "99", "2026", "1899", "10000", "100000", "100001",
]  # fmt: skip

tokens = st.one_of(
    st.sampled_from(VOCABULARY),
    st.integers(min_value=0, max_value=10**12).map(str),
    st.text(alphabet="0123456789:-/+.tzapm ", max_size=8),
)
token_soup = st.builds(
    lambda parts, glue: glue.join(parts),
    st.lists(tokens, max_size=8),
    st.sampled_from([" ", "", "  ", "-", ":", "T", " at "]),
)
aware_nows = st.builds(
    lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31)),
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59),
)


def _only_when_errors(text: str, now: datetime) -> None:
    try:
        result = parse_when(text, now)
    except WhenError as error:
        assert error.message
        assert error.message.isprintable()
        return
    assert isinstance(result, When)
    assert 1900 <= result.day.year <= 9999
    for function in (moment, range_start, range_end):
        try:
            function(text, now)
        except WhenError:
            assert function is range_end  # only the exclusive end can fall off the calendar


@settings(max_examples=500)
@given(st.text())
def test_fuzz_any_text_is_a_when_or_a_when_error(text: str) -> None:
    _only_when_errors(text, NOW)


@settings(max_examples=500)
@given(token_soup, aware_nows)
def test_fuzz_near_misses_are_a_when_or_a_when_error(text: str, now: datetime) -> None:
    _only_when_errors(text, now)


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(9999, 12, 31)))
def test_every_iso_date_parses_to_itself(day: date) -> None:
    assert parse_when(day.isoformat(), NOW) == When(day, None)
    assert parse_when(day.strftime("%Y/%m/%d"), NOW) == When(day, None)
    assert parse_when(f"{day.year}-{day.month}-{day.day}", NOW) == When(day, None)


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)))
def test_every_naive_iso_datetime_parses_to_itself(value: datetime) -> None:
    assert parse_when(value.isoformat(), NOW) == When(value.date(), value.time())
    assert parse_when(value.isoformat(sep=" "), NOW) == When(value.date(), value.time())
    minutes = value.replace(second=0, microsecond=0)
    assert parse_when(minutes.isoformat(timespec="minutes"), NOW) == When(
        minutes.date(), minutes.time()
    )


@given(
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(9998, 12, 31)),
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59),
    aware_nows,
)
def test_an_aware_iso_datetime_is_the_same_instant(
    value: datetime, offset_minutes: int, now: datetime
) -> None:
    aware = value.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    result = moment(aware.isoformat(), now)
    assert result == aware
    assert result.tzinfo is now.tzinfo
    assert range_start(aware.isoformat(), now) == aware


@given(st.integers(min_value=0, max_value=40_000))
def test_n_days_ago(count: int) -> None:
    assert parse_when(f"{count} days ago", NOW).day == TODAY - timedelta(days=count)
    if count <= 5_000:
        assert parse_when(f"{count} weeks ago", NOW).day == TODAY - timedelta(weeks=count)


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(9999, 12, 31)),
    st.integers(min_value=0, max_value=1_200),
)
def test_n_months_ago_moves_whole_months_and_clamps(today: date, count: int) -> None:
    result = parse_when(f"{count} months ago", now_on(today)).day
    assert (today.year * 12 + today.month) - (result.year * 12 + result.month) == count
    assert result.day == min(today.day, _month_length(result))
    if count % 12 == 0:
        assert parse_when(f"{count // 12} years ago", now_on(today)).day == result


def _month_length(day: date) -> int:
    following = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return (following - timedelta(days=1)).day


@given(
    st.dates(min_value=D(1900, 2, 1), max_value=D(9999, 12, 31)),
    st.integers(min_value=0, max_value=6),
)
def test_weekdays_land_in_the_last_week(today: date, index: int) -> None:
    plain = parse_when(NAMES[index][:3], now_on(today)).day
    assert plain.weekday() == index
    assert 0 <= (today - plain).days <= 6
    last = parse_when(f"last {NAMES[index]}", now_on(today)).day
    assert last.weekday() == index
    assert 1 <= (today - last).days <= 7


valid_expressions = st.one_of(
    st.sampled_from([text for text, *_ in ISO_CASES + OFFSET_CASES + WORD_CASES + TIME_CASES]),
    st.sampled_from([text for text, _ in AGO_CASES + WEEKDAY_CASES]),
)


@given(valid_expressions, aware_nows)
def test_moment_lies_within_its_own_range(text: str, now: datetime) -> None:
    try:
        when = parse_when(text, now)
        start, end = range_start(text, now), range_end(text, now)
    except WhenError:
        return  # e.g. "40000 days ago" from a `now` in 1950, or the end of "9999-12-31"
    assert start <= moment(text, now) < end
    if when.time is None:
        assert end - start == timedelta(days=1)
    else:
        assert moment(text, now) == start
        assert end - start == timedelta(minutes=1)
