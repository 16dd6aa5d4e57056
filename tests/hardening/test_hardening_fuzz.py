"""Fuzzing the parsers that read untrusted input: each raises only its own documented error.

- the record codec (`decode_record`) reads a partner's files: only `MalformedRecord`;
- the WHEN parser reads `--date/--since/--until`: only `WhenError`;
- the target and cadence parsers read goal targets and agreements: only `UsageError`.
"""

from __future__ import annotations

import contextlib
import string
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerlog.errors import UsageError, WhenError
from peerlog.records import (
    Deletion,
    Entry,
    Profile,
    Record,
    Reply,
    Revision,
    new_device_id,
    new_record_id,
    record_to_fields,
)
from peerlog.records.dialogue import Agreement, Checkin, Resource, parse_cadence
from peerlog.records.goals import GoalAccept, GoalLog, GoalProposal, GoalRest, parse_target
from peerlog.store import MalformedRecord, decode_record, encode_record
from peerlog.when import moment, parse_when, range_end, range_start

FUZZ = settings(
    max_examples=400,
    deadline=None,
    database=None,  # keep the tree clean; a failure prints its example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NOW = datetime(2026, 11, 21, 10, 15, tzinfo=UTC)


# --- the record codec -------------------------------------------------------------------------


def _envelope(n: int) -> dict[str, Any]:
    return {
        "id": new_record_id(NOW),
        "author": "alex",
        "device": new_device_id(),
        "clock": n,
        "created": NOW,
    }


def _valid_records() -> list[Record]:
    target = new_record_id(NOW)
    return [
        Entry(**_envelope(1), when=NOW, body="A day.\n#tag", tags=("calm",), mood=3),
        Revision(**_envelope(2), target=target, body="Again", tags=(), mood=None),
        Deletion(**_envelope(3), target=target),
        Reply(**_envelope(4), target=target, body="Thanks"),
        Profile(**_envelope(5), name="Alex"),
        Checkin(**_envelope(6), mood=2, wins=("a walk",), struggles=("sleep",), need="n"),
        GoalProposal(**_envelope(7), title="Walk", why="air", target="3/week", participants=("a",)),
        GoalAccept(**_envelope(8), goal=target, terms=target),
        GoalLog(**_envelope(9), goal=target, amount=1.5, when=NOW, body="note"),
        GoalRest(**_envelope(10), goal=target, start=date(2026, 11, 1), until=date(2026, 11, 9)),
        Resource(**_envelope(11), title="Book", url="https://x.example", tags=("read",)),
        Agreement(**_envelope(12), topic="cadence", value="1w"),
    ]


VALID = _valid_records()
VALID_BYTES = [encode_record(r) for r in VALID]

# Fragments that tend to matter to TOML, to the front-matter fences and to the validators.
SNIPPETS = [
    b"+++",
    b"\n+++\n",
    b"+++\n",
    b"\r\n",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"[",
    b"]",
    b"[[",
    b"{",
    b"}",
    b'"',
    b"'''",
    b'"""',
    b"=",
    b" = ",
    b".",
    b"\\u0000",
    b"\\U0010ffff",
    b"inf",
    b"-inf",
    b"nan",
    b"1e400",
    b"-0",
    b"0x7fffffffffffffff",
    b"99999999999999999999999999",
    b"true",
    b"1979-05-27T07:32:00Z",
    b"0001-01-01T00:00:00+23:59",
    b"9999-12-31T23:59:59-23:59",
    b"2026-02-30T00:00:00Z",
    b"07:32:00",
    b"2026-11-21",
    b"clock = ",
    b"mood = ",
    b"tags = ",
    b"type = ",
    b'type = "goal"\n',
    b'type = "checkin"\n',
    b"[future]\n",
    b"a.b.c.d = 1\n",
]


@st.composite
def mutated_record(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(VALID_BYTES)))
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "snippet", "duplicate"]))
        if kind == "flip" and where < len(data):
            data[where] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[where : where + draw(st.integers(1, 40))]
        elif kind == "snippet":
            data[where:where] = draw(st.sampled_from(SNIPPETS))
        else:
            end = min(len(data), where + draw(st.integers(1, 60)))
            data[where:where] = data[where:end]
    return bytes(data)


_TOML_SCALARS = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=30),
    st.datetimes(timezones=st.none() | st.just(UTC) | st.just(timezone(timedelta(hours=-5)))),
    st.dates(),
    st.times(),
)
TOML_VALUES = st.recursive(
    _TOML_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def record_with_a_wrong_field(draw: st.DrawFn) -> bytes:
    """A valid record's fields with some replaced by, or joined by, any TOML value."""
    record = draw(st.sampled_from(VALID))
    fields = record_to_fields(record)
    keys = [*fields, "title", "participants", "amount", "wins", "terms", "start", "name", "x"]
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(keys))
        if draw(st.booleans()) or key not in fields:
            fields[key] = draw(TOML_VALUES)
        else:
            del fields[key]
    front = tomli_w.dumps(fields)
    return f"+++\n{front}+++\n{record.body}".encode()


