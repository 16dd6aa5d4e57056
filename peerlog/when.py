"""Parsing WHEN expressions: the dates and times given to `--date`, `--since` and `--until`.

Owns the grammar of WHEN expressions (ISO dates and times, day words such as `yesterday`,
`3 days ago`, `last monday`, `this week`, `in 2 weeks`, `next month`, `end of month`, each with
an optional time of day) and how one turns into a day, a moment, or the inclusive start /
exclusive end of a range. A bare weekday looks back (`--date friday`: the most recent Friday)
unless the caller looks ahead (deadlines and rests: the coming Friday). Every failure is a
`WhenError` whose message quotes the input; no other exception escapes for any input text.

Must never read the clock (`now` is always passed in), do any I/O, or import a date-parsing
library: it uses only the standard library's datetime, re, dataclasses and calendar.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from peerlog.classes import dataclass
from peerlog.errors import WhenError

__all__ = ["When", "moment", "parse_when", "range_end", "range_start"]

MIN_YEAR = 1900
MAX_YEAR = 9999
MAX_COUNT = 100_000  # the largest N in "N days ago"

_HINT = "Use a date like 2026-11-21 or words like today, yesterday, 3 days ago, monday, last week."
_TIME_HINT = "Use a time like 14:30, 9pm or 9:30am."
_SHOWN_MAX = 60  # longer inputs are cut short when quoted in a message
_SPACE = " \t\n\r\f\v"  # only ASCII white space is tolerated; any other character is an error
_SPACES = re.compile(r"[ \t\n\r\f\v]+")

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_INDEX = {name[:size]: i for i, name in enumerate(_WEEKDAYS) for size in (3, len(name))}
# Day words a fixed number of days, or of calendar months, before today (after, when negative).
_DAYS_BACK = {"today": 0, "yesterday": 1, "tomorrow": -1, "last week": 7, "next week": -7}
_MONTHS_BACK = {"last month": 1, "last year": 12, "next month": -1, "next year": -12}

# All patterns run on normalised text: ASCII only, lower case, single spaces, no ends.
_DATE = r"(?P<year>[0-9]{4,})(?P<sep>[-/])(?P<month>[0-9]{1,2})(?P=sep)(?P<dom>[0-9]{1,2})"
_ISO_DATE = re.compile(_DATE)
_ISO_DATETIME = re.compile(
    _DATE + r"[t ](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:[.,](?P<fraction>[0-9]{1,6}))?)?"
    r"(?: ?(?P<offset>z|(?P<sign>[+-])(?P<hours>[0-9]{2})(?::?(?P<minutes>[0-9]{2}))?))?"
)
# 14:30, 14:30:05, 9:30am, 9:30 pm, 9pm, 9 pm: an hour alone needs am or pm (the lookahead).
_CLOCK = (
    r"(?P<hour>[0-9]{1,2})(?=:| ?[ap]m)(?::(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?)?"
    r"(?: ?(?P<half>[ap]m))?"
)
_WITH_CLOCK = re.compile(r"(?:(?P<day>.+?) )??(?:at )?(?P<clock>" + _CLOCK + ")")
_AGO = re.compile(r"(?P<count>[0-9]+|a|one) (?P<unit>day|week|month|year)s? ago")
_IN = re.compile(r"in (?P<count>[0-9]+|a|one) (?P<unit>day|week|month|year)s?")
_LAST_OR_NEXT = re.compile(r"(?P<which>last|next) (?P<name>[a-z]+)")
_END_OF = re.compile(r"(?:the )?end of (?:the |this )?(?P<unit>week|month|year)")


@dataclass(frozen=True, slots=True)
class When:
    """A parsed WHEN expression: a day, and the time of day if the user gave one.

    `time` is naive and already in the local time zone (that of `now`).
    """

    day: date
    time: time | None  # None when the user gave only a day


def parse_when(text: str, now: datetime, *, ahead: bool = False) -> When:
    """Parse a WHEN expression, resolving day words relative to `now.date()`.

    A bare weekday is the most recent such day (today included), or with `ahead` the coming
    one (today included): `--by friday` on a Tuesday is this Friday. `now` must be
    timezone-aware; an ISO input with an explicit offset (or `Z`) is converted to
    `now`'s time zone. Raises `WhenError` for anything it cannot understand.
    """
    if now.tzinfo is None:
        raise ValueError("parse_when needs a timezone-aware `now`.")
    shown = _shown(text)
    if not text.isascii():  # checked before lower-casing: KELVIN SIGN lower-cases to "k"
        raise _not_understood(shown)
    norm = _SPACES.sub(" ", text).strip(" ").lower()
    if not norm:
        raise WhenError(f"Could not understand the date '{shown}': it is empty.", _HINT)
    try:
        when = _parse(norm, now, shown, ahead)
    except OverflowError:
        raise _out_of_range(shown) from None
    if not MIN_YEAR <= when.day.year <= MAX_YEAR:
        raise _out_of_range(shown)
    return when


def moment(text: str, now: datetime, *, ahead: bool = False) -> datetime:
    """The moment for `--date` (or, `ahead`, for a deadline such as `--by`): the day at the
    given time, else at `now`'s time of day.

    So `today` is `now` itself. The result is timezone-aware, in `now`'s time zone.
    """
    when = parse_when(text, now, ahead=ahead)
    clock = when.time if when.time is not None else now.time()
    return datetime.combine(when.day, clock, tzinfo=now.tzinfo)


def range_start(text: str, now: datetime) -> datetime:
    """The inclusive start for `--since`: the given time, else 00:00 of the day (in `now`'s tz)."""
    when = parse_when(text, now)
    clock = when.time if when.time is not None else time.min
    return datetime.combine(when.day, clock, tzinfo=now.tzinfo)


def range_end(text: str, now: datetime) -> datetime:
    """The EXCLUSIVE end for `--until`, in `now`'s time zone.

    A day alone ends at 00:00 of the next day; a time ends one minute after it, so that
    "until 14:30" takes in 14:30:59.
    """
    when = parse_when(text, now)
    try:
        if when.time is None:
            return datetime.combine(when.day + timedelta(days=1), time.min, tzinfo=now.tzinfo)
        return datetime.combine(when.day, when.time, tzinfo=now.tzinfo) + timedelta(minutes=1)
    except OverflowError:
        raise _out_of_range(_shown(text)) from None


# --- the grammar -----------------------------------------------------------------------------


def _parse(norm: str, now: datetime, shown: str, ahead: bool) -> When:
    today = now.date()
    if norm == "now":
        return When(today, now.time())

    iso = _ISO_DATETIME.fullmatch(norm)
    if iso is not None:
        return _iso_datetime(iso, now.tzinfo, shown)

    split = _WITH_CLOCK.fullmatch(norm)
    if split is not None:
        day_text = split["day"]
        day = today if day_text is None else _parse_day(day_text, today, shown, ahead)
        return When(day, _parse_clock(split, shown))

    return When(_parse_day(norm, today, shown, ahead), None)


def _parse_day(norm: str, today: date, shown: str, ahead: bool = False) -> date:
    iso = _ISO_DATE.fullmatch(norm)
    if iso is not None:
        return _iso_date(iso, shown)

    if norm in _DAYS_BACK:
        return today - timedelta(days=_DAYS_BACK[norm])
    if norm in _MONTHS_BACK:
        return _months_back(today, _MONTHS_BACK[norm], shown)
    if norm == "this week":
        return today - timedelta(days=today.weekday())
    if norm == "this month":
        return today.replace(day=1)
    if norm == "this year":
        return today.replace(month=1, day=1)

    if norm in _WEEKDAY_INDEX and ahead:  # the coming such day, today included
        return today + timedelta(days=(_WEEKDAY_INDEX[norm] - today.weekday()) % 7)
    if norm in _WEEKDAY_INDEX:  # the most recent such day, today included
        return today - timedelta(days=(today.weekday() - _WEEKDAY_INDEX[norm]) % 7)
    named = _LAST_OR_NEXT.fullmatch(norm)
    if named is not None and named["name"] in _WEEKDAY_INDEX:  # strictly before or after today
        sign = -1 if named["which"] == "last" else 1
        days = (sign * (_WEEKDAY_INDEX[named["name"]] - today.weekday())) % 7 or 7
        return today + timedelta(days=sign * days)

    end = _END_OF.fullmatch(norm)
    if end is not None:
        return _end_of(end["unit"], today)

    ago = _AGO.fullmatch(norm)
    if ago is not None:
        return _ago(ago, today, shown)
    later = _IN.fullmatch(norm)
    if later is not None:
        return _ago(later, today, shown, sign=-1)

    raise _not_understood(shown)


def _end_of(unit: str, today: date) -> date:
    """The last day of this week (Sunday), month or year."""
    if unit == "week":
        return today + timedelta(days=6 - today.weekday())
    if unit == "month":
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    return today.replace(month=12, day=31)


def _ago(match: re.Match[str], today: date, shown: str, sign: int = 1) -> date:
    """`N units ago` (or, with `sign` -1, `in N units`)."""
    count_text = match["count"]
    if count_text in ("a", "one"):
        count = 1
    else:
        digits = count_text.lstrip("0") or "0"
        if len(digits) > len(str(MAX_COUNT)) or int(digits) > MAX_COUNT:
            raise WhenError(
                f"The number in '{shown}' is too large: use at most {MAX_COUNT}.",
                "For dates long ago, give the date itself, like 1999-05-01.",
            )
        count = int(digits)
    unit, count = match["unit"], count * sign
    if unit in ("day", "week"):
        return today - timedelta(days=count * (7 if unit == "week" else 1))
    return _months_back(today, count * (12 if unit == "year" else 1), shown)


def _months_back(day: date, months: int, shown: str) -> date:
    """The same day `months` calendar months earlier (later when negative), clamped to that
    month's length."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _out_of_range(shown)
    length = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, length))


def _iso_date(match: re.Match[str], shown: str) -> date:
    year_text = match["year"]  # its length is checked first: a huge number is never parsed
    if len(year_text) > 4 or not MIN_YEAR <= int(year_text) <= MAX_YEAR:
        raise _out_of_range(shown)
    year, month, dom = int(year_text), int(match["month"]), int(match["dom"])
    if not 1 <= month <= 12:
        raise WhenError(f"The date '{shown}' does not exist: there is no month {month}.", _HINT)
    length = calendar.monthrange(year, month)[1]
    if not 1 <= dom <= length:
        month_name = calendar.month_name[month]
        raise WhenError(
            f"The date '{shown}' does not exist: {month_name} {year} has {length} days.", _HINT
        )
    return date(year, month, dom)


def _iso_datetime(match: re.Match[str], local: tzinfo | None, shown: str) -> When:
    day = _iso_date(match, shown)
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    micro = int((match["fraction"] or "0").ljust(6, "0"))
    if hour > 23 or minute > 59 or second > 59:
        raise _bad_time(shown, "hours go from 00 to 23, minutes and seconds from 00 to 59")
    clock = time(hour, minute, second, micro)
    if match["offset"] is None:
        return When(day, clock)
    given = datetime.combine(day, clock, tzinfo=_parse_offset(match, shown))
    local_moment = given.astimezone(local)  # may overflow near the ends of the calendar
    return When(local_moment.date(), local_moment.time())


def _parse_offset(match: re.Match[str], shown: str) -> timezone:
    if match["offset"] == "z":
        return UTC
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    if hours > 23 or minutes > 59:
        raise WhenError(
            f"The time zone offset in '{shown}' is not valid.",
            "Use Z or an offset like +01:00 (hours up to 23, minutes up to 59).",
        )
    size = timedelta(hours=hours, minutes=minutes)
    return timezone(-size if match["sign"] == "-" else size)


def _parse_clock(match: re.Match[str], shown: str) -> time:
    hour, minute, second = int(match["hour"]), int(match["minute"] or 0), int(match["second"] or 0)
    half = match["half"]
    if half is not None:
        if not 1 <= hour <= 12:
            raise _bad_time(shown, "with am or pm, hours go from 1 to 12")
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif hour > 23:
        raise _bad_time(shown, "hours go from 0 to 23")
    if minute > 59 or second > 59:
        raise _bad_time(shown, "minutes and seconds go from 00 to 59")
    return time(hour, minute, second)


# --- errors ----------------------------------------------------------------------------------


def _shown(text: str) -> str:
    """The input as quoted in a message: trimmed, cut short, with unprintables escaped."""
    trimmed = text.strip(_SPACE)
    if len(trimmed) > _SHOWN_MAX:
        trimmed = trimmed[: _SHOWN_MAX - 1] + "…"
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in trimmed)


def _not_understood(shown: str) -> WhenError:
    return WhenError(f"Could not understand the date '{shown}'.", _HINT)


def _out_of_range(shown: str) -> WhenError:
    return WhenError(
        f"The date '{shown}' is out of range: years must be between {MIN_YEAR} and {MAX_YEAR}.",
        _HINT,
    )


def _bad_time(shown: str, rule: str) -> WhenError:
    return WhenError(f"The time in '{shown}' is not a real time of day: {rule}.", _TIME_HINT)
