"""The journal fold: deterministic in any order, with duplicates and late arrivals (DESIGN §2.7).

The histories are generated; the expected result comes from a small independent model of the
rules (own-author revisions win by (clock, id), own-author deletions hide, others are refused).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from unit_support import DEVICES, T0, deletion, entry, revision

from peerlog.fold import Journal, fold_journal
from peerlog.records import Deletion, Entry, Record, Revision, new_record_id

AUTHORS = ("sam", "alex", "kim")
PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def histories(draw: st.DrawFn) -> list[Record]:
    """Entries, revisions and deletions from 1-3 authors, with colliding clocks on purpose."""
    authors = draw(st.lists(st.sampled_from(AUTHORS), min_size=1, max_size=3, unique=True))
    count = draw(st.integers(min_value=1, max_value=14))
    # Unique ids; their time part is drawn too, so id order and clock order disagree often.
    stamps = draw(
        st.lists(
            st.tuples(st.integers(0, 5_000), st.binary(min_size=10, max_size=10)),
            min_size=count,
            max_size=count,
            unique_by=lambda t: t[1],
        )
    )
    ids = [new_record_id(T0 + timedelta(milliseconds=ms), rand) for ms, rand in stamps]
    missing = new_record_id(T0 - timedelta(days=1), b"\xee" * 10)  # an entry that never arrives
    records: list[Record] = []
    entry_ids: list[str] = []
    for record_id in ids:
        author = draw(st.sampled_from(authors))
        clock = draw(st.integers(min_value=0, max_value=6))
        created = T0 + timedelta(minutes=draw(st.integers(0, 600)))
        kind = (
            "entry" if not entry_ids else draw(st.sampled_from(["entry", "revision", "deletion"]))
        )
        if kind == "entry":
            when = T0 - timedelta(days=draw(st.integers(0, 3)))
            records.append(
                entry(
                    draw(st.sampled_from(["a", "b #tag", "c"])),
                    author=author,
                    clock=clock,
                    record_id=record_id,
                    created=created,
                    when=when,
                    mood=draw(st.none() | st.integers(1, 5)),
                )
            )
            entry_ids.append(record_id)
            continue
        target = draw(st.sampled_from([*entry_ids, missing]))
        # Mostly the entry's own author, sometimes someone else (who must be refused).
        target_author = next((r.author for r in records if r.id == target), author)
        if draw(st.booleans()):
            author = target_author
        if kind == "revision":
            records.append(
                revision(
                    target,
                    f"revised by {author} at {clock}",
                    author=author,
                    clock=clock,
                    record_id=record_id,
                    created=created,
                    tags=draw(st.sampled_from([(), ("x",)])),
                    mood=draw(st.none() | st.integers(1, 5)),
                )
            )
        else:
            records.append(
                deletion(target, author=author, clock=clock, record_id=record_id, created=created)
            )
    return records


def expected_fold(records: list[Record]) -> dict[str, object]:
    """An independent statement of the rules, for comparison."""
    unique = {r.id: r for r in records}
    entries = {i: r for i, r in unique.items() if isinstance(r, Entry)}
    visible: dict[str, tuple[str, int | None, tuple[str, ...]]] = {}
    deleted = set()
    refused = set()
    for record in unique.values():
        if isinstance(record, Revision | Deletion) and record.target in entries:
            if record.author != entries[record.target].author:
                refused.add(record.id)
            elif isinstance(record, Deletion):
                deleted.add(record.target)
    for entry_id, entry_record in entries.items():
        if entry_id in deleted:
            continue
        own = [
            r
            for r in unique.values()
            if isinstance(r, Revision) and r.target == entry_id and r.author == entry_record.author
        ]
        if own:
            best = max(own, key=lambda r: (r.clock, r.id))
            visible[entry_id] = (best.body, best.mood, best.tags)
        else:
            visible[entry_id] = (entry_record.body, entry_record.mood, entry_record.tags)
    order = sorted(
        visible, key=lambda i: (entries[i].when, entries[i].clock, entries[i].id), reverse=True
    )
    return {"visible": visible, "order": order, "deleted": deleted, "refused": refused}


def observed(journal: Journal) -> dict[str, object]:
    return {
        "visible": {v.id: (v.text, v.mood, v.current.explicit_tags) for v in journal.entries},
        "order": [v.id for v in journal.entries],
        "deleted": set(journal.deleted),
        "refused": {r.id for r in journal.refused},
    }


# --- properties --------------------------------------------------------------------------------


@PROPERTY
@given(histories())
def test_fold_follows_the_rules(records: list[Record]) -> None:
    assert observed(fold_journal(records)) == expected_fold(records)


@PROPERTY
@given(histories(), st.randoms(use_true_random=False))
def test_fold_is_the_same_in_any_arrival_order(records: list[Record], rng: object) -> None:
    shuffled = records[:]
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert fold_journal(shuffled) == fold_journal(records)
    assert fold_journal(reversed(records)) == fold_journal(records)


@PROPERTY
@given(histories(), st.data())
def test_fold_ignores_duplicates(records: list[Record], data: st.DataObject) -> None:
    extra = data.draw(st.lists(st.sampled_from(records), max_size=10))
    with_duplicates = data.draw(st.permutations(records + extra))
    assert fold_journal(with_duplicates) == fold_journal(records)


@PROPERTY
@given(histories(), st.data())
def test_fold_of_a_union_does_not_depend_on_which_part_arrived_later(
    records: list[Record], data: st.DataObject
) -> None:
    cut = data.draw(st.integers(min_value=0, max_value=len(records)))
    order = data.draw(st.permutations(records))
    a, b = order[:cut], order[cut:]
    overlap = data.draw(st.lists(st.sampled_from(records), max_size=3))
    everything = fold_journal(records)
    assert fold_journal(a + b) == everything
    assert fold_journal(b + a) == everything
    assert fold_journal(a + overlap + b + overlap) == everything


@PROPERTY
@given(histories())
def test_folding_twice_gives_an_identical_result(records: list[Record]) -> None:
    first, second = fold_journal(records), fold_journal(list(records))
    assert first == second
    assert [v.versions for v in first.entries] == [v.versions for v in second.entries]


def _twins() -> dict[str, tuple[list[Record], Record, Record]]:
    """Pairs of different records that claim one id (a hand-edited copy, a forgery, or the same
    record copied into another month folder), with the rest of the history. Both of a pair
    would pass the store's placement check."""
    first = entry("text", clock=1)
    other = entry("other", clock=1)
    edit = revision(first, "edited", clock=2)
    return {
        "entry re-dated into another month": (
            [other],
            first,
            replace(first, created=first.created + timedelta(days=40)),
        ),
        "entry with different tags": ([other], first, replace(first, tags=("forged",))),
        "entry with a different mood": ([other], first, replace(first, mood=1)),
        "revision pointing elsewhere": ([first, other], edit, replace(edit, target=other.id)),
    }


