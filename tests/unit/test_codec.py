"""The record file format: round trips, unknown keys and types, and every kind of bad file."""

from __future__ import annotations

import math
import tomllib
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from unit_support import T0, deletion, entry, revision

from peerlog.records import (
    Deletion,
    Entry,
    Record,
    Revision,
    UnknownRecord,
    is_member_id,
    new_device_id,
    new_record_id,
)
from peerlog.records.model import ENVELOPE_KEYS
from peerlog.store.codec import ConflictMarkers, MalformedRecord, decode_record, encode_record

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RESERVED_KEYS = set(ENVELOPE_KEYS) | {"date", "tags", "mood", "target"}
SIGNING_KEYS = {"key", "signature", "sealed"}  # what the codec writes for signing and sealing

# --- strategies --------------------------------------------------------------------------------

no_surrogates = st.characters(exclude_categories=("Cs",))
text = st.text(alphabet=no_surrogates, max_size=30)
offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
aware = st.datetimes(  # records carry years 1900 to 9998 (YEAR_MIN, YEAR_MAX)
    min_value=datetime(1900, 1, 2),
    max_value=datetime(9998, 12, 30),
    timezones=offsets | st.just(UTC),
)
id_times = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(3000, 1, 1), timezones=st.just(UTC)
)
record_ids = st.builds(new_record_id, id_times, st.binary(min_size=10, max_size=10))
member_ids = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?", fullmatch=True).filter(
    is_member_id
)
device_ids = st.binary(min_size=10, max_size=10).map(new_device_id)
clocks = st.integers(min_value=0, max_value=2**53)
# Bodies mix arbitrary text with the pieces most likely to confuse a front-matter parser.
tricky = st.sampled_from(
    ["+++", "\n+++\n", "+++\n", "\n+++", "\r", "\r\n", "\x00", "\ufeff", "---", "\n", " ", '"""']
)
bodies = st.lists(st.one_of(tricky, st.text(alphabet=no_surrogates, max_size=20)), max_size=8).map(
    "".join
)
tag_lists = st.lists(st.text(alphabet=no_surrogates, min_size=1, max_size=64), max_size=4).map(
    tuple
)
moods = st.none() | st.integers(min_value=1, max_value=5)
toml_scalars = st.one_of(
    text,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=False),
    aware,
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.dates(),
    st.times(),
)
toml_values = st.recursive(
    toml_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=6,
)
extras = st.dictionaries(
    text.filter(lambda k: k not in RESERVED_KEYS | SIGNING_KEYS), toml_values, max_size=3
)


@st.composite
def envelopes(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "id": draw(record_ids),
        "author": draw(member_ids),
        "device": draw(device_ids),
        "clock": draw(clocks),
        "created": draw(aware),
        "body": draw(bodies),
        "extra": draw(extras),
    }


entries = st.builds(
    lambda env, when, tags, mood: Entry(**env, when=when, tags=tags, mood=mood),
    envelopes(), aware, tag_lists, moods,
)  # fmt: skip
revisions = st.builds(
    lambda env, target, tags, mood: Revision(**env, target=target, tags=tags, mood=mood),
    envelopes(), record_ids, tag_lists, moods,
)  # fmt: skip
deletions = st.builds(lambda env, target: Deletion(**env, target=target), envelopes(), record_ids)
unknowns = st.builds(
    lambda env, name: UnknownRecord(**env, type_name=name),
    envelopes(),
    text.filter(lambda n: n not in {"entry", "revision", "deletion"}),
)
any_record = st.one_of(entries, revisions, deletions, unknowns)


def assert_same_record(decoded: Record, original: Record) -> None:
    assert decoded == original
    assert type(decoded) is type(original)
    assert decoded.body == original.body  # byte for byte, not just "equal enough"
    assert decoded.created.utcoffset() == original.created.utcoffset()
    if isinstance(original, Entry):
        assert isinstance(decoded, Entry)
        assert decoded.when.utcoffset() == original.when.utcoffset()


