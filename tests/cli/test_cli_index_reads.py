"""`list -n N`, `tags`, the goal commands and `due` read through the index, through the CLI.

A month folder is trusted without listing it again only once it has settled (changed more than
a few seconds before it was listed), so tests of a warm run age the record trees a day first,
and check that no record file is parsed on it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cli_support import (
    FIXED_NOW,
    Deletion,
    Peerlog,
    Revision,
    age_tree,
    cached_run,
    count_decodes,
    drop_record,
    entries,
    ok,
    write,
)

from peerlog.records import Entry, new_record_id
from peerlog.records.tags import tag_key

HOUR = timedelta(hours=1)
LONG_AGO = "2000-01-01"  # a filter that keeps everything, and so forces the full read


@pytest.fixture
def alex(tmp_path: Path) -> Peerlog:
    person = Peerlog(tmp_path / "alex-home", tmp_path / "alex-cache")
    ok(person("init", "--name", "Alex", "--member", "alex"))
    return person


@pytest.fixture
def pair(sam: Peerlog, alex: Peerlog, tmp_path: Path) -> Path:
    """Sam created space 'pair' in a shared folder; Alex joined it."""
    shared = tmp_path / "shared"
    ok(sam("space", "create", str(shared), "--name", "pair"))
    ok(alex("space", "join", str(shared)))
    return shared


def first_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


# --- list -n N ---------------------------------------------------------------------------------


def test_list_n_is_the_same_computed_and_cached_and_follows_writes_edits_and_deletes(
    sam: Peerlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [write(sam, f"entry {n}", now=FIXED_NOW + n * HOUR) for n in range(5)]
    journal = sam.home / "journal"
    age_tree(journal)

    listed = cached_run(sam, monkeypatch, "list", "-n", "3")
    assert [t in listed for t in ("entry 4", "entry 3", "entry 2", "entry 1")] == [
        True,
        True,
        True,
        False,
    ]
    assert listed.index("entry 4") < listed.index("entry 3") < listed.index("entry 2")

    # a write: the next list -n 3 has it on top
    newest = write(sam, "brand new entry", now=FIXED_NOW + 10 * HOUR)
    after_write = ok(sam("list", "-n", "3"))
    assert after_write.index("brand new entry") < after_write.index("entry 4")
    assert "entry 2" not in after_write
    assert [e["id"] for e in entries(sam, "-n", "3")] == [newest, ids[4], ids[3]]
    age_tree(journal)
    assert cached_run(sam, monkeypatch, "list", "-n", "3") == after_write

    # an edit of one of the newest entries
    ok(sam("edit", ids[4], "entry four, rewritten #changed", now=FIXED_NOW + 11 * HOUR))
    after_edit = ok(sam("list", "-n", "3"))
    assert "entry four, rewritten" in after_edit
    assert "entry 4" not in after_edit
    edited = entries(sam, "-n", "3")
    assert [e["id"] for e in edited] == [newest, ids[4], ids[3]]
    assert edited[1]["text"] == "entry four, rewritten #changed"
    assert edited[1]["edited"] is True
    assert edited[1]["tags"] == ["changed"]
    age_tree(journal)
    assert cached_run(sam, monkeypatch, "list", "-n", "3") == after_edit

    # a deletion: the entry below moves up
    ok(sam("delete", newest, "--yes", now=FIXED_NOW + 12 * HOUR))
    after_delete = ok(sam("list", "-n", "3"))
    assert "brand new entry" not in after_delete
    assert [e["id"] for e in entries(sam, "-n", "3")] == [ids[4], ids[3], ids[2]]
    age_tree(journal)
    assert cached_run(sam, monkeypatch, "list", "-n", "3") == after_delete
    assert cached_run(sam, monkeypatch, "list", "-n", "3", "--json") == ok(
        sam("list", "-n", "3", "--json", "--since", LONG_AGO)
    )


def test_a_record_arriving_by_sync_shows_in_list_n(
    sam: Peerlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        write(sam, f"mine {n}", now=FIXED_NOW + n * HOUR)
    age_tree(sam.home / "journal")
    cached_run(sam, monkeypatch, "list", "-n", "2")
    synced = Entry(
        id=new_record_id(FIXED_NOW + 5 * HOUR),
        author="sam",
        device=sam.device,
        clock=99,
        created=FIXED_NOW + 5 * HOUR,
        when=FIXED_NOW + 5 * HOUR,
        body="written on my laptop, arrived by sync",
    )
    drop_record(sam, synced)
    assert [e["text"] for e in entries(sam, "-n", "2")] == [
        "written on my laptop, arrived by sync",
        "mine 2",
    ]


@dataclass
class Built:
    """A journal made of record files, and what its visible entries are."""

    visible: list[Entry]  # newest first, with current texts in `texts`
    texts: dict[str, str]


@pytest.fixture
def big_journal(sam: Peerlog) -> Built:
    """300 entries over ten months with revisions, deletions and back-dating; settled."""
    device = sam.device
    clock = 0
    made: list[Entry] = []
    texts: dict[str, str] = {}
    deleted: set[str] = set()
    for n in range(300):
        clock += 1
        created = FIXED_NOW - timedelta(hours=23 * n)
        when = created - timedelta(days=3) if n % 13 == 0 else created  # back-dated
        if n % 17 == 0 and made:
            when = made[-1].when  # the same moment as another entry: the clock decides
        record = Entry(
            id=new_record_id(created),
            author="sam",
            device=device,
            clock=clock,
            created=created,
            when=when,
            body=f"Entry number {n}.",
            tags=("numbered",) if n % 5 == 0 else (),
        )
        drop_record(sam, record)
        made.append(record)
        texts[record.id] = record.body
    for n, record in enumerate(made):
        if n % 7 == 0:
            clock += 1
            body = f"Entry number {n}, revised."
            drop_record(sam, _revision(record, body, clock))
            texts[record.id] = body
        if n % 11 == 1 or n == 1:
            clock += 1
            drop_record(sam, _deletion(record, clock))
            deleted.add(record.id)
    age_tree(sam.home / "journal")
    visible = [r for r in made if r.id not in deleted]
    visible.sort(key=lambda r: (r.when, r.clock, r.id), reverse=True)
    return Built(visible, texts)


def _revision(target: Entry, body: str, clock: int) -> Revision:
    return Revision(
        id=new_record_id(target.created + timedelta(minutes=5)),
        author=target.author,
        device=target.device,
        clock=clock,
        created=target.created + timedelta(minutes=5),
        target=target.id,
        body=body,
        tags=target.tags,
    )


def _deletion(target: Entry, clock: int) -> Deletion:
    return Deletion(
        id=new_record_id(target.created + timedelta(minutes=9)),
        author=target.author,
        device=target.device,
        clock=clock,
        created=target.created + timedelta(minutes=9),
        target=target.id,
    )


@pytest.mark.parametrize("number", ["3", "100"])
def test_list_n_equals_the_same_entries_chosen_by_date(
    big_journal: Built, sam: Peerlog, monkeypatch: pytest.MonkeyPatch, number: str
) -> None:
    for extra in ((), ("--json",)):
        from_view = cached_run(sam, monkeypatch, "list", "-n", number, *extra)
        full = ok(sam("list", "-n", number, "--since", LONG_AGO, *extra))
        assert from_view == full
    listed = entries(sam, "-n", number)
    expected = big_journal.visible[: int(number)]
    assert [e["id"] for e in listed] == [r.id for r in expected]
    assert [e["text"] for e in listed] == [big_journal.texts[r.id] for r in expected]


def test_list_n_of_many_lists_them_all(big_journal: Built, sam: Peerlog) -> None:
    assert len(big_journal.visible) > 200
    listed = entries(sam, "-n", "200")
    assert [e["id"] for e in listed] == [r.id for r in big_journal.visible[:200]]
    assert ok(sam("list", "-n", "200")) == ok(sam("list", "-n", "200", "--since", LONG_AGO))
    everything = entries(sam)
    assert [e["id"] for e in everything] == [r.id for r in big_journal.visible]
    assert [e["text"] for e in everything] == [big_journal.texts[r.id] for r in big_journal.visible]
    assert entries(sam, "-n", "3") == everything[:3]
    assert entries(sam, "-n", "100") == everything[:100]
    assert entries(sam, "-n", "101") == everything[:101]


def test_short_ids_stay_unique_among_every_entry(
    sam: Peerlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Entries written in the same instant share a long id prefix; the short ids must tell them
    # apart from every id (not only the newest few) so `show` finds exactly one.
    ids = [write(sam, f"same instant {n}") for n in range(4)]
    age_tree(sam.home / "journal")
    out = cached_run(sam, monkeypatch, "list", "-n", "1")
    assert out == ok(sam("list", "-n", "1", "--since", LONG_AGO))
    short = next(w for w in out.split() if ids[-1].startswith(w) and len(w) >= 8)
    assert json.loads(ok(sam("show", short, "--json")))["id"] == ids[-1]


# --- tags --------------------------------------------------------------------------------------


def by_hand(listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tag counts from `list --json` (newest first): case-insensitive, spelling of the newest."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for item in listed:
        for tag in item["tags"]:
            counts[tag_key(tag)] += 1
            spelling.setdefault(tag_key(tag), tag)
    pairs = sorted(
        ((spelling[k], n) for k, n in counts.items()), key=lambda t: (-t[1], tag_key(t[0]))
    )
    return [{"tag": tag, "count": n} for tag, n in pairs]


def test_tags_counts_inline_and_given_tags_merged_by_case(
    sam: Peerlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = FIXED_NOW
    write(sam, "Morning #walk by the river", now=t)
    write(sam, "Tired again", "--tag", "sleep", "--tag", "Walk", now=t + HOUR)
    write(sam, "#SLEEP was short, #walk helped #walk", now=t + 2 * HOUR)
    write(sam, "No tags at all", now=t + 3 * HOUR)
    reading = write(sam, "Started a book #reading", "--tag", "Reading", now=t + 4 * HOUR)
    gone = write(sam, "#walk #gone", now=t + 5 * HOUR)
    edited = write(sam, "#typo here", now=t + 6 * HOUR)
    ok(sam("delete", gone, "--yes", now=t + 7 * HOUR))
    ok(sam("edit", edited, "#Sleep fixed", now=t + 8 * HOUR))
    age_tree(sam.home / "journal")

    data = json.loads(cached_run(sam, monkeypatch, "tags", "--json"))
    assert data == [
        {"tag": "Sleep", "count": 3},
        {"tag": "walk", "count": 3},  # spelled as in the newest entry using it
        {"tag": "Reading", "count": 1},
    ]
    listed = entries(sam)
    assert data == by_hand(listed)
    # given `Reading` and inline `#reading` on one entry: one tag, counted once
    assert next(e["tags"] for e in listed if e["id"] == reading) == ["Reading"]
    human = cached_run(sam, monkeypatch, "tags")
    assert [line.split() for line in first_lines(human)] == [
        ["3", "#Sleep"],
        ["3", "#walk"],
        ["1", "#Reading"],
    ]

    # a new entry changes the counts (and the spelling, from the newest entry)
    write(sam, "Long #WALK today", now=t + 9 * HOUR)
    assert json.loads(ok(sam("tags", "--json")))[0] == {"tag": "WALK", "count": 4}


def test_tags_with_all_sums_the_private_journal_and_the_space(
    sam: Peerlog, alex: Peerlog, pair: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = FIXED_NOW
    write(sam, "Private #walk", now=t)
    write(sam, "Private again", "--tag", "sleep", now=t + HOUR)
    ok(sam("write", "Shared #Walk with alex", "--space", "pair", now=t + 2 * HOUR))
    ok(alex("write", "My #WALK too, and #cooking", "--space", "pair", now=t + 3 * HOUR))
    ok(alex("write", "Alex private #walk", now=t + 4 * HOUR))  # not in sam's journals
    for root in (sam.home / "journal", pair):
        age_tree(root)

    private = json.loads(cached_run(sam, monkeypatch, "tags", "--json"))
    assert private == [{"tag": "sleep", "count": 1}, {"tag": "walk", "count": 1}]
    space = json.loads(cached_run(sam, monkeypatch, "tags", "--space", "pair", "--json"))
    assert space == [{"tag": "WALK", "count": 2}, {"tag": "cooking", "count": 1}]
    both = json.loads(cached_run(sam, monkeypatch, "tags", "--all", "--json"))
    assert both == [
        {"tag": "WALK", "count": 3},
        {"tag": "cooking", "count": 1},
        {"tag": "sleep", "count": 1},
    ]
    assert both == by_hand(entries(sam, "--all"))
    # alex reads the same space through their own cache: the same counts
    assert json.loads(ok(alex("tags", "--space", "pair", "--json"))) == space


def test_tags_follow_an_edit_that_removes_a_tag(
    sam: Peerlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write(sam, "#alpha and #beta", now=FIXED_NOW)
    second = write(sam, "#alpha", now=FIXED_NOW + HOUR)
    age_tree(sam.home / "journal")
    cached_run(sam, monkeypatch, "tags", "--json")
    ok(sam("edit", first, "only #beta now", now=FIXED_NOW + 2 * HOUR))
    assert json.loads(ok(sam("tags", "--json"))) == [
        {"tag": "alpha", "count": 1},
        {"tag": "beta", "count": 1},
    ]
    ok(sam("delete", second, "--yes", now=FIXED_NOW + 3 * HOUR))
    assert json.loads(ok(sam("tags", "--json"))) == [{"tag": "beta", "count": 1}]


# --- goals and due -----------------------------------------------------------------------------

_PROPOSED = re.compile(r"Proposed goal ([0-9a-z]{26})")


def propose(person: Peerlog, *args: str) -> str:
    found = _PROPOSED.search(ok(person("goal", "propose", *args)))
    assert found
    return found[1]


def goal_list(person: Peerlog, *args: str) -> list[dict[str, Any]]:
    data = json.loads(ok(person("goal", "list", *args, "--json")))
    assert isinstance(data, list)
    return data


def goal_show(person: Peerlog, goal: str) -> dict[str, Any]:
    data = json.loads(ok(person("goal", "show", goal, "--json")))
    assert isinstance(data, dict)
    return data


def due(person: Peerlog) -> list[dict[str, Any]]:
    data = json.loads(ok(person("due", "--json")))
    assert isinstance(data, list)
    return data


def test_a_private_goal_logged_after_the_cache_is_warm_shows_its_progress(
    sam: Peerlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    goal = propose(sam, "Walk", "--target", "3/week")
    journal = sam.home / "journal"
    age_tree(journal)
    listed = json.loads(cached_run(sam, monkeypatch, "goal", "list", "--json"))
    assert [g["id"] for g in listed] == [goal]
    [behind] = json.loads(cached_run(sam, monkeypatch, "due", "--json"))
    assert behind["kind"] == "behind"
    assert "0 of 3 this week" in behind["text"]
    assert "0 of 3 this week" in cached_run(sam, monkeypatch)

    ok(sam("goal", "log", goal, "2"))
    shown = goal_show(sam, goal)
    assert shown["progress"]["total"] == 2
    assert shown["progress"]["this_period"]["amount"] == 2
    [behind] = due(sam)
    assert "2 of 3 this week" in behind["text"]
    assert "2 of 3 this week" in ok(sam())

    age_tree(journal)
    assert json.loads(cached_run(sam, monkeypatch, "goal", "show", goal, "--json")) == shown
    ok(sam("goal", "log", goal, "1", "--note", "the long way round"))
    assert goal_show(sam, goal)["progress"]["this_period"]["met"] is True
    assert goal_list(sam)[0]["progress"]["total"] == 3
    assert due(sam) == []
    assert "Nothing is waiting for you" in ok(sam())

    age_tree(journal)
    assert json.loads(cached_run(sam, monkeypatch, "due", "--json")) == []
    ok(sam("goal", "log", goal, "--undo"))
    assert goal_show(sam, goal)["progress"]["total"] == 2
    assert [i["kind"] for i in due(sam)] == ["behind"]


def test_a_shared_goal_proposed_accepted_and_logged_with_warm_caches(
    sam: Peerlog, alex: Peerlog, pair: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    goal = propose(sam, "Walk together", "--target", "3/week", "--space", "pair")
    age_tree(pair)
    age_tree(sam.home / "journal")
    age_tree(alex.home / "journal")
    for person in (sam, alex):
        [listed] = json.loads(cached_run(person, monkeypatch, "goal", "list", "--json"))
        assert (listed["id"], listed["state"]) == (goal, "proposed")
    [waiting] = json.loads(cached_run(alex, monkeypatch, "due", "--json"))
    assert (waiting["kind"], waiting["ref"]) == ("answer-goal", goal)

    ok(alex("goal", "accept", goal))
    for person in (sam, alex):
        assert goal_show(person, goal)["state"] == "active"
    assert [i["kind"] for i in due(alex)] == ["behind"]

    age_tree(pair)
    for person in (sam, alex):
        cached_run(person, monkeypatch, "goal", "list", "--json")
    ok(sam("goal", "log", goal, "--note", "river path"))
    ok(alex("goal", "log", goal, "2"))
    for person in (sam, alex):
        [listed] = goal_list(person)
        assert listed["progress"]["total"] == 3
        assert listed["progress"]["this_period"]["met"] is True
        assert due(person) == []


def test_a_goal_log_arriving_by_sync_is_seen_through_a_warm_cache(
    sam: Peerlog, alex: Peerlog, pair: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    goal = propose(sam, "Read", "--target", "10", "--space", "pair")
    ok(alex("goal", "accept", goal))
    age_tree(pair)
    cached_run(sam, monkeypatch, "goal", "show", goal, "--json")
    # alex logs on their machine; the file reaches the shared folder (it is the same folder)
    ok(alex("goal", "log", goal, "4"))
    assert goal_show(sam, goal)["progress"]["total"] == 4


def test_entries_in_a_space_do_not_leak_into_the_private_list(
    sam: Peerlog, pair: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(sam, "private one", now=FIXED_NOW)
    ok(sam("write", "shared one", "--space", "pair", now=FIXED_NOW + HOUR))
    age_tree(sam.home / "journal")
    age_tree(pair)
    private = json.loads(cached_run(sam, monkeypatch, "list", "-n", "5", "--json"))
    assert [e["text"] for e in private] == ["private one"]
    shared = json.loads(
        cached_run(sam, monkeypatch, "list", "-n", "5", "--space", "pair", "--json")
    )
    assert [e["text"] for e in shared] == ["shared one"]
    both = json.loads(cached_run(sam, monkeypatch, "list", "-n", "5", "--all", "--json"))
    assert [e["text"] for e in both] == ["shared one", "private one"]
    assert both == json.loads(ok(sam("list", "-n", "5", "--all", "--json", "--since", LONG_AGO)))


def test_after_a_write_the_goals_are_read_with_one_file_read(
    sam: Peerlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    goal = propose(sam, "Walk", "--target", "3/week")
    for n in range(6):
        write(sam, f"entry {n}", now=FIXED_NOW - n * HOUR)
    ok(sam("goal", "log", goal, "1"))
    age_tree(sam.home / "journal")
    listed = json.loads(cached_run(sam, monkeypatch, "goal", "list", "--json"))
    assert listed[0]["progress"]["total"] == 1

    write(sam, "an entry changes the month folder, not the goals")
    with monkeypatch.context() as patch:
        decodes = count_decodes(patch)
        assert goal_list(sam) == listed
    assert decodes.count == 1  # the new entry, not every record

    ok(sam("goal", "log", goal, "2"))
    with monkeypatch.context() as patch:
        decodes = count_decodes(patch)
        shown = goal_show(sam, goal)
    assert decodes.count == 1  # the new log: `goal log` brought the index up to date first
    assert shown["progress"]["total"] == 3
    assert shown["progress"]["this_period"]["met"] is True
