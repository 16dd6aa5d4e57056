"""Trust's verdict on each row of a space's index (store/index.py), kept in the row.

A verdict is 0 (left out: trust's note on it is in `trust_problems`), 1 (counts), or 2 and up
(shown without counting, marked with one of `Trust.standings`). A record's verdict depends only
on itself and on the records trust decides by (`Trust.reads`), so a row is judged once, as it
enters; when what the verdicts were judged by (`trust_basis`) changes, all are judged again.
Trust itself is the pure fold of fold/trust.py: nothing here decides who may speak.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from peerlog.records import Record
from peerlog.store.rows import COLUMNS, records_of
from peerlog.store.schema import writing

if TYPE_CHECKING:
    from peerlog.store.record_store import Trust

UNJUDGED = "FROM records INDEXED BY records_unjudged WHERE verdict IS NULL AND clock <= ?"


def basis(db: sqlite3.Connection, trust: Trust, bound: int) -> str:
    """What trust's verdicts depend on: the records it decides by (`Trust.reads`: a
    space's admissions, approvals, revocations, ...) that count now, and what else it
    names (`Trust.basis`: who founded the space)."""
    sql = f"SELECT path, size, mtime_ns FROM records WHERE {of_types(trust)} AND clock <= ?"
    rows = db.execute(sql + " ORDER BY path", (bound,)).fetchall()
    return "\n".join([trust.basis(), *(f"{p} {size} {mtime}" for p, size, mtime in rows)])


def judge(db: sqlite3.Connection, trust: Trust, bound: int) -> None:
    """Keep trust's verdict on every record that counts now in its row, and its notes on
    those it leaves out in `trust_problems`.

    A record's verdict depends only on itself and on the records trust decides by (see
    `basis`): a new record of any other kind cannot change anyone else's. So a row is
    judged once, beside the deciders: as it enters (`_refresh`, with the record just read
    from its file), or here if it was not then (written by a process without trust, or
    from the future until now). When the basis changes (a decider arrives, goes or comes
    into time, another founder), every verdict is forgotten and every row judged again.
    Judged under the write lock: two processes judging at once write the same verdicts,
    one after the other."""
    stored = db.execute("SELECT basis FROM trust_basis").fetchone()
    if (
        stored == (basis(db, trust, bound),)
        and db.execute(f"SELECT 1 {UNJUDGED} LIMIT 1", (bound,)).fetchone() is None
    ):
        return  # the everyday case: nothing new since the last read
    with writing(db):
        judge_rows(db, trust, bound, {})


def judge_rows(
    db: sqlite3.Connection, trust: Trust, bound: int, entered: dict[int, Record]
) -> None:
    """`judge`, in a write transaction already taken; `entered` are records of rows it
    just wrote, as read from their files (not decoded from the rows again)."""
    now = basis(db, trust, bound)
    stored = db.execute("SELECT basis FROM trust_basis").fetchone()
    if stored != (now,):
        db.execute("UPDATE records SET verdict = NULL WHERE verdict IS NOT NULL")
        db.execute("DELETE FROM trust_problems")
        db.execute("DELETE FROM trust_basis")
        db.execute("INSERT INTO trust_basis VALUES (?)", (now,))
    rowids = [row[0] for row in db.execute(f"SELECT rowid {UNJUDGED}", (bound,))]
    if not rowids:
        return
    records = [record for rowid in rowids if (record := entered.get(rowid)) is not None]
    if len(records) < len(rowids):  # rows written earlier, or by another process
        rows = db.execute(f"SELECT rowid, {COLUMNS} {UNJUDGED}", (bound,)).fetchall()
        rowids, records = [row[0] for row in rows], records_of([row[1:] for row in rows])
    # The deciders judged before (none, when all is judged again) judge the rest.
    sql = f"SELECT {COLUMNS} FROM records WHERE {of_types(trust)} AND clock <= ?"
    deciders = records_of(db.execute(sql + " AND verdict IS NOT NULL", (bound,)).fetchall())
    kept, problems = trust.apply([*records, *deciders])
    db.executemany(
        "UPDATE records SET verdict = ? WHERE rowid = ?",
        _verdicts(trust, records, rowids, kept),
    )
    db.execute("UPDATE records SET verdict = 1 WHERE verdict IS NULL AND clock <= ?", (bound,))
    db.executemany(
        "INSERT OR IGNORE INTO trust_problems VALUES (?, ?, ?)",
        ((p.path, p.reason, p.kind) for p in problems),
    )


def _verdicts(
    trust: Trust, records: list[Record], rowids: list[int], kept: list[Record]
) -> list[tuple[int, int]]:
    """(verdict, rowid) of each row trust did not simply count: 0 when it left the record out,
    2 and up when it kept a copy marked with one of `Trust.standings`. Trust keeps what it is
    given in order, each record itself or its marked copy (an equal record), so one walk pairs
    them."""
    found, at = [], 0
    for record, rowid in zip(records, rowids, strict=True):
        mine = kept[at] if at < len(kept) else None
        if mine is record:
            at += 1
        elif mine is not None and mine.standing and mine == record:
            found.append((2 + trust.standings.index(mine.standing), rowid))
            at += 1
        else:
            found.append((0, rowid))
    return found


def of_types(trust: Trust) -> str:
    """An SQL condition: the records of the types `trust` decides by."""
    names = ", ".join(f"'{cls.TYPE}'" for cls in trust.reads)  # record type names: [a-z-]
    return f"type IN ({names or 'NULL'})"