# --- round trips -------------------------------------------------------------------------------


@FAST
@given(any_record)
def test_encode_then_decode_gives_an_equal_record(record: Record) -> None:
    assert_same_record(decode_record(encode_record(record)), record)


@FAST
@given(any_record)
def test_re_encoding_a_decoded_record_gives_the_same_bytes(record: Record) -> None:
    data = encode_record(record)
    assert encode_record(decode_record(data)) == data


@FAST
@given(bodies)
def test_the_body_is_kept_byte_for_byte_after_the_front_matter(body: str) -> None:
    data = encode_record(entry(body))
    assert data.endswith(body.encode())
    assert data.startswith(b"+++\nformat = 1\n")
    assert decode_record(data).body == body


@pytest.mark.parametrize(
    "body",
    [
        "",
        "+++",
        "+++\n",
        "\n+++\n",
        "+++\n+++\n",
        "a\r\nb\rc",
        "nul\x00here",
        "\n\n\n",
        "tail\n+++",
    ],
)
def test_awkward_bodies_round_trip(body: str) -> None:
    for record in (entry(body), revision(entry(), body), deletion(entry())):
        assert_same_record(decode_record(encode_record(record)), record)


def test_the_file_is_readable_toml_front_matter_with_envelope_first() -> None:
    record = entry("Slept well.", tags=("sleep",), mood=4, extra={"future": "kept"})
    text = encode_record(record).decode("utf-8")
    lines = text.split("\n")
    assert lines[0] == "+++"
    closing = lines.index("+++", 1)
    front = tomllib.loads("\n".join(lines[1:closing]))
    assert list(front)[:7] == list(ENVELOPE_KEYS)
    assert front["type"] == "entry"
    assert front["format"] == 1
    assert front["created"] == record.created and front["created"].tzinfo is not None
    assert front["tags"] == ["sleep"]
    assert front["mood"] == 4
    assert front["future"] == "kept"
    assert "\n".join(lines[closing + 1 :]) == "Slept well."


def test_an_entry_without_mood_writes_no_mood_key() -> None:
    front = encode_record(entry("x")).decode().split("+++\n")[1]
    assert "mood" not in tomllib.loads(front)


def test_datetimes_with_microseconds_and_offsets_survive() -> None:
    moment = datetime(
        2026, 3, 29, 1, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=-9, minutes=-30))
    )
    record = entry("x", created=moment, when=moment - timedelta(days=400))
    assert_same_record(decode_record(encode_record(record)), record)


def test_a_created_time_whose_offset_has_seconds_is_never_written_unreadably() -> None:
    # Local mean time offsets (Amsterdam before 1937: +00:19:32) are not RFC 3339 offsets.
    # Writing such a record must either refuse or produce a file that reads back.
    lmt = timezone(timedelta(minutes=19, seconds=32))
    record = entry("old photo", created=datetime(1900, 1, 1, 12, tzinfo=lmt))
    try:
        data = encode_record(record)
    except ValueError:
        return
    decoded = decode_record(data)
    assert decoded.created == record.created


# --- unknown keys and types --------------------------------------------------------------------


