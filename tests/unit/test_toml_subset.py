"""TOML read line by line (store/toml_subset.py) is always what tomli reads, for any text: the
lines peerlog writes are read without tomli, and anything else is tomli's to read or refuse."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import tomli
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from peerlog.store import toml_subset
from peerlog.store.toml_subset import TOMLError, loads

KEYS = st.sampled_from(["id", "tags", "a", "b", "spaces", "x-1", "9", "Key"])
DIGITS = st.text("0123456789", min_size=1, max_size=4)
CHARS = st.text(st.sampled_from(["a", "é", " ", '"', "\\", "\t", "\x00", "\x7f", "#", "=", "n"]))


def two(digits: str) -> str:
    return digits.rjust(2, "0")[-2:]


VALUES = st.one_of(
    CHARS.map(lambda s: f'"{s}"'),
    st.from_regex(r"[+-]?[0-9_]{1,3}|-?[0-9]{17,20}", fullmatch=True),
    st.sampled_from(["true", "false", "True", "[]", "[", "1.5", "inf", "{}", "'x'", '"""x"""']),
    st.tuples(DIGITS, DIGITS, DIGITS).map(lambda d: f"20{two(d[0])}-{two(d[1])}-{two(d[2])}"),
    st.tuples(
        DIGITS,
        DIGITS,
        st.sampled_from(["", ".5", ".1234567", ".000001"]),
        st.sampled_from(["Z", "z", "+00:00", "-05:30", "+24:00", "+01:60", ""]),
    ).map(lambda d: f"2024-02-{two(d[0])} {two(d[1])}:30:59{d[2]}{d[3]}"),
)
LINES = st.one_of(
    st.tuples(KEYS, VALUES).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    CHARS.map(lambda s: f'    "{s}",'),
    st.sampled_from(["]", "", "# a comment", "#\ttab", "#\x01", "[a]", "[a.b]", "[b]", "[[a]]"]),
    st.sampled_from(["a.b = 1", "a =1", " a = 1", "a = 1 ", "a = 1 # note", "a = 1\r"]),
    KEYS.map(lambda k: f"[{k}]"),
)
DOCUMENTS = st.lists(LINES, max_size=12).map(lambda lines: "".join(f"{x}\n" for x in lines))


def tomli_reads(text: str) -> object:
    try:
        return repr(tomli.loads(text))
    except tomli.TOMLDecodeError:
        return TOMLError


def subset_reads(text: str) -> object:
    try:
        return repr(loads(text))
    except TOMLError:
        return TOMLError


@settings(max_examples=600, deadline=None)
@given(DOCUMENTS)
def test_any_text_reads_as_tomli_reads_it(text: str) -> None:
    assert subset_reads(text) == tomli_reads(text)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
        st.one_of(
            st.text(max_size=20),
            st.integers(-(2**63), 2**63 - 1),
            st.booleans(),
            st.lists(st.text(max_size=8), max_size=3),
            st.datetimes(timezones=st.just(UTC)),
            st.dates(),
        ),
    )
)
def test_what_tomli_w_writes_reads_back(value: dict[str, object]) -> None:
    text = tomli_w.dumps(value)
    assert subset_reads(text) == tomli_reads(text)


def test_the_lines_peerlog_writes_are_read_without_tomli(monkeypatch: pytest.MonkeyPatch) -> None:
    text = tomli_w.dumps(
        {
            "format": 1,
            "id": "01jd0000000000000000000000",
            "created": datetime(2026, 12, 3, 8, 48, 0, 120000, tzinfo=UTC),
            "tags": ["sleep", "work"],
            "none": [],
            "sealed": False,
            "member": {"id": "sam", "name": "Sam"},
            "spaces": {"ours": {"path": "/home/sam/ours"}},
        }
    )
    monkeypatch.setattr(tomli, "loads", lambda _text: pytest.fail("tomli was asked"))
    assert toml_subset._plain(text) is not None
    assert loads('# a key file\npublic = "abc"\n') == {"public": "abc"}


@pytest.mark.parametrize(
    "text",
    [
        'a = "x"\na = "y"\n',  # a key given twice
        "[a]\n[a]\n",  # a table given twice
        "[a]\nb = 1\n[a.b]\n",  # a table where a value is
        "a = 2024-02-30\n",  # no such day
        "a = 2024-02-01 10:00:00+24:00\n",  # no such offset
        "a = 007\n",  # leading zeros
        'a = [\n    "x",,\n]\n',  # two commas
        "a = [\n",  # an array never closed
    ],
)
def test_what_tomli_refuses_is_refused(text: str) -> None:
    with pytest.raises(TOMLError):
        loads(text)
