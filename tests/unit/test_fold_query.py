"""Selecting entries: short ids, id prefixes, filters, search words and tag counts."""

from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unit_support import ALEX_DEVICE, SAM_DEVICE, T0, entry, make_store, place, revision

from peerlog.actions.journal import JournalSession, select_entries
from peerlog.errors import Ambiguous, ExitCode, NotFound
from peerlog.fold import (
    EntryFilter,
    resolve_prefix,
    search_words,
    short_ids,
)
from peerlog.fold.query import tags_by_count
from peerlog.records import Record
from peerlog.store import Identity

# Ids from a two-letter alphabet share long prefixes, which is what short ids must cope with.
clashing_ids = st.lists(
    st.text(alphabet="01", min_size=26, max_size=26).map(lambda s: "01m7" + s[4:]),
    min_size=1,
    max_size=30,
    unique=True,
)


# --- short ids ---------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(clashing_ids)
def test_short_ids_are_unique_prefixes_of_at_least_eight(ids: list[str]) -> None:
    shorts = short_ids(ids)
    assert set(shorts) == set(ids)
    assert len(set(shorts.values())) == len(ids)
    for full, short in shorts.items():
        assert len(short) >= 8
        assert full.startswith(short)
        # unique: no other id starts with it, so it resolves back to its own id
        assert [i for i in ids if i.startswith(short)] == [full]
        assert resolve_prefix(short, ids) == full


@settings(max_examples=100, deadline=None)
@given(clashing_ids)
def test_short_ids_are_as_short_as_possible(ids: list[str]) -> None:
    for short in short_ids(ids).values():
        if len(short) > 8:
            shorter = short[:-1]
            assert len([i for i in ids if i.startswith(shorter)]) > 1


def test_short_ids_ignore_duplicates_and_order() -> None:
    ids = ["01m7aaaaaaaaaaaaaaaaaaaaaa", "01m7aaaaaaaaaaaaaaaaaaaaab", "01m7bbbbbbbbbbbbbbbbbbbbbb"]
    assert short_ids(ids + ids[:1]) == short_ids(reversed(ids))
    assert short_ids(ids)["01m7bbbbbbbbbbbbbbbbbbbbbb"] == "01m7bbbb"
    assert short_ids(ids)["01m7aaaaaaaaaaaaaaaaaaaaab"] == "01m7aaaaaaaaaaaaaaaaaaaaab"


# --- resolving prefixes ------------------------------------------------------------------------

IDS = [
    "01m7y9pk7gjq5hrdz55hjtnb04",
    "01m7y9pkayyvn8wtgezzcb3gt3",
    "01m7zzzzzzzzzzzzzzzzzzzzzz",
]


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("01m7y9pk7", IDS[0]),
        ("01m7y9pka", IDS[1]),
        ("01m7z", IDS[2]),
        (IDS[0], IDS[0]),
        ("01M7Y9PK7G", IDS[0]),  # people copy ids in capitals
        ("  01m7y9pk7  ", IDS[0]),
    ],
)
def test_resolve_prefix_unique(prefix: str, expected: str) -> None:
    assert resolve_prefix(prefix, IDS) == expected


def test_resolve_prefix_ambiguous_lists_the_candidates() -> None:
    with pytest.raises(Ambiguous) as raised:
        resolve_prefix("01m7y9pk", IDS)
    assert raised.value.exit_code == ExitCode.AMBIGUOUS
    assert IDS[0] in raised.value.message
    assert IDS[1] in raised.value.message
    assert IDS[2] not in raised.value.message
    assert raised.value.hint


def test_resolve_prefix_ambiguous_with_many_candidates_is_bounded() -> None:
    ids = [f"01m7{i:022d}" for i in range(25)]
    with pytest.raises(Ambiguous) as raised:
        resolve_prefix("01m7", ids)
    assert "25" in raised.value.message
    assert len(raised.value.message) < 500


@pytest.mark.parametrize("prefix", ["01m8", "zzz", IDS[0] + "x", "", "   "])
def test_resolve_prefix_none_is_not_found(prefix: str) -> None:
    with pytest.raises(NotFound) as raised:
        resolve_prefix(prefix, IDS)
    assert raised.value.exit_code == ExitCode.NOT_FOUND


def test_resolve_prefix_in_an_empty_journal_is_not_found() -> None:
    with pytest.raises(NotFound):
        resolve_prefix("01m7", [])


def test_resolve_prefix_is_not_fooled_by_duplicate_ids() -> None:
    assert resolve_prefix("01m7z", [IDS[2], IDS[2]]) == IDS[2]


# --- filters: SQL chooses, the fold shows (actions/journal.py) --------------------------------

DAY = T0.replace(hour=0, minute=0)


def chosen(
    tmp_path: Path, selection: EntryFilter, *records: Record, number: int | None = None
) -> list[str]:
    """The texts `list`/`search` show from a journal holding `records`, best first."""
    for record in records:
        place(tmp_path / "root", record)
    session = JournalSession(Identity("sam", "Sam", SAM_DEVICE), make_store(tmp_path))
    return [v.text for v in select_entries([session], selection, number).entries]


def test_since_is_inclusive_and_until_is_exclusive(tmp_path: Path) -> None:
    at_since = entry("at since", when=DAY)
    before = entry("before", when=DAY - timedelta(microseconds=1))
    at_until = entry("at until", when=DAY + timedelta(days=1))
    inside = entry("just inside", when=DAY + timedelta(days=1) - timedelta(microseconds=1))
    selection = EntryFilter(since=DAY, until=DAY + timedelta(days=1))
    found = chosen(tmp_path, selection, at_since, before, at_until, inside)
    assert sorted(found) == ["at since", "just inside"]