def front_matter(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": 1,
        "id": new_record_id(T0, b"\x01" * 10),
        "type": "entry",
        "author": "sam",
        "device": "aaaaaaaaaaaaaaaa",
        "clock": 7,
        "created": T0,
        "date": T0,
        "tags": ["sleep"],
        "mood": 3,
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def as_file(fields: dict[str, Any], body: str = "Body text.\n") -> bytes:
    return f"+++\n{tomli_w.dumps(fields)}+++\n{body}".encode()


def test_unknown_keys_are_kept_and_survive_re_encoding() -> None:
    fields = front_matter(
        future_flag=True,
        reactions=["🌱", "💬"],
        shared={"with": ["alex"], "since": date(2026, 1, 1)},
        reminder=time(9, 30),
    )
    record = decode_record(as_file(fields))
    assert isinstance(record, Entry)
    assert dict(record.extra) == {
        "future_flag": True,
        "reactions": ["🌱", "💬"],
        "shared": {"with": ["alex"], "since": date(2026, 1, 1)},
        "reminder": time(9, 30),
    }
    again = decode_record(encode_record(record))
    assert again == record
    assert dict(again.extra) == dict(record.extra)


def test_unknown_keys_cannot_override_the_envelope_when_re_encoded() -> None:
    record = entry("x", extra={"author": "mallory", "clock": 999, "x": 1})
    decoded = decode_record(encode_record(record))
    assert decoded.author == "sam"
    assert decoded.clock == record.clock
    assert decoded.extra == {"x": 1}


def test_an_unknown_record_type_decodes_to_unknown_record_and_keeps_its_fields() -> None:
    fields = front_matter(type="goal-proposal", title="Walk daily", participants=["sam", "alex"])
    del fields["date"]
    record = decode_record(as_file(fields, body="why: it helps"))
    assert isinstance(record, UnknownRecord)
    assert record.type == "goal-proposal"
    assert record.type_name == "goal-proposal"
    assert record.body == "why: it helps"
    assert record.extra["title"] == "Walk daily"
    assert record.extra["participants"] == ["sam", "alex"]
    assert record.extra["tags"] == ["sleep"]  # payload keys of other types are just extra here
    again = decode_record(encode_record(record))
    assert again == record
    assert isinstance(again, UnknownRecord)


def test_a_deletion_keeps_keys_that_only_other_types_use() -> None:
    fields = front_matter(type="deletion", target=new_record_id(T0, b"\x02" * 10))
    record = decode_record(as_file(fields, body=""))
    assert isinstance(record, Deletion)
    assert record.extra == {"date": T0, "tags": ["sleep"], "mood": 3}


def test_a_newer_format_number_is_still_read() -> None:
    record = decode_record(as_file(front_matter(format=2)))
    assert isinstance(record, Entry)
    assert record.format == 2


# --- malformed files ---------------------------------------------------------------------------

GOOD = as_file(front_matter())
TARGET = new_record_id(T0, b"\x03" * 10)

MALFORMED: dict[str, bytes] = {
    "empty file": b"",
    "no fence": b"just some text\n",
    "markdown yaml fence": GOOD.replace(b"+++", b"---"),
    "fence with trailing space": GOOD.replace(b"+++\n", b"+++ \n", 1),
    "old mac line endings": GOOD.replace(b"\n", b"\r"),
    "two byte order marks": b"\xef\xbb\xbf\xef\xbb\xbf" + GOOD,
    "unclosed fence": as_file(front_matter()).split(b"+++\nBody")[0],
    "only an opening fence": b"+++\n",
    "bad toml": b"+++\nid = \n+++\nbody",
    "toml duplicate key": b'+++\nid = "a"\nid = "b"\n+++\n',
    "invalid utf-8 in body": GOOD + b"\xff\xfe",
    "invalid utf-8 in front matter": GOOD.replace(b'author = "sam"', b'author = "s\xc3am"'),
    "surrogate escape": GOOD + b"\xed\xa0\x80",
    "missing id": as_file(front_matter(id=None)),
    "missing type": as_file(front_matter(type=None)),
    "missing author": as_file(front_matter(author=None)),
    "missing device": as_file(front_matter(device=None)),
    "missing clock": as_file(front_matter(clock=None)),
    "missing created": as_file(front_matter(created=None)),
    "missing format": as_file(front_matter(format=None)),
    "entry without date": as_file(front_matter(date=None)),
    "naive created": as_file(front_matter(created=datetime(2026, 11, 21, 10, 15))),
    "naive date": as_file(front_matter(date=datetime(2026, 11, 21, 10, 15))),
    "created is a plain date": as_file(front_matter(created=date(2026, 11, 21))),
    "created is a time": as_file(front_matter(created=time(10, 15))),
    "created is naive text": as_file(front_matter(created="2026-11-21T10:15:00")),
    "created is not a date": as_file(front_matter(created="last tuesday")),
    "created is a number": as_file(front_matter(created=1_700_000_000)),
    "id is a number": as_file(front_matter(id=12345)),
    "id is not an id": as_file(front_matter(id="hello")),
    "id in uppercase": as_file(front_matter(id=new_record_id(T0, b"\x01" * 10).upper())),
    "author uppercase": as_file(front_matter(author="Sam")),
    "author reserved name": as_file(front_matter(author="con")),
    "author is a list": as_file(front_matter(author=["sam"])),
    "device too short": as_file(front_matter(device="aaaa")),
    "type is a number": as_file(front_matter(type=1)),
    "clock is text": as_file(front_matter(clock="7")),
    "clock is a float": as_file(front_matter(clock=7.0)),
    "clock is negative": as_file(front_matter(clock=-1)),
    "clock is huge": as_file(front_matter(clock=2**53 + 1)),
    "clock is bool": as_file(front_matter(clock=True)),
    "format is zero": as_file(front_matter(format=0)),
    "format is bool": as_file(front_matter(format=True)),
    "mood 7": as_file(front_matter(mood=7)),
    "mood 0": as_file(front_matter(mood=0)),
    "mood is text": as_file(front_matter(mood="3")),
    "mood is bool": as_file(front_matter(mood=True)),
    "mood is a float": as_file(front_matter(mood=3.0)),
    "tags is text": as_file(front_matter(tags="sleep")),
    "tags holds a number": as_file(front_matter(tags=[1])),
    "tags holds an empty tag": as_file(front_matter(tags=[""])),
    "tags holds a long tag": as_file(front_matter(tags=["a" * 65])),
    "tags is a table": as_file(front_matter(tags={"a": 1})),
    "revision without target": as_file(front_matter(type="revision")),
    "revision bad target": as_file(front_matter(type="revision", target="not-an-id")),
    "revision numeric target": as_file(front_matter(type="revision", target=5)),
    "deletion bad target": as_file(front_matter(type="deletion", target=TARGET.upper())),
    "revision mood 7": as_file(front_matter(type="revision", target=TARGET, mood=7)),
    "deeply nested": b"+++\n" + b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n+++\n",
}


def test_the_reference_file_is_valid() -> None:
    assert isinstance(decode_record(GOOD), Entry)
    assert isinstance(
        decode_record(as_file(front_matter(type="revision", target=TARGET))), Revision
    )


@pytest.mark.parametrize("data", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_input_raises_malformed_record(data: bytes) -> None:
    with pytest.raises(MalformedRecord) as raised:
        decode_record(data)
    assert str(raised.value)  # says why, in words


def test_malformed_messages_name_the_problem() -> None:
    with pytest.raises(MalformedRecord, match="UTF-8"):
        decode_record(MALFORMED["invalid utf-8 in body"])
    with pytest.raises(MalformedRecord, match=r"\+\+\+"):
        decode_record(MALFORMED["no fence"])
    with pytest.raises(MalformedRecord, match="closing"):
        decode_record(MALFORMED["unclosed fence"])
    with pytest.raises(MalformedRecord, match="TOML"):
        decode_record(MALFORMED["bad toml"])
    with pytest.raises(MalformedRecord, match="mood"):
        decode_record(MALFORMED["mood 7"])
    with pytest.raises(MalformedRecord, match="clock"):
        decode_record(MALFORMED["clock is bool"])
    with pytest.raises(MalformedRecord, match="target"):
        decode_record(MALFORMED["revision bad target"])
    with pytest.raises(MalformedRecord, match="created"):
        decode_record(MALFORMED["naive created"])


def test_a_closing_fence_at_the_very_end_without_newline_is_accepted() -> None:
    data = f"+++\n{tomli_w.dumps(front_matter())}+++".encode()
    record = decode_record(data)
    assert record.body == ""


# --- fuzz: only MalformedRecord may escape ----------------------------------------------------


def decode_or_malformed(data: bytes) -> Record | None:
    try:
        return decode_record(data)
    except MalformedRecord:
        return None


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_malformed_record(data: bytes) -> None:
    decode_or_malformed(data)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.binary(max_size=20))
def test_fenced_garbage_raises_only_malformed_record(front: str, tail: bytes) -> None:
    data = b"+++\n" + front.encode("utf-8", "surrogatepass") + b"\n+++\n" + tail
    decode_or_malformed(data)


@FAST
@given(
    key=st.sampled_from([*sorted(RESERVED_KEYS), "extra"]),
    value=toml_values,
    kind=st.sampled_from(["entry", "revision", "deletion", "checkin"]),
)
def test_any_field_with_any_value_gives_a_record_or_malformed_record(
    key: str, value: Any, kind: str
) -> None:
    fields = front_matter(type=kind, target=TARGET)
    fields[key] = value
    try:
        data = as_file(fields)
    except (TypeError, ValueError):
        assume(False)  # tomli_w cannot write it, so no file could hold it
        return
    record = decode_or_malformed(data)
    if record is not None:
        assert isinstance(record.clock, int) and not isinstance(record.clock, bool)
        assert record.created.tzinfo is not None


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_truncated_or_bit_flipped_files_raise_only_malformed_record(data: st.DataObject) -> None:
    original = bytearray(as_file(front_matter(extra_value=math.pi)))
    cut = data.draw(st.integers(min_value=0, max_value=len(original)))
    flips = data.draw(st.lists(st.integers(min_value=0, max_value=len(original) - 1), max_size=4))
    mangled = original[:]
    for position in flips:
        mangled[position] ^= data.draw(st.integers(min_value=1, max_value=255))
    decode_or_malformed(bytes(mangled))
    decode_or_malformed(bytes(original[:cut]))


@pytest.mark.parametrize("year", [1, 1899, 9999])
def test_dates_outside_the_record_years_are_malformed(year: int) -> None:
    moment = datetime(year, 6, 1, tzinfo=UTC)
    record = entry("a day", created=moment, when=moment)
    with pytest.raises(MalformedRecord, match="outside the years"):
        decode_record(encode_record(record))


# --- what tools do to a file on the way --------------------------------------------------------


def test_crlf_and_a_bom_read_as_the_original() -> None:
    record = entry("line one\nline two\n")
    data = encode_record(record)
    for converted in (
        data.replace(b"\n", b"\r\n"),
        b"\xef\xbb\xbf" + data,
        b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"),
    ):
        assert decode_record(converted) == record


def test_a_cr_in_a_body_written_with_lf_is_kept() -> None:
    record = entry("carriage\r\nreturn kept")
    assert decode_record(encode_record(record)).body == "carriage\r\nreturn kept"


def test_conflict_markers_are_refused_with_their_own_reason() -> None:
    data = encode_record(entry("x")) + b"\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> b\n"
    with pytest.raises(ConflictMarkers, match="unresolved git merge"):
        decode_record(data)
    whole = b"<<<<<<< HEAD\n" + encode_record(entry("x")) + b"=======\n>>>>>>> other\n"
    with pytest.raises(ConflictMarkers):
        decode_record(whole)


@pytest.mark.parametrize(
    "body",
    ["Title\n=======\n", "<<<<<<< only an opener", ">>>>>>> then <<<<<<<", "a <<<<<<< b\n>>>>>>>"],
)
def test_text_that_only_looks_like_markers_is_kept(body: str) -> None:
    assert decode_record(encode_record(entry(body))).body == body