TWINS = _twins()


@pytest.mark.parametrize(("base", "original", "twin"), TWINS.values(), ids=TWINS.keys())
def test_two_files_with_one_id_fold_the_same_in_any_order(
    base: list[Record], original: Record, twin: Record
) -> None:
    # Every machine must keep the same one of the two, whatever order they arrived in.
    assert original.id == twin.id and original != twin
    assert fold_journal([*base, original, twin]) == fold_journal([twin, original, *base])


# --- specific rules ----------------------------------------------------------------------------


def test_a_revision_that_arrives_before_its_entry_applies_when_the_entry_arrives() -> None:
    first = entry("first draft", clock=1)
    better = revision(first, "second draft", clock=2)
    early = fold_journal([better])
    assert early.entries == ()
    assert early.refused == ()
    late = fold_journal([better, first])
    assert [v.text for v in late.entries] == ["second draft"]
    assert late.entries[0].edited
    assert [v.text for v in late.entries[0].versions] == ["first draft", "second draft"]


def test_a_deletion_that_arrives_before_its_entry_hides_it_when_it_arrives() -> None:
    first = entry("oops", clock=1)
    gone = deletion(first, clock=2)
    assert fold_journal([gone]).entries == ()
    result = fold_journal([gone, first])
    assert result.entries == ()
    assert result.deleted == frozenset({first.id})


