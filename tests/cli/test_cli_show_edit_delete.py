"""`peerlog show`, `edit` and `delete`: id prefixes, revisions and tombstones on disk."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cli_support import (
    FIXED_NOW,
    Deletion,
    ExitCode,
    Peerlog,
    Revision,
    assert_clean_error,
    drop_record,
    entries,
    foreign_entry,
    read,
    record_path,
    records_of_type,
    write,
)

from peerlog.records import Entry

LATER = FIXED_NOW + timedelta(hours=2)


def show_json(peerlog: Peerlog, *args: str) -> dict[str, object]:
    result = peerlog("show", *args, "--json")
    assert result.exit_code == 0, (result.exit_code, result.stderr)
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def snapshot(peerlog: Peerlog) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in peerlog.records()}


# --- show -------------------------------------------------------------------------------------


def test_show_by_full_id(sam: Peerlog) -> None:
    entry_id = write(sam, "Line one\n\nLine three #here", "--mood", "3")

    result = sam("show", entry_id)

    assert result.exit_code == 0
    assert result.stderr == ""
    assert entry_id in result.stdout
    assert "Line one\n\nLine three #here" in result.stdout
    assert "okay (3/5)" in result.stdout
    assert "#here" in result.stdout
    assert "Sam in private" in result.stdout  # the display name given at init


def test_show_by_unique_prefix_in_any_case(sam: Peerlog) -> None:
    entry_id = write(sam, "only one", now=FIXED_NOW)
    write(sam, "another", now=FIXED_NOW + timedelta(days=40))  # a different time prefix

    for prefix in (entry_id[:4], entry_id[:10], entry_id.upper()[:12], f"  {entry_id[:8]} "):
        assert show_json(sam, prefix)["id"] == entry_id, prefix


def test_ambiguous_prefix_lists_the_candidates(sam: Peerlog) -> None:
    # the same pinned "now" gives ids with the same ten time characters
    first = write(sam, "first")
    second = write(sam, "second")
    prefix = first[:10]
    assert second.startswith(prefix)

    result = sam("show", prefix)

    assert_clean_error(result, ExitCode.AMBIGUOUS, prefix, first, second)
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["edit", "delete"])
def test_ambiguous_prefix_changes_nothing(sam: Peerlog, command: str) -> None:
    first = write(sam, "first")
    write(sam, "second")
    before = snapshot(sam)

    result = sam(command, first[:10], "--yes" if command == "delete" else "new text")

    assert result.exit_code == ExitCode.AMBIGUOUS
    assert snapshot(sam) == before


def test_revision_ids_do_not_count_as_entry_ids(sam: Peerlog) -> None:
    entry_id = write(sam, "first")
    sam("edit", entry_id, input="second")  # same pinned time: the same ten-character prefix
    [revision] = records_of_type(sam, Revision)
    assert revision.id[:10] == entry_id[:10]

    assert show_json(sam, entry_id[:10])["id"] == entry_id
    assert_clean_error(sam("show", revision.id), ExitCode.NOT_FOUND)
    assert_clean_error(sam("edit", revision.id, input="x"), ExitCode.NOT_FOUND)


def test_deleted_entries_do_not_make_a_prefix_ambiguous(sam: Peerlog) -> None:
    kept = write(sam, "kept")
    gone = write(sam, "gone")
    assert sam("delete", gone, "--yes").exit_code == 0

    assert show_json(sam, kept[:10])["id"] == kept


def test_unknown_id_is_not_found(sam: Peerlog) -> None:
    write(sam, "something")
    result = sam("show", "zzzzzzzz")
    assert_clean_error(result, ExitCode.NOT_FOUND, "zzzzzzzz")
    assert result.stdout == ""


def test_empty_id_is_not_found(sam: Peerlog) -> None:
    write(sam, "something")
    assert sam("show", "").exit_code == ExitCode.NOT_FOUND


def test_show_json_has_the_entry_keys(sam: Peerlog) -> None:
    entry_id = write(sam, "json me", "--tag", "t1")

    data = show_json(sam, entry_id)

    assert data["id"] == entry_id
    assert data["type"] == "entry"
    assert data["text"] == "json me"
    assert data["tags"] == ["t1"]
    assert data["edited"] is False
    assert data["created"] == data["updated"] == "2026-11-21T10:15:00+00:00"
    assert "history" not in data


def test_show_json_history_of_a_never_edited_entry(sam: Peerlog) -> None:
    entry_id = write(sam, "only version", "--mood", "2")

    data = show_json(sam, entry_id, "--history")

    assert data["history"] == [
        {
            "record": entry_id,
            "created": "2026-11-21T10:15:00+00:00",
            "text": "only version",
            "tags": [],
            "mood": 2,
        }
    ]


# --- edit -------------------------------------------------------------------------------------


def test_edit_from_stdin_writes_a_revision_and_keeps_the_original(sam: Peerlog) -> None:
    entry_id = write(sam, "first words #old", "--tag", "kept", "--mood", "3")
    original_path = record_path(sam, entry_id)
    original_bytes = original_path.read_bytes()
    original = read(original_path)

    result = sam("edit", entry_id, input="better words #new\n", now=LATER)

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert original_path.read_bytes() == original_bytes
    [revision] = records_of_type(sam, Revision)
    assert isinstance(revision, Revision)
    assert revision.type == "revision"
    assert revision.target == entry_id
    assert revision.id != entry_id
    assert revision.id in result.stdout
    assert revision.author == "sam"
    assert revision.clock > original.clock
    assert revision.created == LATER
    assert revision.body == "better words #new"
    assert revision.tags == ("kept",)  # explicit tags carry over
    assert revision.mood == 3  # and so does the mood
    assert len(sam.records()) == 2


def test_edit_shows_everywhere(sam: Peerlog) -> None:
    entry_id = write(sam, "first words #old", "--tag", "kept")
    sam("edit", entry_id, input="better words #new", now=LATER)

    [listed] = entries(sam)
    assert listed["id"] == entry_id
    assert listed["text"] == "better words #new"
    assert listed["tags"] == ["kept", "new"]
    assert listed["edited"] is True
    assert listed["created"] == "2026-11-21T10:15:00+00:00"
    assert listed["updated"] == "2026-11-21T12:15:00+00:00"
    assert listed["date"] == "2026-11-21T10:15:00+00:00"  # editing does not move the entry

    assert entries(sam, "better", command="search") != []
    assert entries(sam, "first", command="search") == []
    assert json.loads(sam("tags", "--json").stdout) == [
        {"tag": "kept", "count": 1},
        {"tag": "new", "count": 1},
    ]
    human_list = sam("list").stdout
    assert "better words" in human_list
    assert "(edited)" in human_list
    shown = sam("show", entry_id).stdout
    assert "better words #new" in shown
    assert "first words" not in shown


def test_edit_from_arguments(sam: Peerlog) -> None:
    entry_id = write(sam, "before")
    result = sam("edit", entry_id, "after", "the", "edit")
    assert result.exit_code == 0, result.stderr
    assert show_json(sam, entry_id)["text"] == "after the edit"


def test_history_keeps_every_version(sam: Peerlog) -> None:
    entry_id = write(sam, "version one")
    sam("edit", entry_id, input="version two", now=FIXED_NOW + timedelta(hours=1))
    sam("edit", entry_id, input="version three", now=FIXED_NOW + timedelta(hours=2))

    data = show_json(sam, entry_id, "--history")
    assert data["text"] == "version three"
    history = data["history"]
    assert isinstance(history, list)
    assert [v["text"] for v in history] == ["version one", "version two", "version three"]
    assert history[0]["record"] == entry_id
    assert [v["created"][11:16] for v in history] == ["10:15", "11:15", "12:15"]
    revisions = {r.id for r in records_of_type(sam, Revision)}
    assert {v["record"] for v in history[1:]} == revisions

    human = sam("show", entry_id, "--history")
    assert human.exit_code == 0
    out = human.stdout
    assert "version one" in out
    assert "version two" in out
    assert out.index("version three") < out.index("version one")  # current text first
    assert "edited 2 times" in out

    plain = sam("show", entry_id).stdout
    assert "version one" not in plain
    assert "version two" not in plain


def test_history_is_ordered_by_logical_clock_not_wall_clock(sam: Peerlog) -> None:
    entry_id = write(sam, "version one")
    # the machine's clock jumped back between the edits: order still follows the writes
    sam("edit", entry_id, input="version two", now=FIXED_NOW + timedelta(hours=5))
    sam("edit", entry_id, input="version three", now=FIXED_NOW + timedelta(hours=1))

    data = show_json(sam, entry_id, "--history")
    assert data["text"] == "version three"
    assert [v["text"] for v in data["history"]] == [  # type: ignore[attr-defined]
        "version one",
        "version two",
        "version three",
    ]


def test_edit_unchanged_saves_nothing(sam: Peerlog) -> None:
    entry_id = write(sam, "same", "--tag", "t")
    before = snapshot(sam)

    for text in ("same", "same\n", "\n  same  \n"):
        result = sam("edit", entry_id, input=text)
        assert_clean_error(result, ExitCode.NOTHING_DONE, "unchanged")
    assert sam("edit", entry_id, "--tag", "T", tty=True).exit_code == ExitCode.NOTHING_DONE
    assert snapshot(sam) == before


def test_edit_to_empty_saves_nothing(sam: Peerlog) -> None:
    entry_id = write(sam, "something")
    before = snapshot(sam)

    result = sam("edit", entry_id, input="  \n")

    assert_clean_error(result, ExitCode.NOTHING_DONE, "Nothing saved")
    assert snapshot(sam) == before
    assert show_json(sam, entry_id)["text"] == "something"


def test_edit_mood_only_changes_only_the_mood(sam: Peerlog) -> None:
    entry_id = write(sam, "keep this text #inline", "--tag", "kept", "--mood", "2")

    result = sam("edit", entry_id, "--mood", "4", tty=True, now=LATER)

    assert result.exit_code == 0, result.stderr
    [revision] = records_of_type(sam, Revision)
    assert isinstance(revision, Revision)
    assert revision.mood == 4
    assert revision.body == "keep this text #inline"
    assert revision.tags == ("kept",)
    data = show_json(sam, entry_id, "--history")
    assert data["mood"] == 4
    assert data["text"] == "keep this text #inline"
    assert [v["mood"] for v in data["history"]] == [2, 4]  # type: ignore[attr-defined]


def test_edit_mood_only_without_a_terminal(sam: Peerlog) -> None:
    """From a script (stdin not a terminal, nothing piped), `edit ID --mood 4` changes the mood."""
    entry_id = write(sam, "keep this text", "--mood", "2")

    result = sam("edit", entry_id, "--mood", "4")

    assert result.exit_code == 0, result.stderr
    data = show_json(sam, entry_id)
    assert data["mood"] == 4
    assert data["text"] == "keep this text"


def test_edit_tag_only_adds_a_tag(sam: Peerlog) -> None:
    entry_id = write(sam, "text", "--tag", "one")

    result = sam("edit", entry_id, "--tag", "two", tty=True)

    assert result.exit_code == 0, result.stderr
    [revision] = records_of_type(sam, Revision)
    assert revision.tags == ("one", "two")  # type: ignore[attr-defined]
    assert show_json(sam, entry_id)["tags"] == ["one", "two"]


@pytest.mark.parametrize("bad", [["--mood", "0"], ["--mood", "6"], ["--tag", "1"]])
def test_edit_with_bad_options_changes_nothing(sam: Peerlog, bad: list[str]) -> None:
    entry_id = write(sam, "text", "--mood", "3")
    before = snapshot(sam)

    result = sam("edit", entry_id, *bad, input="new text")

    assert_clean_error(result, ExitCode.USAGE)
    assert snapshot(sam) == before


def test_edit_unknown_id(sam: Peerlog) -> None:
    write(sam, "text")
    result = sam("edit", "zzzzzz", input="new")
    assert_clean_error(result, ExitCode.NOT_FOUND)
    assert records_of_type(sam, Revision) == []


def test_edit_takes_a_clock_above_every_record_seen(sam: Peerlog) -> None:
    entry_id = write(sam, "mine")
    device = read(record_path(sam, entry_id)).device
    # a record from this member's other device arrives with a much higher clock
    drop_record(sam, foreign_entry("from my laptop", author="sam", clock=50))

    sam("edit", entry_id, input="edited after the sync")

    [revision] = records_of_type(sam, Revision)
    assert revision.clock > 50
    assert revision.device == device


def test_editing_someone_elses_entry_is_refused(sam: Peerlog) -> None:
    theirs = foreign_entry("alex wrote this", author="alex")
    path = drop_record(sam, theirs)
    before = snapshot(sam)
    assert [e["author"] for e in entries(sam)] == ["alex"]

    result = sam("edit", theirs.id, input="sam rewrites it")

    assert_clean_error(result, ExitCode.REFUSED, theirs.id, "alex")
    assert snapshot(sam) == before
    assert path.read_bytes() == before[path.name]
    assert show_json(sam, theirs.id)["text"] == "alex wrote this"


def test_revisions_by_someone_else_are_ignored(sam: Peerlog) -> None:
    entry_id = write(sam, "sam's own words")
    entry = read(record_path(sam, entry_id))
    forged = Revision(
        id=foreign_entry("x").id,
        author="alex",
        device=foreign_entry("x").device,
        clock=99,
        created=LATER,
        target=entry_id,
        body="alex's words in sam's mouth",
    )
    drop_record(sam, forged)
    drop_record(
        sam,
        Deletion(
            id=foreign_entry("y").id,
            author="alex",
            device=forged.device,
            clock=100,
            created=LATER,
            target=entry.id,
        ),
    )

    [listed] = entries(sam)
    assert listed["text"] == "sam's own words"
    assert listed["edited"] is False


# --- delete -----------------------------------------------------------------------------------


def test_delete_asks_and_yes_deletes(sam: Peerlog) -> None:
    keep = write(sam, "keep me #both", now=FIXED_NOW - timedelta(hours=1))
    gone_id = write(sam, "delete me #both #gone")
    original = record_path(sam, gone_id)
    original_bytes = original.read_bytes()

    result = sam("delete", gone_id[:12], input="y\n", now=LATER)

    assert result.exit_code == 0, result.stderr
    assert "delete me" in result.stdout  # the question shows what is being deleted
    assert f"Deleted entry {gone_id}" in result.stdout
    # the tombstone is a new record; the entry's file is untouched
    assert original.read_bytes() == original_bytes
    [tombstone] = records_of_type(sam, Deletion)
    assert isinstance(tombstone, Deletion)
    assert tombstone.type == "deletion"
    assert tombstone.target == gone_id
    assert tombstone.author == "sam"
    assert tombstone.body == ""
    assert tombstone.created == LATER
    assert tombstone.clock > read(original).clock
    # gone from every view
    assert [e["id"] for e in entries(sam)] == [keep]
    assert entries(sam, "delete", command="search") == []
    assert json.loads(sam("tags", "--json").stdout) == [{"tag": "both", "count": 1}]
    assert gone_id[:8] not in sam("list").stdout
    shown = sam("show", gone_id)
    assert_clean_error(shown, ExitCode.NOT_FOUND, gone_id, "deleted")
    assert_clean_error(sam("show", gone_id[:14]), ExitCode.NOT_FOUND, "deleted")


@pytest.mark.parametrize("answer", ["n\n", "\n", "", "no\n"])
def test_delete_keeps_the_entry_unless_confirmed(sam: Peerlog, answer: str) -> None:
    entry_id = write(sam, "precious")
    before = snapshot(sam)

    result = sam("delete", entry_id, input=answer)

    assert_clean_error(result, ExitCode.NOTHING_DONE, "Nothing deleted")
    assert snapshot(sam) == before
    assert [e["id"] for e in entries(sam)] == [entry_id]


@pytest.mark.parametrize("flag", ["--yes", "-y"])
def test_delete_with_yes_does_not_ask(sam: Peerlog, flag: str) -> None:
    entry_id = write(sam, "goodbye")

    result = sam("delete", entry_id, flag)

    assert result.exit_code == 0, result.stderr
    assert "?" not in result.stdout
    assert len(records_of_type(sam, Deletion)) == 1
    assert entries(sam) == []
    assert len(records_of_type(sam, Entry)) == 1


def test_deleted_entry_cannot_be_edited_or_deleted_again(sam: Peerlog) -> None:
    entry_id = write(sam, "goodbye")
    sam("delete", entry_id, "--yes")
    before = snapshot(sam)

    assert_clean_error(sam("edit", entry_id, input="back?"), ExitCode.NOT_FOUND, "deleted")
    assert_clean_error(sam("delete", entry_id, "--yes"), ExitCode.NOT_FOUND, "deleted")
    assert snapshot(sam) == before


def test_deleting_an_edited_entry_hides_every_version(sam: Peerlog) -> None:
    entry_id = write(sam, "first")
    sam("edit", entry_id, input="second")
    sam("delete", entry_id, "--yes")

    assert entries(sam) == []
    assert entries(sam, "second", command="search") == []
    assert entries(sam, "first", command="search") == []


def test_deleting_someone_elses_entry_is_refused(sam: Peerlog) -> None:
    theirs = foreign_entry("alex wrote this", author="alex")
    drop_record(sam, theirs)
    before = snapshot(sam)

    result = sam("delete", theirs.id, "--yes")

    assert_clean_error(result, ExitCode.REFUSED, "alex")
    assert snapshot(sam) == before
    assert [e["id"] for e in entries(sam)] == [theirs.id]
