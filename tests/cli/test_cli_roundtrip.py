"""Property: whatever Unicode text goes in through stdin comes out of every JSON view unchanged."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from cli_support import FIXED_NOW, Peerlog, read, record_path, saved_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerlog.records import Entry
from peerlog.records.tags import tag_key

# Any code point but surrogates (UTF-8 cannot carry them); no white space at either end, so the
# stored text must be exactly the input.
_char = st.characters(exclude_categories=["Cs"])
_edge = _char.filter(lambda c: not c.isspace())
texts = st.one_of(
    _edge.map(str),
    st.tuples(_edge, st.text(_char, max_size=200), _edge).map("".join),
)

_TAG_RE = re.compile(r"[\w][\w-]*")
# The tag rules: one word of letters, digits, '_' or '-', at most 64, with at least one letter.
tags = st.from_regex(r"[\w][\w-]{0,15}", fullmatch=True).filter(
    lambda t: (
        _TAG_RE.fullmatch(t) is not None and any(c.isalpha() for c in t) and not t.endswith("-")
    )  # an inline #tag- loses its trailing hyphen
)
tag_lists = st.lists(tags, min_size=1, max_size=4, unique_by=tag_key)

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# Each example gets its own home; on tmpfs when there is one, since every record is fsynced.
_SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def scratch() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="peerlog-roundtrip-", dir=_SCRATCH)


def fresh_journal(folder: Path) -> Peerlog:
    """A new home per example (the `sam` fixture would be shared by all examples)."""
    peerlog = Peerlog(home=folder / "home", cache=folder / "cache")
    assert peerlog("init", "--name", "Sam").exit_code == 0
    return peerlog


def json_of(peerlog: Peerlog, *args: str) -> object:
    result = peerlog(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return json.loads(result.stdout)


@SETTINGS
@given(text=texts)
def test_text_round_trips_through_stdin_and_every_json_view(text: str) -> None:
    with scratch() as folder:
        peerlog = fresh_journal(Path(folder))

        entry_id = saved_id(peerlog("write", input=text.encode("utf-8"), now=FIXED_NOW))

        record = read(record_path(peerlog, entry_id))
        assert record.body == text
        listed = json_of(peerlog, "list", "--json")
        assert isinstance(listed, list)
        assert [e["text"] for e in listed] == [text]
        shown = json_of(peerlog, "show", entry_id, "--json")
        assert isinstance(shown, dict)
        assert shown["text"] == text
        exported = json_of(peerlog, "export", "--format", "json")
        assert isinstance(exported, dict)
        assert [e["text"] for e in exported["entries"]] == [text]
        assert exported["entries"][0]["history"][0]["text"] == text


@SETTINGS
@given(text=texts, new_text=texts)
def test_edited_text_round_trips_and_history_keeps_the_original(text: str, new_text: str) -> None:
    with scratch() as folder:
        peerlog = fresh_journal(Path(folder))
        entry_id = saved_id(peerlog("write", input=text.encode("utf-8")))

        edited = peerlog("edit", entry_id, input=new_text.encode("utf-8"))

        if new_text == text:
            assert edited.exit_code == 1
            return
        assert edited.exit_code == 0, edited.stderr
        shown = json_of(peerlog, "show", entry_id, "--json", "--history")
        assert isinstance(shown, dict)
        assert shown["text"] == new_text
        assert [v["text"] for v in shown["history"]] == [text, new_text]


@SETTINGS
@given(given_tags=tag_lists)
def test_tags_round_trip(given_tags: list[str]) -> None:
    with scratch() as folder:
        peerlog = fresh_journal(Path(folder))
        args = [arg for tag in given_tags for arg in ("--tag", tag)]

        entry_id = saved_id(peerlog("write", "plain text", *args))

        record = read(record_path(peerlog, entry_id))
        assert isinstance(record, Entry)
        assert list(record.tags) == given_tags
        listed = json_of(peerlog, "list", "--json")
        assert isinstance(listed, list)
        assert listed[0]["tags"] == given_tags
        counted = json_of(peerlog, "tags", "--json")
        assert isinstance(counted, list)
        assert sorted(t["tag"] for t in counted) == sorted(given_tags)
        assert all(t["count"] == 1 for t in counted)
        found = json_of(peerlog, "list", "--tag", given_tags[-1].casefold(), "--json")
        assert isinstance(found, list)
        assert [e["id"] for e in found] == [entry_id]


@SETTINGS
@given(given_tags=tag_lists)
def test_inline_tags_round_trip(given_tags: list[str]) -> None:
    with scratch() as folder:
        peerlog = fresh_journal(Path(folder))
        text = "note " + " ".join(f"#{t}" for t in given_tags)

        entry_id = saved_id(peerlog("write", input=text.encode("utf-8")))

        record = read(record_path(peerlog, entry_id))
        assert isinstance(record, Entry)
        assert record.tags == ()
        listed = json_of(peerlog, "list", "--json")
        assert isinstance(listed, list)
        assert listed[0]["tags"] == given_tags