def check_decode(data: bytes) -> None:
    try:
        record = decode_record(data)
    except MalformedRecord:
        return
    # Whatever is accepted can be written back and read again as the same record. Compared as
    # files: a field peerlog does not know may hold a float NaN, which equals nothing.
    again = decode_record(encode_record(record))
    assert encode_record(again) == encode_record(record)
    assert type(again) is type(record) and again.id == record.id


@FUZZ
@given(st.binary(max_size=3000))
def test_decode_arbitrary_bytes(data: bytes) -> None:
    check_decode(data)


@FUZZ
@given(st.binary(max_size=400).map(lambda tail: b"+++\n" + tail))
def test_decode_arbitrary_front_matter(data: bytes) -> None:
    check_decode(data)


@FUZZ
@given(mutated_record())
def test_decode_mutated_records(data: bytes) -> None:
    check_decode(data)


@FUZZ
@given(record_with_a_wrong_field())
def test_decode_records_with_wrong_fields(data: bytes) -> None:
    check_decode(data)


@pytest.mark.parametrize("record", VALID, ids=[r.type for r in VALID])
def test_every_valid_record_round_trips(record: Record) -> None:
    assert decode_record(encode_record(record)) == record


# --- the WHEN parser --------------------------------------------------------------------------

WORDS = [
    "today", "yesterday", "tomorrow", "now", "last", "this", "week", "month", "year", "ago",
    "day", "days", "weeks", "months", "years", "a", "one", "at", "am", "pm", "monday", "mon",
    "sunday", "z", "t", "-", "/", ":", "+", ".", ",", "0", "00", "9", "12", "24", "60", "99",
    "2026-11-21", "0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30", "14:30", "9pm",
    "23:59:59", "2026-11-21T23:59:59+23:59", "2026-11-21 00:00:00.123456-12:00", "100000",
    "100001", "\t", "\u00a0", "\u212a",
]  # fmt: skip


@st.composite
def when_text(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.sampled_from(WORDS) | st.text(string.digits, min_size=1, max_size=12),
            min_size=1,
            max_size=6,
        )
    )
    joiner = draw(st.sampled_from([" ", "", "  ", "-", ":"]))
    return joiner.join(parts)


OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
NOWS = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=OFFSETS | st.just(UTC)
)


def check_when(text: str, now: datetime) -> None:
    for parse in (parse_when, moment, range_start, range_end):
        with contextlib.suppress(WhenError):
            parse(text, now)


@FUZZ
@given(st.text(max_size=60), NOWS)
def test_when_arbitrary_text(text: str, now: datetime) -> None:
    check_when(text, now)


@FUZZ
@given(when_text(), NOWS | st.just(NOW))
def test_when_grammar_like_text(text: str, now: datetime) -> None:
    check_when(text, now)


# --- targets and cadences ---------------------------------------------------------------------

TARGET_WORDS = [
    "1", "10", "0", "0.5", "1.", ".5", "3", "per", "a", "every", "/", "week", "weeks", "day",
    "month", "year", "daily", "weekly", "monthly", "walks", "sessions", "km", " ", "-", "_",
    "\u0663", "\U0001d7d9", "\u00bd", "\u2155", "e5", "1e400", "inf", "nan", "d", "w", "days",
    "fortnightly", "\t", "\n",
]  # fmt: skip

LONG_NUMBER = st.text(string.digits, min_size=1, max_size=6000)


@st.composite
def target_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(TARGET_WORDS) | LONG_NUMBER, min_size=1, max_size=6))
    return draw(st.sampled_from([" ", ""])).join(parts)


@FUZZ
@given(st.text(max_size=60) | target_text())
def test_target_parser_raises_only_usage_errors(text: str) -> None:
    try:
        target = parse_target(text)
    except UsageError:
        return
    assert 0 < target.amount <= 1_000_000


@FUZZ
@given(st.text(max_size=60) | target_text())
def test_cadence_parser_raises_only_usage_errors(text: str) -> None:
    try:
        cadence = parse_cadence(text)
    except UsageError:
        return
    assert timedelta(days=1) <= cadence <= timedelta(days=365 * 7)


@pytest.mark.parametrize("digits", [4300, 4301, 5000])
def test_cadence_with_a_very_long_number_is_a_usage_error(digits: int) -> None:
    """Python refuses to turn more than 4,300 digits into an int (ValueError): the parser must
    say "could not understand" instead."""
    with pytest.raises(UsageError):
        parse_cadence("1" * digits + "d")


@pytest.mark.parametrize("text", ["1" * 5000, "1" * 5000 + " walks/week", "0." + "0" * 5000 + "1"])
def test_target_with_a_very_long_number_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        parse_target(text)


def test_when_at_the_ends_of_the_calendar() -> None:
    for now in (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)):
        for text in ("today", "tomorrow", "yesterday", "last year", "this week", "now", "23:59"):
            check_when(text, now)
    assert parse_when("9999-12-31", NOW).day == date(9999, 12, 31)
    assert parse_when("14:30", NOW).time == time(14, 30)
