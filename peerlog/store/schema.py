"""The tables of the index (store/index.py) and how a database gets them: the format number,
the schema, its triggers, and the one write transaction every writer takes.

`PRAGMA user_version` names the format: a database of another format has its tables dropped
and made anew (the index is a cache; nothing in it is the only copy). Owns no query and reads
no record.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

FORMAT = 8  # PRAGMA user_version: bump it when the tables or what a row holds change

SCHEMA = """
CREATE TABLE folders (rel TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, scanned_ns INTEGER NOT NULL);
CREATE TABLE records (
    path TEXT NOT NULL UNIQUE,
    folder TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    known INTEGER NOT NULL,
    author TEXT NOT NULL,
    clock INTEGER NOT NULL,
    at INTEGER NOT NULL,
    refers TEXT,
    fields TEXT NOT NULL,
    body TEXT NOT NULL,
    verified INTEGER,
    verdict INTEGER,
    row INTEGER PRIMARY KEY AUTOINCREMENT
);
CREATE INDEX records_folder ON records (folder);
CREATE INDEX records_id ON records (id, type);
CREATE INDEX records_refers ON records (refers, type, id);
CREATE INDEX records_newest ON records (type, at, clock, id);
CREATE INDEX records_author ON records (type, author, at);
CREATE INDEX records_clock ON records (clock);
CREATE INDEX records_unjudged ON records (clock) WHERE verdict IS NULL;
CREATE TABLE problems (
    path TEXT PRIMARY KEY,
    folder TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    reason TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX problems_folder ON problems (folder);
CREATE VIRTUAL TABLE texts USING fts5 (folded, tokenize = 'trigram');
CREATE TABLE tags (row INTEGER NOT NULL, key TEXT NOT NULL, tag TEXT NOT NULL);
CREATE INDEX tags_row ON tags (row);
CREATE INDEX tags_key ON tags (key);
CREATE TABLE trust_basis (basis TEXT NOT NULL);
CREATE TABLE trust_problems (
    path TEXT NOT NULL, reason TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (kind, path, reason)
);
CREATE TABLE kept (name TEXT PRIMARY KEY, basis TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE made (token TEXT NOT NULL);
INSERT INTO made VALUES (lower(hex(randomblob(16))));
"""
# `records.row` is the rowid, never given twice (AUTOINCREMENT): a set of rows none of which has
# gone is known by its count and highest number (actions/summary.py keeps a sum on that basis).
# A record's tags and text go with it; one that trust left out may take a note of trust's with
# it: all are judged again.
_TRIGGER = """CREATE TRIGGER row_gone AFTER DELETE ON records BEGIN
    DELETE FROM tags WHERE row = old.rowid; DELETE FROM texts WHERE rowid = old.rowid;
    DELETE FROM trust_basis WHERE old.verdict = 0; END"""
_TABLES = (
    "tags",
    "texts",
    "records",
    "problems",
    "folders",
    "trust_basis",
    "trust_problems",
    "kept",
    "made",
)
_OLD_TABLES = ("generation",)  # dropped with the others on a change of format


def prepare(db: sqlite3.Connection, busy_ms: int) -> None:
    """Make `db` ready: its settings, and the tables of this format (dropped and made anew
    when it holds another)."""
    db.execute(f"PRAGMA busy_timeout = {busy_ms}")
    # A deletable cache: a write torn by a crash is damage, found and rebuilt, never loss.
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA temp_store = MEMORY")  # the `wanted` table and sorts: no temp file
    if db.execute("PRAGMA user_version").fetchone()[0] == FORMAT:
        return
    db.execute("PRAGMA journal_mode = WAL")
    with writing(db):
        if db.execute("PRAGMA user_version").fetchone()[0] != FORMAT:  # another process?
            for table in (*_TABLES, *_OLD_TABLES):
                db.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(_TRIGGER)
            db.execute(f"PRAGMA user_version = {FORMAT}")


@contextlib.contextmanager
def writing(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at once (other processes wait, never deadlock)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    written = getattr(db, "written", None)  # a sealed index (sealed_index.py): write it back
    if written is not None:
        written()
