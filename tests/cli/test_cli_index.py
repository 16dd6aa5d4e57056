"""The index (store/index.py) through the CLI: losing or damaging it costs one rebuild, never a
wrong answer or a crash; folders that just changed are listed again; concurrent processes are
safe; and `search` finds phrases and prefixes, ranked, whatever the user types."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from cli_support import (
    FIXED_NOW,
    ExitCode,
    Peerlog,
    age_tree,
    assert_clean_error,
    count_decodes,
    drop_record,
    entries,
    ok,
    write,
)

from peerlog.records import Entry, new_record_id
from peerlog.store.index import INDEX_NAME
from peerlog.store.schema import FORMAT

HOUR = timedelta(hours=1)


def index_files(peerlog: Peerlog) -> list[Path]:
    return sorted(peerlog.cache.glob(f"*/{INDEX_NAME}"))


@pytest.fixture
def journal(sam: Peerlog) -> Peerlog:
    """Five entries, one edited and one deleted; the index built, the folders settled."""
    ids = [write(sam, f"entry {n} by the river", now=FIXED_NOW + n * HOUR) for n in range(5)]
    ok(sam("edit", ids[1], "entry 1 rewritten #changed", now=FIXED_NOW + 6 * HOUR))
    ok(sam("delete", ids[3], "--yes", now=FIXED_NOW + 7 * HOUR))
    age_tree(sam.home / "journal")
    return sam


def listing(peerlog: Peerlog) -> list[tuple[str, str]]:
    return [(e["id"], e["text"]) for e in entries(peerlog, "-n", "10")]


EXPECTED = [
    "entry 4 by the river",
    "entry 2 by the river",
    "entry 1 rewritten #changed",
    "entry 0 by the river",
]


def test_the_listing_is_what_the_files_say(journal: Peerlog) -> None:
    assert [text for _, text in listing(journal)] == EXPECTED
    [index] = index_files(journal)
    assert index.stat().st_mode & 0o777 == 0o600


def test_a_deleted_index_is_rebuilt_with_the_same_answers(
    journal: Peerlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = listing(journal)
    for path in journal.cache.glob(f"*/{INDEX_NAME}*"):
        path.unlink()
    with monkeypatch.context() as patch:
        decodes = count_decodes(patch)
        assert listing(journal) == before
    assert decodes.count == 7  # every record file, once
    assert index_files(journal)


@pytest.mark.parametrize(
    "damage",
    ["truncated", "garbage", "empty", "other format", "foreign tables", "bad rows"],
)
def test_a_damaged_index_costs_one_rebuild_never_a_wrong_answer(
    journal: Peerlog, damage: str
) -> None:
    before = listing(journal)
    [index] = index_files(journal)
    if damage in ("truncated", "garbage", "empty"):
        checkpoint = sqlite3.connect(index)  # everything into the main file, then no WAL
        checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        checkpoint.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{index}{suffix}").unlink(missing_ok=True)
    data = index.read_bytes()
    if damage == "truncated":
        index.write_bytes(data[: len(data) // 3])
    elif damage == "garbage":
        index.write_bytes(os.urandom(len(data)))
    elif damage == "empty":
        index.write_bytes(b"")
    else:
        db = sqlite3.connect(index)
        if damage == "other format":
            db.execute(f"PRAGMA user_version = {FORMAT + 1}")
        elif damage == "foreign tables":
            db.executescript("DROP TABLE records; CREATE TABLE records (x);")
        else:
            db.execute("UPDATE records SET fields = '{\"nonsense\": 1}'")
        db.commit()
        db.close()
    assert listing(journal) == before
    assert listing(journal) == before  # and the rebuilt index holds
    search = entries(journal, "river", command="search")
    assert sorted(e["text"] for e in search) == sorted(EXPECTED[:2] + EXPECTED[3:])


def test_an_index_of_another_format_is_made_anew_in_place(journal: Peerlog) -> None:
    """Every table of this format is dropped and made again in the same file: a change of
    format is not damage (the file is not deleted and made again)."""
    before = listing(journal)
    [index] = index_files(journal)
    inode = index.stat().st_ino
    db = sqlite3.connect(index)
    db.execute(f"PRAGMA user_version = {FORMAT - 1}")
    db.commit()
    db.close()
    assert listing(journal) == before
    assert index.stat().st_ino == inode
    db = sqlite3.connect(index)
    assert db.execute("PRAGMA user_version").fetchone() == (FORMAT,)
    assert db.execute("SELECT count(*) FROM made").fetchone() == (1,)
    db.close()


def test_a_cache_that_cannot_hold_an_index_still_answers(journal: Peerlog) -> None:
    before = listing(journal)
    for folder in list(journal.cache.iterdir()):
        shutil.rmtree(folder)
        folder.write_text("a file where the cache folder should be")
    assert listing(journal) == before  # an index in memory, for this run


def test_a_file_arriving_in_a_settled_folder_is_seen(journal: Peerlog) -> None:
    listing(journal)
    arrived = _entry_for(journal, 10, "arrived by sync")
    drop_record(journal, arrived)
    assert listing(journal)[0] == (arrived.id, "arrived by sync")


def _entry_for(peerlog: Peerlog, hours: int, body: str) -> Entry:
    moment = FIXED_NOW + hours * HOUR
    return Entry(
        id=new_record_id(moment),
        author="sam",
        device=peerlog.device,
        clock=50 + hours,
        created=moment,
        when=moment,
        body=body,
    )


def test_a_folder_that_just_changed_is_listed_again_next_time(
    journal: Peerlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The racy case (notmuch, git): a folder listed moments after it changed is listed again
    next time even if its mtime is the same, so a file landing in the same clock tick as that
    listing is never missed. (File times are the file system's, so this test uses real time.)"""
    listing(journal)
    [month] = {p.parent for p in (journal.home / "journal").rglob("*.md")}
    drop_record(journal, _entry_for(journal, 10, "arrived just now"))
    stamp = time.time_ns()
    os.utime(month, ns=(stamp, stamp))
    assert listing(journal)[0][1] == "arrived just now"
    drop_record(journal, _entry_for(journal, 11, "landed in the same tick"))
    os.utime(month, ns=(stamp, stamp))  # a coarse clock: the mtime did not move
    with monkeypatch.context() as patch:
        decodes = count_decodes(patch)
        assert listing(journal)[0][1] == "landed in the same tick"
    assert decodes.count == 1  # only the new file is parsed