def test_the_revision_with_the_highest_clock_wins_not_the_newest_wall_clock() -> None:
    first = entry("v1", clock=1)
    high_clock_old_time = revision(first, "v3 (clock 5)", clock=5, created=T0 - timedelta(days=1))
    low_clock_new_time = revision(first, "v2 (clock 4)", clock=4, created=T0 + timedelta(days=1))
    for order in (
        [first, high_clock_old_time, low_clock_new_time],
        [low_clock_new_time, high_clock_old_time, first],
    ):
        view = fold_journal(order).entries[0]
        assert view.text == "v3 (clock 5)"
        assert [v.text for v in view.versions] == ["v1", "v2 (clock 4)", "v3 (clock 5)"]


def test_equal_clocks_are_broken_by_id() -> None:
    first = entry("v1", clock=1)
    low_id = new_record_id(T0, b"\x00" * 10)
    high_id = new_record_id(T0, b"\xff" * 10)
    assert low_id < high_id
    a = revision(first, "from the higher id", clock=3, record_id=high_id)
    b = revision(first, "from the lower id", clock=3, record_id=low_id)
    assert fold_journal([first, a, b]).entries[0].text == "from the higher id"
    assert fold_journal([b, a, first]).entries[0].text == "from the higher id"


def test_revisions_from_another_device_of_the_same_member_count() -> None:
    first = entry("laptop text", clock=1)
    other_device = revision(first, "desktop text", clock=2, device="dddddddddddddddd")
    assert fold_journal([first, other_device]).entries[0].text == "desktop text"


def test_revisions_and_deletions_by_someone_else_are_refused_and_listed() -> None:
    mine = entry("sam's words", author="sam", clock=1)
    forged_edit = revision(mine, "alex's words", author="alex", clock=9)
    forged_delete = deletion(mine, author="alex", clock=10)
    result = fold_journal([mine, forged_edit, forged_delete])
    assert [v.text for v in result.entries] == ["sam's words"]
    assert not result.entries[0].edited
    assert result.deleted == frozenset()
    assert list(result.refused) == [forged_edit, forged_delete]  # in merge order


def test_a_revision_claiming_the_author_but_from_anothers_device_folder_is_still_authors() -> None:
    # Placement (author vs folder) is the store's job; the fold trusts the author field.
    mine = entry("x", author="alex", clock=1)
    edit = revision(mine, "y", author="alex", device=DEVICES["alex"], clock=2)
    assert fold_journal([mine, edit]).entries[0].text == "y"


def test_deletion_hides_the_entry_even_after_later_revisions() -> None:
    first = entry("x", clock=1)
    gone = deletion(first, clock=2)
    later_edit = revision(first, "edited after delete", clock=3)
    result = fold_journal([first, gone, later_edit])
    assert result.entries == ()
    assert first.id in result.deleted


def test_revisions_and_deletions_of_non_entries_are_ignored() -> None:
    first = entry("x", clock=1)
    edit = revision(first, "y", clock=2)
    edit_of_edit = revision(edit.id, "z", clock=3)
    delete_of_edit = deletion(edit.id, clock=4)
    result = fold_journal([first, edit, edit_of_edit, delete_of_edit])
    assert [v.text for v in result.entries] == ["y"]
    assert result.deleted == frozenset()


def test_entries_are_listed_newest_first_by_when_then_clock_then_id() -> None:
    day = datetime(2026, 11, 20, 9, tzinfo=T0.tzinfo)
    old = entry("old", when=day - timedelta(days=2), clock=9)
    same_when_low_clock = entry("b", when=day, clock=1)
    same_when_high_clock = entry("c", when=day, clock=2)
    back_dated = entry("back-dated later", when=day - timedelta(days=5), clock=20)
    result = fold_journal([old, same_when_low_clock, back_dated, same_when_high_clock])
    assert [v.text for v in result.entries] == ["c", "b", "old", "back-dated later"]


def test_tags_of_the_current_version_include_inline_and_explicit() -> None:
    first = entry("about #Sleep", tags=("work",), clock=1)
    edit = revision(first, "now about #walks", tags=("work", "sleep"), clock=2)
    view = fold_journal([first, edit]).entries[0]
    assert view.tags == ("work", "sleep", "walks")
    assert view.versions[0].tags == ("work", "Sleep")
