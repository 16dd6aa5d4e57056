"""The index of one record root: a SQLite database in the user cache dir (DESIGN §2.5).

The folder of record files is the truth; the index only remembers what reading it found, so that
a command asks SQL for its candidates (newest N, a tag, an author, dates, an id prefix, words of
text) instead of parsing every file. Tables:

- `folders`: each month folder's mtime and when it was last listed. A folder is listed again
  when its mtime changed, or when it was listed less than `RACY_NS` after it changed (the
  "racily clean" rule of notmuch and git: a coarse clock could hide a file added in that time).
- `records`: one row per record file, with the columns queries select on, the front matter
  (as tagged JSON, rebuilt into a record by the same `record_from_fields` a file goes through),
  the body, and the result of checking the record's signature (checked once, on entry).
- `problems`: the files that were skipped, and why.
- `texts`: FTS5 (trigram) over each entry's and revision's case-folded text and tags.

`PRAGMA user_version` names the format: an index of another format, a truncated or garbage
file, or one that cannot be opened is deleted and rebuilt by one scan; nothing is ever lost,
since nothing here is the only copy. WAL, a busy timeout and short write transactions keep
concurrent peerlog processes safe. Never lives in a space; never decides what records mean.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peerlog.classes import dataclass
from peerlog.errors import StorageError
from peerlog.records import Record
from peerlog.records.model import MAX_CLOCK
from peerlog.store.publish import LinkRefused, ensure_dir
from peerlog.store.rows import IndexDamaged, micros, records_of, row_of, text_of
from peerlog.store.scan import (
    MISSING_ROOT,
    MonthDir,
    Problem,
    month_dirs,
    read_record,
    record_files,
)

if TYPE_CHECKING:
    from peerlog.store.record_store import Trust

__all__ = ["TRIGRAM", "Candidates", "IndexDamaged", "RecordIndex", "micros"]

FORMAT = 3  # PRAGMA user_version: bump it when the tables or what a row holds change
INDEX_NAME = "index.sqlite"
RACY_NS = 3_000_000_000  # a folder listed less than 3 s after it changed is listed again
BUSY_MS = 30_000  # how long to wait for another peerlog process's write

_SCHEMA = """
CREATE TABLE folders (rel TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, scanned_ns INTEGER NOT NULL);
CREATE TABLE records (
    path TEXT PRIMARY KEY,
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
    tags TEXT NOT NULL,
    fields TEXT NOT NULL,
    body TEXT NOT NULL,
    verified INTEGER
);
CREATE INDEX records_folder ON records (folder);
CREATE INDEX records_id ON records (id);
CREATE INDEX records_refers ON records (refers);
CREATE INDEX records_newest ON records (type, at, clock, id);
CREATE INDEX records_clock ON records (clock);
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
CREATE TABLE generation (n INTEGER NOT NULL);
INSERT INTO generation VALUES (0);
CREATE TABLE trust_problems (made_for TEXT NOT NULL, path TEXT, reason TEXT, kind TEXT);
"""
_TABLES = ("texts", "records", "problems", "folders", "generation", "trust_problems")
_COLUMNS = "type, known, fields, body"


@dataclass(frozen=True, slots=True)
class Candidates:
    """What SQL narrows a listing to: records of `types` (entries, or entries and check-ins)
    whose `at` is in [since, until) (microseconds, see `micros`), by one of `authors`, where
    some version carries every tag key of `tags` and holds
    every case-folded string of `texts` (each at least `TRIGRAM` characters). Folding the
    candidates decides what is shown: this may only ever choose too many."""

    types: tuple[str, ...] = ("entry",)
    since: int | None = None
    until: int | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()


TRIGRAM = 3  # FTS5's trigram index finds strings of at least three characters


class RecordIndex:
    """The index of the records under `root`, kept in `folder`."""

    def __init__(
        self,
        root: Path,
        folder: Path,
        *,
        bound: Callable[[], int] | None = None,
        must_exist: bool = False,
        trust: Trust | None = None,
    ) -> None:
        self.root = root
        # Who may speak (a space's trust, fold/trust.py): applied to every read of records,
        # with the records it decides by (`Trust.reads`) read once per refresh.
        self.trust = trust
        self._deciders: list[Record] | None = None
        self.must_exist = must_exist  # a space's folder: missing, it is reported (and empty)
        self._blocked: list[Problem] = []  # folders that could not be read: said every time
        # The highest logical clock a record may carry now: a record beyond it is not counted
        # (and is reported) until its time comes. Checked on every read, never stored.
        self.bound = bound or (lambda: MAX_CLOCK)
        self.path = folder / INDEX_NAME
        self._db: sqlite3.Connection | None = None
        self._fresh = False  # refreshed from the folder during this process

    # --- opening, and rebuilding what is damaged ------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        for _attempt in range(2):
            try:
                ensure_dir(self.path.parent, 0o700, within=self.path.parent.parent)
                # Created private: SQLite gives its -wal and -shm files the database's mode.
                flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                os.close(os.open(self.path, flags, 0o600))
                db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
                self._prepare(db)
                return db
            except sqlite3.DatabaseError:
                self._delete_files()  # not a database: made anew
            except (OSError, LinkRefused):
                break  # a cache dir that cannot hold it: an index in memory for this run
        db = sqlite3.connect(":memory:", isolation_level=None)
        self._prepare(db)
        return db

    @staticmethod
    def _prepare(db: sqlite3.Connection) -> None:
        db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        # A deletable cache: a write torn by a crash is damage, found and rebuilt, never loss.
        db.execute("PRAGMA synchronous = OFF")
        if db.execute("PRAGMA user_version").fetchone()[0] == FORMAT:
            return
        db.execute("PRAGMA journal_mode = WAL")
        with _writing(db):
            if db.execute("PRAGMA user_version").fetchone()[0] != FORMAT:  # another process?
                for table in _TABLES:
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {FORMAT}")

    def _delete_files(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = self._connect()
        return self._db

    def _guarded(self, work: Any, *args: Any) -> Any:
        """Bring the index up to date, then run `work(*args)`; if the index turns out damaged
        (a truncated or garbage file, rows a scan never writes), delete it, rebuild it by one
        scan and run `work` again."""
        try:
            if not self._fresh:
                self._deciders = None
                self._refresh()
                self._fresh = True
            return work(*args)
        except (sqlite3.DatabaseError, IndexDamaged) as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise StorageError(  # nothing is damaged: another process holds it too long
                    f"The index {self.path} is still locked by another peerlog.",
                    hint="Try again in a moment.",
                ) from None
            self._delete_files()
            self._deciders = None
            self._refresh()
            self._fresh = True
            return work(*args)

    def forget(self) -> None:
        """Delete the index: every later read lists and parses the files as they are now."""
        self._delete_files()
        self._fresh = False

    def remembered(self) -> list[Record]:
        """Every record as the index first read it, without looking at the folder (`doctor`
        compares them with the files as they are now)."""
        try:
            return self._rows("1", (), trusted=False)
        except (sqlite3.DatabaseError, IndexDamaged):
            return []

    def changed(self) -> None:
        """Files were published: look at the folders again before the next read."""
        self._fresh = False

    # --- keeping it in step with the folder -------------------------------------------------

    def refresh(self) -> None:
        """List again every month folder that is new, changed, or racily clean; read only the
        files that are new or changed; forget what is gone. Once per process, unless told of a
        change."""
        self._guarded(lambda: None)

    def _refresh(self) -> None:
        db = self.db
        known = {
            rel: (mtime, scanned)
            for rel, mtime, scanned in db.execute("SELECT rel, mtime_ns, scanned_ns FROM folders")
        }
        self._blocked = []
        missing = self.must_exist and not self.root.is_dir()
        months = [] if missing else month_dirs(self.root, self._blocked)
        stale = [
            (month, mtime)
            for month, mtime in months
            if (seen := known.get(month.rel)) is None
            or seen[0] != mtime
            or seen[1] - mtime <= RACY_NS
        ]
        gone = known.keys() - {month.rel for month, _ in months}
        if not stale and not gone:
            return
        # Read the files before taking the write lock, so another process waits only for the
        # writing. Two processes doing the same work write the same rows.
        listings = [(month, mtime, time.time_ns(), self._listing(month)) for month, mtime in stale]
        with _writing(db):
            for rel in gone:
                db.execute(
                    "DELETE FROM texts WHERE rowid IN (SELECT rowid FROM records WHERE folder = ?)",
                    (rel,),
                )
                for table in ("records", "problems"):
                    db.execute(f"DELETE FROM {table} WHERE folder = ?", (rel,))
                db.execute("DELETE FROM folders WHERE rel = ?", (rel,))
            for month, mtime, scanned, (keep, read) in listings:
                self._store_month(month, mtime, scanned, keep, read)
            db.execute("UPDATE generation SET n = n + 1")  # what was derived from all is stale

    def _listing(self, month: MonthDir) -> tuple[set[str], list[tuple[str, int, int, Any]]]:
        """(names of files unchanged since the index saw them, files read anew)."""
        indexed = {
            name: (size, mtime)
            for table in ("records", "problems")
            for name, size, mtime in self.db.execute(
                f"SELECT substr(path, ?), size, mtime_ns FROM {table} WHERE folder = ?",
                (len(month.rel) + 2, month.rel),
            )
        }
        keep, read = set(), []
        for name, size, mtime in record_files(month):
            if indexed.get(name) == (size, mtime):
                keep.add(name)
            else:
                read.append((name, size, mtime, read_record(month, name, size)))
        return keep, read

    def _store_month(
        self,
        month: MonthDir,
        mtime: int,
        scanned: int,
        keep: set[str],
        read: list[tuple[str, int, int, Any]],
    ) -> None:
        db, rel = self.db, month.rel
        for table in ("records", "problems"):
            for rowid, path in db.execute(
                f"SELECT rowid, path FROM {table} WHERE folder = ?", (rel,)
            ).fetchall():
                if path[len(rel) + 1 :] not in keep:
                    if table == "records":
                        db.execute("DELETE FROM texts WHERE rowid = ?", (rowid,))
                    db.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
        for name, size, file_mtime, item in read:
            path = f"{rel}/{name}"
            if isinstance(item, Problem):
                db.execute(
                    "INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?)",
                    (path, rel, size, file_mtime, item.reason, item.kind),
                )
            else:
                self._insert(path, rel, size, file_mtime, item)
        db.execute(
            "INSERT INTO folders VALUES (?, ?, ?) ON CONFLICT (rel) DO UPDATE SET"
            " mtime_ns = excluded.mtime_ns, scanned_ns = excluded.scanned_ns",
            (rel, mtime, scanned),
        )

    def _insert(self, path: str, rel: str, size: int, mtime: int, record: Record) -> None:
        # Its signature was checked as the file was read (store/codec.py): a record that names
        # a key is one that key signed. Never checked again on a read of the index.
        verified = 1 if getattr(record, "key", "") else 0
        cursor = self.db.execute(
            "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (path, rel, size, mtime, *row_of(record), verified),
        )
        text = text_of(record)
        if text is not None:
            self.db.execute(
                "INSERT INTO texts (rowid, folded) VALUES (?, ?)", (cursor.lastrowid, text)
            )

    # --- reading -----------------------------------------------------------------------------

    def _rows(self, where: str, params: Sequence[object], *, trusted: bool = True) -> list[Record]:
        sql = f"SELECT {_COLUMNS} FROM records WHERE ({where}) AND clock <= ?"
        records = records_of(self.db.execute(sql, (*params, self.bound())).fetchall())
        if self.trust is None or not trusted:
            return records
        chosen = {id(record) for record in records}
        kept, _ = self.trust.apply([*records, *self._trust_deciders()])
        # A record trust shows without counting is a marked copy, and never one of the
        # deciders (it never shows those): so it is one of the chosen.
        return [record for record in kept if id(record) in chosen or record.standing]

    def _trust_deciders(self) -> list[Record]:
        """The records trust decides by (a space's admissions, approvals, revocations, ...),
        as they count now; they judge any records chosen beside them (repeats change nothing)."""
        if self._deciders is None:
            assert self.trust is not None
            names = [cls.TYPE for cls in self.trust.reads]
            marks = ", ".join("?" * len(names)) or "NULL"
            self._deciders = self._rows(f"type IN ({marks})", names, trusted=False)
        return self._deciders

    def judge(self, record: Record) -> Record | None:
        """`record`, just published here, as trust sees it beside the records trust decides by:
        itself when it counts, a marked copy when it is only shown, None when it is left out.
        It is judged first by what the index last read, without listing a folder (a space
        that had no such records then is open): writing stays as cheap as it was. Only a
        record that would not count is judged again, once the index is up to date."""
        trust = self.trust
        if trust is None:
            return record
        names = [cls.TYPE for cls in trust.reads]
        marks = ", ".join("?" * len(names)) or "NULL"
        try:
            sql = f"SELECT 1 FROM records WHERE type IN ({marks}) LIMIT 1"
            if self.db.execute(sql, names).fetchone() is None:
                return record
            judged = self._judged(record, trust)
            if judged is not record:
                self.refresh()
                judged = self._judged(record, trust)
        except (sqlite3.DatabaseError, IndexDamaged, StorageError):
            return record  # damaged or busy: the record is saved, this write says nothing
        return judged

    def _judged(self, record: Record, trust: Trust) -> Record | None:
        kept, _ = trust.apply([record, *self._trust_deciders()])
        return next((r for r in kept if r is record or (r.standing and r.id == record.id)), None)

    def untrusted(self) -> list[Record]:
        """Every record, trust not applied (what `space show` and membership judge by)."""
        result: list[Record] = self._guarded(lambda: self._rows("1", (), trusted=False))
        return result

    def _trust_problems(self) -> list[Problem]:
        """What trust says of the records it leaves out. Only a space with records of the
        kinds trust decides by can leave any out; that costs reading every record, so the
        answer is kept for the index's generation (bumped whenever a folder's files change)
        and the records that count now (the clock bound moves with time)."""
        if self.trust is None or not self._trust_deciders():
            return []
        db = self.db
        (generation,) = db.execute("SELECT n FROM generation").fetchone()
        (ahead,) = db.execute(
            "SELECT count(*) FROM records INDEXED BY records_clock WHERE clock > ?",
            (self.bound(),),
        ).fetchone()
        made_for = f"{generation}:{ahead}"
        kept = db.execute(
            "SELECT path, reason, kind FROM trust_problems WHERE made_for = ?", (made_for,)
        ).fetchall()
        if kept:
            return [Problem(path, reason, kind) for path, reason, kind in kept if path is not None]
        _, problems = self.trust.apply(self._rows("1", (), trusted=False))
        # One row at least, so that "nothing left out" is remembered too.
        rows: list[tuple[str, str | None, str | None, str | None]] = [
            (made_for, p.path, p.reason, p.kind) for p in problems
        ] or [(made_for, None, None, None)]
        with _writing(db):
            db.execute("DELETE FROM trust_problems")
            db.executemany("INSERT INTO trust_problems VALUES (?, ?, ?, ?)", rows)
        return problems

    def select(self, where: str = "1", params: Sequence[object] = ()) -> list[Record]:
        """The records matching an SQL condition over the `records` columns."""
        result: list[Record] = self._guarded(self._rows, where, params)
        return result

    def of_types(self, types: Sequence[str]) -> list[Record]:
        """Every record of these types (`tags`: the entries with their revisions and
        deletions, without following references one by one)."""
        marks = ", ".join("?" * len(types)) or "NULL"
        return self.select(f"type IN ({marks})", tuple(types))

    def values(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Rows of any query over the index (ids, counts, ranks)."""
        result: list[tuple[Any, ...]] = self._guarded(
            lambda: self.db.execute(sql, params).fetchall()
        )
        return result

    def with_related(self, ids: Iterable[str], *, skip_types: Sequence[str] = ()) -> list[Record]:
        """The records with these ids, and every record that refers to one of them, and so on
        (an entry's revisions, replies and deletions, a goal's events): what folding them
        needs. Records of `skip_types` are left out (a goal's logs, when only its terms count)
        unless their ids are among `ids`."""
        result: list[Record] = self._guarded(self._related, list(ids), tuple(skip_types))
        return result

    def _related(self, ids: list[str], skip_types: tuple[str, ...]) -> list[Record]:
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (id TEXT PRIMARY KEY, seed INTEGER)")
        db.execute("DELETE FROM wanted")
        db.executemany("INSERT OR IGNORE INTO wanted VALUES (?, 1)", ((i,) for i in ids))
        skip = ", ".join("?" * len(skip_types)) or "''"
        # A record of a skipped type still counts when another record claims its id: which of
        # the two the fold keeps is decided between them.
        kept = (
            f"(r.type NOT IN ({skip}) OR EXISTS (SELECT 1 FROM records x INDEXED BY records_id"
            f" WHERE x.id = r.id AND x.type NOT IN ({skip})))"
        )
        db.execute(
            f"""WITH RECURSIVE linked (id) AS (
                SELECT id FROM wanted
                UNION SELECT r.id FROM records r JOIN linked l ON r.refers = l.id WHERE {kept}
            ) INSERT OR IGNORE INTO wanted SELECT id, 0 FROM linked""",
            skip_types * 2,
        )
        return self._rows(
            "rowid IN (SELECT r.rowid FROM records r JOIN wanted w ON r.id = w.id"
            f" WHERE w.seed OR {kept})",
            skip_types * 2,
        )

    def ids(self, types: Sequence[str], prefix: str = "") -> list[str]:
        """The ids of the records of `types`, or of those whose id starts with `prefix`."""
        marks = ", ".join("?" * len(types)) or "NULL"
        sql = f"SELECT DISTINCT id FROM records WHERE type IN ({marks})"
        params: list[object] = list(types)
        if prefix:
            sql += " AND substr(id, 1, ?) = ?"
            params += [len(prefix), prefix]
        return [row[0] for row in self.values(sql, params)]

    def ids_since(self, types: Sequence[str], since: int) -> list[str]:
        """The ids of the records of `types` whose `at` is `since` or later, and of the records
        they refer to (a recent reply's entry)."""
        marks = ", ".join("?" * len(types)) or "''"
        rows = self.values(
            f"SELECT id, refers FROM records WHERE type IN ({marks}) AND at >= ?",
            (*types, since),
        )
        return [i for row in rows for i in row if i is not None]

    def newest_of_each_author(self, type_name: str) -> list[str]:
        """The id of each author's newest record of one type."""
        rows = self.values(
            "SELECT id FROM records r WHERE type = ? AND at = (SELECT max(at) FROM records"
            " WHERE type = r.type AND author = r.author)",
            (type_name,),
        )
        return [row[0] for row in rows]

    def candidates(
        self, wanted: Candidates, limit: int | None = None
    ) -> list[tuple[str, float, int, int]]:
        """(id, rank, at, clock) of the records `wanted` chooses, best first: by text rank
        (FTS5's bm25, lower is better; 0 without texts), then newest first."""
        marks = ", ".join("?" * len(wanted.types)) or "NULL"
        where = [f"e.type IN ({marks})"]
        params: list[object] = list(wanted.types)
        if wanted.since is not None:
            where.append("e.at >= ?")
            params.append(wanted.since)
        if wanted.until is not None:
            where.append("e.at < ?")
            params.append(wanted.until)
        if wanted.authors:
            where.append(f"e.author IN ({', '.join('?' * len(wanted.authors))})")
            params += wanted.authors
        of_entry = "CASE v.type WHEN 'revision' THEN v.refers ELSE v.id END"
        for tag in wanted.tags:
            where.append(
                f"e.id IN (SELECT {of_entry} FROM records v"
                " WHERE v.type IN ('entry', 'revision') AND instr(v.tags, ?) > 0)"
            )
            params.append(f"\n{tag}\n")
        rank, source, hits = "0", "records e", ""
        if wanted.texts:
            # Materialised: bm25() works only in the query that does the MATCH itself.
            hits = (
                "WITH hit AS MATERIALIZED (SELECT rowid, bm25(texts) AS rank FROM texts"
                " WHERE texts MATCH ?),"
                f" m AS MATERIALIZED (SELECT {of_entry} AS entry, min(hit.rank) AS rank"
                " FROM hit CROSS JOIN records v ON v.rowid = hit.rowid GROUP BY entry) "
            )
            # The matches lead: each finds its entry by the id index.
            source = "m CROSS JOIN records e INDEXED BY records_id ON e.id = m.entry"
            params.insert(0, " AND ".join(_fts_string(text) for text in wanted.texts))
            rank = "m.rank"
        sql = (
            f"{hits}SELECT e.id, {rank}, e.at, e.clock FROM {source}"
            f" WHERE {' AND '.join(where)} ORDER BY 2, e.at DESC, e.clock DESC, e.id DESC"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [(i, float(r), int(a), int(c)) for i, r, a, c in self.values(sql, params)]

    def problems(self) -> list[Problem]:
        """Every file that was skipped, and every record from the future (see `bound`)."""
        rows = self.values("SELECT path, reason, kind FROM problems ORDER BY path")
        found = [Problem(path, reason, kind) for path, reason, kind in rows] + self._blocked
        found += self._guarded(self._trust_problems)
        if self.must_exist and not self.root.is_dir():
            found.insert(0, Problem(".", MISSING_ROOT, "missing"))
        ahead = self.values(
            "SELECT path, clock FROM records INDEXED BY records_clock WHERE clock > ?"
            " ORDER BY path",
            (self.bound(),),
        )
        found += [
            Problem(
                path,
                f"its logical clock ({clock}) is more than a day ahead of this machine's time, "
                "so it is not counted until then",
                "future-clock",
            )
            for path, clock in ahead
        ]
        return found

    def highest_clock(self) -> int:
        """The highest logical clock among the records that count now."""
        rows = self.values("SELECT max(clock) FROM records WHERE clock <= ?", (self.bound(),))
        return int(rows[0][0] or 0)


@contextlib.contextmanager
def _writing(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at once (other processes wait, never deadlock)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _fts_string(text: str) -> str:
    """One FTS5 string: quoted, so nothing a user types is read as query syntax."""
    return '"' + text.replace('"', '""') + '"'
