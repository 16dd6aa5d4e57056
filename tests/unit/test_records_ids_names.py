"""Record ids, member ids and device ids: the names that become file and folder names."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from peerlog.errors import ExitCode, UsageError
from peerlog.records import (
    check_member_id,
    is_device_id,
    is_member_id,
    is_record_id,
    new_device_id,
    new_record_id,
)
from peerlog.records.names import member_id_from_name

CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{stem}{n}" for stem in ("com", "lpt") for n in range(1, 10)
}
WINDOWS_FORBIDDEN_CHARS = set('<>:"/\\|?*') | {chr(c) for c in range(32)}

moments = st.datetimes(
    min_value=datetime(1970, 1, 1),
    max_value=datetime(9999, 12, 30),
    timezones=st.just(UTC),
)
ten_bytes = st.binary(min_size=10, max_size=10)


def crockford_value(text: str) -> int:
    value = 0
    for char in text:
        value = value * 32 + CROCKFORD.index(char)
    return value


# --- record ids --------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(at=moments, rand=ten_bytes)
def test_record_id_is_26_lowercase_crockford_characters(at: datetime, rand: bytes) -> None:
    record_id = new_record_id(at, rand)
    assert len(record_id) == 26
    assert set(record_id) <= set(CROCKFORD)
    assert record_id == record_id.lower()
    assert is_record_id(record_id)


@settings(max_examples=100, deadline=None)
@given(at=moments, rand=ten_bytes)
def test_record_id_carries_exactly_the_80_random_bits_given(at: datetime, rand: bytes) -> None:
    record_id = new_record_id(at, rand)
    assert crockford_value(record_id[10:]) == int.from_bytes(rand, "big")
    assert crockford_value(record_id[:10]) == int(at.timestamp() * 1000)


@settings(max_examples=100, deadline=None)
@given(
    at=moments,
    step=st.timedeltas(min_value=timedelta(milliseconds=1), max_value=timedelta(days=3000)),
    first=ten_bytes,
    second=ten_bytes,
)
def test_ids_made_at_increasing_times_sort_increasingly(
    at: datetime, step: timedelta, first: bytes, second: bytes
) -> None:
    assume(at.year < 9990)  # `at + step` must stay a representable datetime
    later = at + step
    if int(later.timestamp() * 1000) == int(at.timestamp() * 1000):
        later += timedelta(milliseconds=1)
    # The random part must never outweigh the time part: worst case for the earlier id.
    assert new_record_id(at, b"\xff" * 10) < new_record_id(later, b"\x00" * 10)
    assert new_record_id(at, first) < new_record_id(later, second)


def test_ids_sort_by_time_across_time_zones() -> None:
    utc_noon = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    same_moment_elsewhere = utc_noon.astimezone(timezone(timedelta(hours=-8)))
    rand = bytes(range(10))
    assert new_record_id(utc_noon, rand) == new_record_id(same_moment_elsewhere, rand)
    # 13:00 at +05:00 is 08:00 UTC: earlier, even though the wall clock shows a later hour.
    assert new_record_id(datetime(2026, 11, 21, 13, tzinfo=timezone(timedelta(hours=5))), rand) < (
        new_record_id(utc_noon, rand)
    )


def test_ids_with_the_same_time_differ_only_in_the_random_part() -> None:
    a = new_record_id(datetime(2026, 1, 1, tzinfo=UTC), b"\x00" * 10)
    b = new_record_id(datetime(2026, 1, 1, tzinfo=UTC), b"\x00" * 9 + b"\x01")
    assert a[:10] == b[:10]
    assert a != b
    assert a[-1] == "0" and b[-1] == "1"


def test_default_randomness_makes_distinct_ids() -> None:
    at = datetime(2026, 11, 21, tzinfo=UTC)
    ids = {new_record_id(at) for _ in range(200)}
    assert len(ids) == 200
    assert len({i[10:] for i in ids}) == 200


@pytest.mark.parametrize("size", [0, 9, 11, 16])
def test_random_bytes_must_be_exactly_ten(size: int) -> None:
    with pytest.raises(ValueError, match="10 random bytes"):
        new_record_id(datetime(2026, 1, 1, tzinfo=UTC), b"\x01" * size)


@settings(max_examples=100, deadline=None)
@given(at=moments, rand=ten_bytes)
def test_record_id_is_a_valid_file_name_everywhere(at: datetime, rand: bytes) -> None:
    name = new_record_id(at, rand) + ".md"
    assert not set(name) & WINDOWS_FORBIDDEN_CHARS
    assert name.split(".")[0] not in WINDOWS_RESERVED
    assert not name.endswith((" ", "."))
    assert name.isascii()
    assert len(name) < 40


@pytest.mark.parametrize(
    "text",
    [
        "",
        "01JD0000000000000000000000",  # uppercase
        "01jd000000000000000000000",  # 25 characters
        "01jd00000000000000000000000",  # 27 characters
        "01jd0000000000000000000000.md",
        "81jd0000000000000000000000",  # would need more than 128 bits
        "01jd00000000000000000000il",  # i and l are not Crockford
        "01jd00000000000000000000o0",
        "01jd00000000000000000000u0",
        "01jd000000000000000000000\n",
        " 01jd000000000000000000000",
    ],
)
def test_is_record_id_rejects(text: str) -> None:
    assert not is_record_id(text)


def test_times_before_the_epoch_do_not_break_ids() -> None:
    record_id = new_record_id(datetime(1960, 1, 1, tzinfo=UTC), b"\x00" * 10)
    assert is_record_id(record_id)
    assert record_id[:10] == "0" * 10


# --- member ids --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["sam", "alex-k", "a", "0", "x1", "a" * 32, "com0", "con-1", "lpt10", "a-b-c-d"]
)
def test_valid_member_ids(text: str) -> None:
    assert is_member_id(text)
    assert check_member_id(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Sam",
        "SAM",
        "sam_k",
        "-sam",
        "sam-",
        "-",
        "a--b",
        "a" * 33,
        "sam k",
        "sam.k",
        "säm",
        "sam\n",
        "sam/x",
        "..",
        "sam$",
    ],
)
def test_invalid_member_ids(text: str) -> None:
    assert not is_member_id(text)
    with pytest.raises(UsageError) as raised:
        check_member_id(text)
    assert raised.value.exit_code == ExitCode.USAGE
    assert raised.value.hint


@pytest.mark.parametrize("text", sorted(WINDOWS_RESERVED))
def test_windows_reserved_names_are_not_member_ids(text: str) -> None:
    assert not is_member_id(text)
    with pytest.raises(UsageError, match="reserved"):
        check_member_id(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sam", "sam"),
        ("Alex K.", "alex-k"),
        ("  Jean--Luc  ", "jean-luc"),
        ("Zoë Ångström", "zoe-angstrom"),
        ("O'Brien", "o-brien"),
        ("R2 D2", "r2-d2"),
        ("日本語", None),
        ("---", None),
        ("", None),
        ("Con", None),
        ("nul", None),
    ],
)
def test_member_id_from_name(name: str, expected: str | None) -> None:
    assert member_id_from_name(name) == expected


def test_member_id_from_a_long_name_is_cut_to_a_valid_id() -> None:
    suggested = member_id_from_name("Maximiliana Theodora " + "x" * 40)
    assert suggested is not None
    assert is_member_id(suggested)
    assert len(suggested) <= 32
    # A cut that lands on a hyphen must not leave it dangling.
    cut_on_hyphen = member_id_from_name("a" * 31 + " bcd")
    assert cut_on_hyphen == "a" * 31


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_member_id_from_any_name_is_none_or_valid(name: str) -> None:
    suggested = member_id_from_name(name)
    assert suggested is None or is_member_id(suggested)


# --- device ids --------------------------------------------------------------------------------


def test_device_id_from_injected_bytes_is_deterministic() -> None:
    assert new_device_id(b"\x00" * 10) == "a" * 16
    assert new_device_id(b"\xff" * 10) == "7" * 16
    assert new_device_id(bytes(range(10))) == new_device_id(bytes(range(10)))


@settings(max_examples=100, deadline=None)
@given(ten_bytes)
def test_device_ids_are_16_lowercase_base32_characters(rand: bytes) -> None:
    device = new_device_id(rand)
    assert re.fullmatch(r"[a-z2-7]{16}", device)
    assert is_device_id(device)


def test_default_device_ids_are_random() -> None:
    assert len({new_device_id() for _ in range(100)}) == 100


@pytest.mark.parametrize(
    "text",
    [
        "",
        "AAAAAAAAAAAAAAAA",
        "a" * 15,
        "a" * 17,
        "aaaaaaaaaaaaaaa0",  # 0, 1, 8, 9 are not base32
        "aaaaaaaaaaaaaaa1",
        "aaaaaaaaaaaaaaa8",
        "aaaaaaaaaaaaaaa=",
        "aaaaaaaaaaaaaaa-",
        "aaaaaaaaaaaaaaaa\n",
    ],
)
def test_invalid_device_ids(text: str) -> None:
    assert not is_device_id(text)