def test_skipped_files_are_reported_from_the_index_too(journal: Peerlog) -> None:
    [month] = {p.parent for p in (journal.home / "journal").rglob("*.md")}
    bad = month / (new_record_id(FIXED_NOW) + ".md")
    bad.write_text("not a record")
    age_tree(journal.home / "journal")
    for _ in range(2):  # read, then warm
        result = journal("list", "-n", "10")
        assert result.exit_code == 0
        assert bad.name in result.stderr


# --- concurrent processes ---------------------------------------------------------------------

_WORKER = """
import os, sys
from peerlog.cli.app import main
sys.argv = ["peerlog", *sys.argv[1:]]
main()
"""


def test_concurrent_writers_and_readers_are_safe(sam: Peerlog, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PEERLOG_HOME": str(sam.home),
        "PEERLOG_CACHE_DIR": str(sam.cache),
        "NO_COLOR": "1",
    }
    script = tmp_path / "worker.py"
    script.write_text(_WORKER)
    procs = []
    for n in range(6):
        procs.append(
            subprocess.Popen(
                [sys.executable, str(script), "write", f"parallel {n}"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
        procs.append(
            subprocess.Popen(
                [sys.executable, str(script), "list", "--json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
        assert b"Traceback" not in err
    texts = sorted(e["text"] for e in json.loads(ok(sam("list", "--json", now=None))))
    assert texts == [f"parallel {n}" for n in range(6)]


# --- search -------------------------------------------------------------------------------------


@pytest.fixture
def searchable(sam: Peerlog) -> Peerlog:
    write(sam, "We walked along the canal path", now=FIXED_NOW - 3 * HOUR)
    write(sam, "The path by the canal was flooded", now=FIXED_NOW - 2 * HOUR)
    write(sam, "Walking is a canal canal canal thing", now=FIXED_NOW - HOUR)
    write(sam, "Pathways and sidewalks", now=FIXED_NOW)
    return sam


def found(peerlog: Peerlog, *query: str) -> list[str]:
    return [e["text"] for e in entries(peerlog, *query, command="search")]


def test_a_phrase_must_appear_as_written(searchable: Peerlog) -> None:
    assert found(searchable, '"canal path"') == ["We walked along the canal path"]
    assert found(searchable, '"path by the"') == ["The path by the canal was flooded"]
    assert found(searchable, '"canal was"', "path") == ["The path by the canal was flooded"]


def test_a_prefix_must_start_a_word(searchable: Peerlog) -> None:
    assert sorted(found(searchable, "walk*")) == [
        "Walking is a canal canal canal thing",
        "We walked along the canal path",
    ]
    # a plain word is found anywhere, as before
    assert "Pathways and sidewalks" in found(searchable, "walk")


def test_results_are_ranked_then_newest_first(searchable: Peerlog) -> None:
    assert found(searchable, "canal")[0] == "Walking is a canal canal canal thing"
    for n in range(3):  # equally good matches
        write(searchable, f"same words here {n}", now=FIXED_NOW + (n + 1) * HOUR)
    assert found(searchable, "same words") == [f"same words here {n}" for n in (2, 1, 0)]


def test_a_page_of_results_is_the_first_page_of_all_of_them(searchable: Peerlog) -> None:
    """`search -n` reads only a page of the ranked candidates, and more when the fold turns
    them down (here: the best matches were edited since, and no longer match)."""
    for n in range(15):
        write(searchable, f"canal canal canal canal {n}", now=FIXED_NOW + (n + 1) * HOUR)
    for e in entries(searchable, "canal", "--since", "today", command="search"):
        if e["text"].startswith("canal canal"):
            ok(searchable("edit", e["id"], f"dry {e['text'][-2:]}"))
    every = found(searchable, "canal")
    assert len(every) == 3 and "Walking is a canal canal canal thing" in every
    assert found(searchable, "canal", "-n", "2") == every[:2]
    assert found(searchable, "canal", "-n", "1") == every[:1]


def test_short_words_and_edits_are_still_found(searchable: Peerlog) -> None:
    assert found(searchable, "is", "canal") == ["Walking is a canal canal canal thing"]
    [entry] = entries(searchable, "flooded", command="search")
    ok(searchable("edit", entry["id"], "The path was dry today"))
    assert found(searchable, "flooded") == []
    assert found(searchable, "dry") == ["The path was dry today"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unclosed phrase',
        "AND",
        "OR NOT",
        "NEAR(a b)",
        "col:umn",
        "^caret",
        "a*b",
        "(",
        "{x}",
        "'",
        "canal AND",
        "*",
        "**",
        "\\",
        "%_",
    ],
)
def test_no_query_syntax_reaches_the_user(searchable: Peerlog, query: str) -> None:
    result = searchable("search", query, "--json")
    if result.exit_code == ExitCode.USAGE:
        assert_clean_error(result, ExitCode.USAGE, "Nothing to search for")
        return
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert isinstance(json.loads(result.stdout), list)


def test_fts_words_in_the_text_are_plain_words(sam: Peerlog) -> None:
    write(sam, "going NEAR the AND gate, col:umn")
    assert found(sam, "NEAR") == ["going NEAR the AND gate, col:umn"]
    assert found(sam, "col:umn") == ["going NEAR the AND gate, col:umn"]
    assert found(sam, '"the and gate"') == ["going NEAR the AND gate, col:umn"]