def test_since_and_until_compare_instants_across_time_zones(tmp_path: Path) -> None:
    plus_two = timezone(timedelta(hours=2))
    # 01:00 at +02:00 is 23:00 UTC the day before: outside a UTC "today".
    early = entry("early", when=DAY.astimezone(plus_two) + timedelta(hours=-1))
    assert chosen(tmp_path, EntryFilter(since=DAY), early) == []


def test_tags_match_case_insensitively_and_all_must_match(tmp_path: Path) -> None:
    both = entry("#Sleep and #work")
    one = entry("only #sleep")
    explicit = entry("no inline tags", tags=("WORK", "sleep"))
    found = chosen(tmp_path, EntryFilter(tags=("sleep", "Work")), both, one, explicit)
    assert sorted(found) == ["#Sleep and #work", "no inline tags"]
    assert len(chosen(tmp_path, EntryFilter(tags=("SLEEP",)))) == 3


def test_tag_filter_uses_the_current_version(tmp_path: Path) -> None:
    first = entry("about #sleep", clock=1)
    edit = revision(first, "about #walks", clock=2)
    assert chosen(tmp_path, EntryFilter(tags=("sleep",)), first, edit) == []
    assert chosen(tmp_path, EntryFilter(tags=("walks",))) == ["about #walks"]


def test_words_are_anded_and_case_insensitive(tmp_path: Path) -> None:
    a = entry("Went for a long Walk in the rain")
    b = entry("walk only")
    c = entry("rain only")
    found = chosen(tmp_path, EntryFilter(words=search_words("WALK rain")), a, b, c)
    assert found == ["Went for a long Walk in the rain"]
    assert search_words("  Walk   RAIN ") == ("walk", "rain")
    assert search_words("") == ()


def test_words_also_match_tags(tmp_path: Path) -> None:
    tagged = entry("nothing here", tags=("gratitude",))
    assert chosen(tmp_path, EntryFilter(words=search_words("gratitude")), tagged) == [
        "nothing here"
    ]


def test_authors_filter(tmp_path: Path) -> None:
    mine = entry("mine", author="sam")
    theirs = entry("theirs", author="alex")
    assert chosen(tmp_path, EntryFilter(authors=("alex",)), mine, theirs) == ["theirs"]


def test_an_id_copied_by_another_author_chooses_only_the_entry_that_matches(
    tmp_path: Path,
) -> None:
    mine = entry("a walk in the park", author="sam")
    copy = entry("rain all day", author="alex", record_id=mine.id)
    assert chosen(tmp_path, EntryFilter(words=search_words("rain")), mine, copy) == ["rain all day"]
    assert chosen(tmp_path, EntryFilter(authors=("sam",))) == ["a walk in the park"]


def test_a_page_stays_full_when_an_author_s_two_files_share_an_id(tmp_path: Path) -> None:
    newest = [entry(f"e{i}", when=T0 - timedelta(days=i)) for i in range(2)]
    muddle = entry("one copy", when=T0 - timedelta(days=2))
    other = entry("other copy", when=muddle.when, record_id=muddle.id, device=ALEX_DEVICE)
    oldest = entry("e3", when=T0 - timedelta(days=3))
    found = chosen(tmp_path, EntryFilter(), *newest, muddle, other, oldest, number=4)
    assert found[:2] == ["e0", "e1"]
    assert found[2] in ("one copy", "other copy")  # the fold keeps one, on every machine
    assert found[3:] == ["e3"]


def test_a_revision_is_found_once_and_only_for_its_own_author_s_entry(tmp_path: Path) -> None:
    muddle = entry("one copy", when=T0 - timedelta(days=1))
    other = entry("other copy", when=muddle.when, record_id=muddle.id, device=ALEX_DEVICE)
    edit = revision(muddle, "by the canal at last")
    theirs = entry("not mine", author="alex", when=T0 - timedelta(days=2))
    foreign = revision(theirs, "a canal of my own", author="sam")  # sam cannot edit alex's
    words = EntryFilter(words=search_words("canal"))
    found = chosen(tmp_path, words, muddle, other, edit, theirs, foreign)
    assert found == ["by the canal at last"]
    session = JournalSession(Identity("sam", "Sam", SAM_DEVICE), make_store(tmp_path))
    assert select_entries([session], words, 1, counted=True).total == 1  # not twice


def test_a_limit_keeps_the_newest_matches_in_order(tmp_path: Path) -> None:
    records = [entry(f"e{i}", when=T0 - timedelta(days=i)) for i in range(6)]
    assert chosen(tmp_path, EntryFilter(), *records, number=3) == ["e0", "e1", "e2"]


def test_empty_filter_matches_everything(tmp_path: Path) -> None:
    records = [entry(f"e{i}") for i in range(4)]
    assert len(chosen(tmp_path, EntryFilter(), *records)) == 4


# --- tag counts --------------------------------------------------------------------------------


def test_tag_tallies_merge_by_count_then_name_with_the_newest_spelling() -> None:
    journal = {"sleep": ("Sleep", 2, "2"), "zeta": ("zeta", 1, "1")}
    space = {"sleep": ("SLEEP", 1, "3"), "alpha": ("Alpha", 2, "2"), "beta": ("beta", 1, "0")}
    pairs = tags_by_count([journal, space])
    assert pairs == [("SLEEP", 3), ("Alpha", 2), ("beta", 1), ("zeta", 1)]


def test_tag_tallies_of_nothing() -> None:
    assert tags_by_count([]) == []
    assert tags_by_count([{}, {}]) == []
