"""The index of one record root: a SQLite database in the user cache dir (DESIGN §2.5).

The folder of record files is the truth; the index only remembers what reading it found, so that
a command asks SQL for its candidates (newest N, a tag, an author, dates, an id prefix, words of
text) instead of parsing every file. Tables:

- `folders`: each month folder's mtime and when it was last listed. A folder is listed again
  when its mtime changed, or when it was listed less than `RACY_NS` after it changed (the
  "racily clean" rule of notmuch and git: a coarse clock could hide a file added in that time).
- `records`: one row per record file, with the columns queries select on, the front matter
  (as tagged JSON, rebuilt into a record by the same `record_from_fields` a file goes through),
  the body, the result of checking the record's signature (checked once, on entry), and, in a
  space, trust's verdict on it (`verdict`, store/verdicts.py): reads select only the rows that
  count, and those trust shows without counting (marked with their standing).
- `problems`: the files that were skipped, and why.
- `texts`: FTS5 (trigram) over each entry's and revision's case-folded text and tags.
- `tags`: each entry's and revision's tags, one row each (key and spelling), kept in step with
  `records` by a trigger. The queries that choose entries are in store/queries.py.
- `trust_basis` and `trust_problems`: what the verdicts were judged by, and what trust said of
  the records it left out.
- `kept`: a result worked out from the records (by a fold, not here), with the basis it holds
  on (`basis`, `keep`, `recall`); `made`: the token this database was made with.

`PRAGMA user_version` names the format (the tables are in store/schema.py): an index of another
format, a truncated or garbage file, or one that cannot be opened is deleted and rebuilt by one
scan; nothing is ever lost, since nothing here is the only copy. WAL, a busy timeout and short
write transactions keep concurrent peerlog processes safe. Never lives in a space; never decides
what records mean. The index of a sealed root is kept encrypted instead (store/sealed_index.py).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import weakref
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from peerlog.errors import StorageError
from peerlog.records import Record
from peerlog.records.tags import tag_key
from peerlog.store.publish import LinkRefused, ensure_dir
from peerlog.store.queries import MATCH_FUNCTION, TRIGRAM, Candidates, page_sql, tag_counts_sql
from peerlog.store.rows import COLUMNS, IndexDamaged, micros, records_of, row_of
from peerlog.store.scan import (
    MISSING_ROOT,
    MonthDir,
    Problem,
    from_the_future,
    month_dirs,
    read_record,
    record_files,
)
from peerlog.store.schema import prepare, writing
from peerlog.store.verdicts import judge, judge_rows, of_types

if TYPE_CHECKING:
    from peerlog.store.record_store import Trust
    from peerlog.store.seal import Seal

__all__ = ["TRIGRAM", "Candidates", "IndexDamaged", "RecordIndex", "micros"]

INDEX_NAME = "index.sqlite"
RACY_NS = 3_000_000_000  # a folder listed less than 3 s after it changed is listed again
BUSY_MS = 30_000  # how long to wait for another peerlog process's write
T = TypeVar("T")
# What listing a month folder found (`_listing`): the files it keeps, and those to read; what
# reading one of them found (`_read`). Both are kept under the write lock (`_store_month`).
Listing = tuple[MonthDir, int, int, set[str], list[tuple[str, int, int]]]
Read = tuple[str, int, int, Record | Problem]


class RecordIndex:
    """The index of the records under `root`, kept in `folder`."""

    def __init__(
        self,
        root: Path,
        folder: Path,
        *,
        bound: Callable[[], int],
        must_exist: bool = False,
        trust: Trust | None = None,
        seal: Seal | None = None,
    ) -> None:
        self.root = root
        self.seal = seal  # a sealed root: its keys, and an index kept encrypted
        # Who may speak (a space's trust, fold/trust.py): its verdict on each row is kept in
        # the row (store/verdicts.py), and every read of records selects the rows that count.
        self.trust = trust
        self.must_exist = must_exist  # a space's folder: missing, it is reported (and empty)
        self._blocked: list[Problem] = []  # folders that could not be read: said every time
        # The highest logical clock a record may carry now: a record beyond it is not counted
        # (and is reported) until its time comes. Checked on every read, never stored.
        self.bound = bound
        self.path = folder / INDEX_NAME
        self._db: sqlite3.Connection | None = None
        self._fresh = False  # refreshed from the folder during this process
        self._snapshot = False  # within `snapshot`

    # --- opening, and rebuilding what is damaged ------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        for _attempt in range(2):
            try:
                ensure_dir(self.path.parent, 0o700, within=self.path.parent.parent)
                if self.seal is not None:
                    from peerlog.store.sealed_index import connect_sealed

                    self._delete_files(sealed=False)  # a plain one (from before `encrypt`)
                    db = connect_sealed(self.path.parent, self.seal, BUSY_MS / 1000)
                else:
                    # Created private: SQLite gives its -wal and -shm files the database's mode.
                    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                    os.close(os.open(self.path, flags, 0o600))
                    db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
                prepare(db, BUSY_MS)
                return db
            except sqlite3.DatabaseError:
                self._delete_files()  # not a database: made anew
            except (OSError, LinkRefused):
                break  # a cache dir that cannot hold it: an index in memory for this run
        db = sqlite3.connect(":memory:", isolation_level=None)
        prepare(db, BUSY_MS)
        return db

    def _delete_files(self, *, sealed: bool = True) -> None:
        """Close the index and delete its files (with `sealed`, an encrypted one's too)."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._close()
            self._db = None
        files = [f"{self.path}{suffix}" for suffix in ("", "-wal", "-shm", "-journal")]
        for path in [*files, f"{self.path.parent}/index.sealed"] if sealed else files:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def _save_sealed(self) -> None:
        """A sealed index a write transaction changed: write it back, once."""
        save = getattr(self._db, "save_if_written", None)
        if save is not None:
            save()

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = self._connect()
            # Closed with the index, not at a garbage collection (a connection is a cycle with
            # its statement cache): an open one shares SQLite's memory of the file with the next
            # in this process, which would then read a file cut short since as if it were whole.
            self._close = weakref.finalize(self, self._db.close)
        return self._db

    def _guarded(self, work: Callable[[], T]) -> T:
        """Bring the index up to date, then run `work()`; if the index turns out damaged (a
        truncated or garbage file, rows a scan never writes), delete it, rebuild it by one
        scan and run `work` again. A sealed index this changed is written back before the
        answer (once, however many write transactions it took)."""
        try:
            if not self._fresh:
                if self.seal is not None and not self.seal.keys:
                    from peerlog.store.sealed_index import load_keys

                    load_keys(self.seal, self.path.parent)  # what the last run learned
                self._catch_up()
            result = work()
        except (sqlite3.DatabaseError, IndexDamaged) as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise StorageError(  # nothing is damaged: another process holds it too long
                    f"The index {self.path} is still locked by another peerlog.",
                    hint="Try again in a moment.",
                ) from None
            self._delete_files()
            self._catch_up()
            if self._snapshot:
                self.db.execute("BEGIN")
            result = work()
        self._save_sealed()
        return result

    def _catch_up(self) -> None:
        """Read what changed in the folder, learn a sealed space's keys, and give every row
        that has none yet trust's verdict (store/verdicts.py)."""
        self._refresh()
        self._learn_keys()
        if self.trust is not None:
            judge(self.db, self.trust, self.bound())
        self._fresh = True

    def _learn_keys(self) -> None:
        """A sealed space: learn the keys its grants give this device, and read again the
        files that could not be opened without them."""
        seal = self.seal
        if seal is None or seal.learn_keys is None:
            return
        from peerlog.store.sealed_index import learn_keys

        marks = ", ".join("?" * len(seal.learn_from)) or "NULL"
        grants = self._rows(f"type IN ({marks})", seal.learn_from, trusted=False)
        if learn_keys(seal, self.path.parent, grants, self.db):
            self._refresh()

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
        # Many files are read by copies of this process (store/parts.py), made before the
        # write lock is taken; what they read is written as it arrives, so the writing
        # overlaps the reading. Two processes doing the same work write the same rows.
        listings = [self._listing(month, mtime) for month, mtime in stale]
        entered: dict[int, Record] = {}  # rowid -> the record just read from its file
        with contextlib.closing(self._read(listings)) as reads, writing(db):
            for rel in gone:
                for table in ("records", "problems"):
                    db.execute(f"DELETE FROM {table} WHERE folder = ?", (rel,))
                db.execute("DELETE FROM folders WHERE rel = ?", (rel,))
            for listing in listings:
                read = [(*file, next(reads)) for file in listing[4]]
                self._store_month(listing, read, entered)
            if self.trust is not None:  # a row's verdict is filled as it enters
                judge_rows(self.db, self.trust, self.bound(), entered)

    def _listing(self, month: MonthDir, mtime: int) -> Listing:
        """(the month, its mtime, when it was listed, the names of its files unchanged since the
        index saw them, its files read anew)."""
        scanned = time.time_ns()
        indexed = {
            name: (size, mtime)
            for table in ("records", "problems")
            for name, size, mtime in self.db.execute(
                f"SELECT substr(path, ?), size, mtime_ns FROM {table} WHERE folder = ?",
                (len(month.rel) + 2, month.rel),
            )
        }
        keep, changed = set(), []
        for name, size, file_mtime in record_files(month):
            if indexed.get(name) == (size, file_mtime):
                keep.add(name)
            else:
                changed.append((name, size, file_mtime))
        return month, mtime, scanned, keep, changed

    def _read(self, listings: list[Listing]) -> Generator[Record | Problem, None, None]:
        """What each changed file of each listing holds, in order, as it is read (many at
        once: store/parts.py)."""
        from peerlog.store.parts import read_each  # a read with nothing new never reads a file

        seal = self.seal

        def read(item: tuple[MonthDir, str, int]) -> Record | Problem:
            month, name, size = item  # (the plain call stays as tests wrap it)
            return read_record(month, name, size) if seal is None else read_record(*item, seal)

        wanted = [(listing[0], name, size) for listing in listings for name, size, _ in listing[4]]
        return read_each(wanted, read)

    def _store_month(self, listing: Listing, read: list[Read], entered: dict[int, Record]) -> None:
        month, mtime, scanned, keep, _changed = listing
        db, rel = self.db, month.rel
        for table in ("records", "problems"):
            for rowid, path in db.execute(
                f"SELECT rowid, path FROM {table} WHERE folder = ?", (rel,)
            ).fetchall():
                if path[len(rel) + 1 :] not in keep:
                    db.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
        for name, size, file_mtime, item in read:
            path = f"{rel}/{name}"
            if isinstance(item, Problem):
                db.execute(
                    "INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?)",
                    (path, rel, size, file_mtime, item.reason, item.kind),
                )
            else:
                entered[self._insert(path, rel, size, file_mtime, item)] = item
        db.execute(
            "INSERT INTO folders VALUES (?, ?, ?) ON CONFLICT (rel) DO UPDATE SET"
            " mtime_ns = excluded.mtime_ns, scanned_ns = excluded.scanned_ns",
            (rel, mtime, scanned),
        )

    def _insert(self, path: str, rel: str, size: int, mtime: int, record: Record) -> int:
        # Its signature was checked as the file was read (store/codec.py): a record that names
        # a key is one that key signed. Never checked again on a read of the index.
        verified = 1 if getattr(record, "key", "") else 0
        row, tags, text = row_of(record)
        cursor = self.db.execute(
            "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            (path, rel, size, mtime, *row, verified),
        )
        rowid: int = cursor.lastrowid  # type: ignore[assignment]  # set by an INSERT
        if text is not None:
            self.db.execute("INSERT INTO texts (rowid, folded) VALUES (?, ?)", (rowid, text))
            self.db.executemany(
                "INSERT INTO tags VALUES (?, ?, ?)", [(rowid, tag_key(tag), tag) for tag in tags]
            )
        return rowid

    # --- reading -----------------------------------------------------------------------------

    def _rows(self, where: str, params: Sequence[object], *, trusted: bool = True) -> list[Record]:
        sql = f"SELECT {COLUMNS} FROM records WHERE ({where}) AND clock <= ?"
        if self.trust is None or not trusted:
            return records_of(self.db.execute(sql, (*params, self.bound())).fetchall())
        # judged before any read (store/verdicts.py): 1 counts, 2 and up is shown (`_marked`)
        sql = sql.replace(" FROM records", ", verdict FROM records", 1) + " AND verdict >= 1"
        rows = self.db.execute(sql, (*params, self.bound())).fetchall()
        return self._marked(records_of([row[:-1] for row in rows]), [row[-1] for row in rows])

    def _marked(self, records: list[Record], verdicts: Sequence[int]) -> list[Record]:
        """`records` as trust shows them: those only shown (a verdict of 2 and up) carry the
        standing `Trust.standings` names for their verdict."""
        standings = self.trust.standings if self.trust is not None else ()
        return [
            record if verdict == 1 else replace(record, standing=standings[verdict - 2])
            for record, verdict in zip(records, verdicts, strict=True)
        ]

    def judge(self, record: Record) -> Record | None:
        """`record`, just published here, as trust sees it beside the records trust decides by:
        itself when it counts, a marked copy when it is only shown, None when it is left out.
        It is judged first by what the index last read, without listing a folder (a space
        that had no such records then is open): writing stays as cheap as it was. Only a
        record that would not count is judged again, once the index is up to date."""
        trust = self.trust
        if trust is None:
            return record
        try:
            sql = f"SELECT 1 FROM records WHERE {of_types(trust)} LIMIT 1"
            if self.db.execute(sql).fetchone() is None:
                return record
            judged = self._judged(record, trust)
            if judged is not record:
                self.refresh()
                judged = self._judged(record, trust)
        except (sqlite3.DatabaseError, IndexDamaged, StorageError):
            return record  # damaged or busy: the record is saved, this write says nothing
        return judged

    def _judged(self, record: Record, trust: Trust) -> Record | None:
        kept, _ = trust.apply([record, *self._rows(of_types(trust), (), trusted=False)])
        return next((r for r in kept if r is record or (r.standing and r.id == record.id)), None)

    def with_paths(self) -> list[tuple[Record, str]]:
        """Every record `select` gives (those that count now, and those trust shows marked),
        each with the path (below the root) of the file it was read from: an export folds
        them once, and its backup carries those files."""

        def run() -> list[tuple[Record, str]]:
            sql = f"SELECT {COLUMNS}, path, 1 FROM records WHERE clock <= ?"
            if self.trust is not None:  # counted or shown, judged before any read
                sql = sql.replace(", 1 FROM", ", verdict FROM") + " AND verdict >= 1"
            rows = self.db.execute(sql, (self.bound(),)).fetchall()
            records = self._marked(records_of([row[:-2] for row in rows]), [r[-1] for r in rows])
            return [(record, row[-2]) for record, row in zip(records, rows, strict=True)]

        return self._guarded(run)

    def select(self, *, trusted: bool = True) -> list[Record]:
        """Every record that counts now; with `trusted=False`, trust not applied (what `space
        show` and membership judge by)."""
        return self._guarded(lambda: self._rows("1", (), trusted=trusted))

    def of_types(self, types: Sequence[str]) -> list[Record]:
        """Every record of these types (`tags`: the entries with their revisions and
        deletions, without following references one by one)."""
        marks = ", ".join("?" * len(types)) or "NULL"
        return self._guarded(lambda: self._rows(f"type IN ({marks})", tuple(types)))

    def values(
        self, sql: str, params: Sequence[object] | Mapping[str, object] = ()
    ) -> list[tuple[Any, ...]]:
        """Rows of any query over the index (ids, counts, ranks)."""
        return self._guarded(lambda: self.db.execute(sql, params).fetchall())

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that all see one state of the index (one read transaction), whatever other
        processes write meanwhile; the index is brought up to date first. If it turns out
        damaged, the reads after its rebuild are one snapshot of the new one."""
        self.refresh()
        self._snapshot = True
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            self._snapshot = False
            if self._db is not None and self._db.in_transaction:
                self._db.execute("COMMIT")

    def basis(self, sql: str, params: Mapping[str, object]) -> str:
        """What a result worked out from the rows holds on, for `keep`: the answer of `sql`
        (one SELECT over what the result depends on), and the database that gave it, which
        was made with a token of its own: a rebuilt index never answers for the one before."""
        return repr(self.values(f"SELECT (SELECT token FROM made), * FROM ({sql})", params))

    def recall(self, name: str, basis: str) -> str | None:
        """What `keep` kept under `name`, if it was kept on this `basis`."""
        rows = self.values("SELECT value FROM kept WHERE name = ? AND basis = ?", (name, basis))
        return str(rows[0][0]) if rows else None

    def keep(self, name: str, basis: str, value: str) -> None:
        """Keep `value` under `name`, in place of what was, for `recall` to give back while
        the `basis` it was worked out on holds. Never waits or rebuilds: an index another
        peerlog is writing, or one that turns out damaged, keeps nothing this time (the next
        read rebuilds a damaged one)."""
        db = self.db
        try:
            db.execute("PRAGMA busy_timeout = 0")
            with writing(db):
                db.execute("INSERT OR REPLACE INTO kept VALUES (?, ?, ?)", (name, basis, value))
        except sqlite3.DatabaseError:
            return
        finally:
            with contextlib.suppress(sqlite3.Error):
                db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        self._save_sealed()

    def with_related(self, ids: Iterable[str], *, skip_types: Sequence[str] = ()) -> list[Record]:
        """The records with these ids, and every record that refers to one of them, and so on
        (an entry's revisions, replies and deletions, a goal's events): what folding them
        needs. Records of `skip_types` are left out (a goal's logs, when only its terms count)
        unless their ids are among `ids`."""
        wanted, skip = list(ids), tuple(skip_types)
        return self._guarded(lambda: self._related(wanted, skip))

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
            "rowid IN (SELECT r.rowid FROM wanted w CROSS JOIN records r ON r.id = w.id"
            f" WHERE w.seed OR {kept})",  # from `wanted`: not a walk of every record's id
            skip_types * 2,
        )

    def ids(self, types: Sequence[str], prefix: str = "") -> list[str]:
        """The ids of the records of `types`, or of those whose id starts with `prefix`."""
        marks = ", ".join("?" * len(types)) or "NULL"
        sql = f"SELECT DISTINCT id FROM records WHERE type IN ({marks})"
        params: list[object] = list(types)
        if prefix:  # a range of the id index: ids are [0-9a-z], each below DEL after `prefix`
            sql = sql.replace("WHERE", "INDEXED BY records_id WHERE id >= ? AND id < ? AND", 1)
            params = [prefix, prefix + "\x7f", *types]
        return [row[0] for row in self.values(sql, params)]

    def neighbours(self, ids: Iterable[str]) -> list[str]:
        """The ids of the entries next to each of `ids` in sorted order, before and after it:
        all an id's shortest unique prefix depends on (`short_ids`)."""
        sql = (
            "SELECT (SELECT max(id) FROM records INDEXED BY records_id"
            " WHERE id < :id AND type = 'entry'),"
            " (SELECT min(id) FROM records INDEXED BY records_id WHERE id > :id AND type = 'entry')"
        )
        wanted = list(ids)
        rows = self._guarded(lambda: [self.db.execute(sql, {"id": i}).fetchone() for i in wanted])
        return [i for row in rows for i in row if i is not None]

    def ids_since(self, types: Sequence[str], since: int) -> list[str]:
        """The ids of the records of `types` whose `at` is `since` or later, and of the records
        they refer to (a recent reply's entry)."""
        marks = ", ".join("?" * len(types)) or "''"
        sql = f"SELECT id, refers FROM records WHERE type IN ({marks}) AND at >= ?"
        return [i for row in self.values(sql, (*types, since)) for i in row if i is not None]

    def newest_of_each_author(self, type_name: str) -> list[str]:
        """The id of each author's newest record of one type."""
        rows = self.values(  # each author's newest `at` found in the index, not row by row
            "SELECT r.id FROM (SELECT DISTINCT author FROM records WHERE type = :t) a"
            " JOIN records r INDEXED BY records_author ON r.type = :t AND r.author = a.author"
            " AND r.at = (SELECT max(at) FROM records WHERE type = :t AND author = a.author)",
            {"t": type_name},
        )
        return [row[0] for row in rows]

    def candidates(
        self, wanted: Candidates, limit: int | None = None, *, counted: bool = False
    ) -> tuple[list[tuple[str, str, float, int, int]], int | None]:
        """(id, author, rank, at, clock) of the entries `wanted` chooses, best first: by text rank
        (FTS5's bm25, lower is better; 0 without texts), then newest first, at most `limit`;
        with `counted`, how many it chooses in all (a page's "N more"), else None. In a
        space, only rows that trust lets count take part (their `verdict`)."""
        sql, params = page_sql(wanted, limit, counted=counted, judged=self.trust is not None)

        def run() -> list[tuple[Any, ...]]:
            if wanted.match is not None:
                self.db.create_function(MATCH_FUNCTION, 1, wanted.match, deterministic=True)
            return self.db.execute(sql, {**params, "bound": self.bound()}).fetchall()

        rows = self._guarded(run)
        chosen = [(row[0], row[1], float(row[2]), int(row[3]), int(row[4])) for row in rows]
        return chosen, (int(rows[0][5]) if rows else 0) if counted else None

    def tag_counts(self) -> list[tuple[str, str, int, str]]:
        """(key, spelling, entries, newest) of every tag the shown entries carry now
        (`tag_counts_sql`). In a space, the records its trust leaves out do not count."""
        sql = tag_counts_sql(judged=self.trust is not None)
        found = self._guarded(lambda: self.db.execute(sql, {"bound": self.bound()}).fetchall())
        return [(key, tag, int(n), newest) for key, tag, n, newest in found]

    def problems(self) -> list[Problem]:
        """Every file that was skipped, and every record from the future (see `bound`)."""
        rows = self.values("SELECT path, reason, kind FROM problems ORDER BY path")
        found = [Problem(*row) for row in rows] + self._blocked
        if self.seal is not None:
            from peerlog.store.sealed_index import summed_up

            found = summed_up(found, self.seal)
        if self.trust is not None:  # what it said of the records it left out
            sql = "SELECT path, reason, kind FROM trust_problems ORDER BY kind, path, reason"
            found += [Problem(*row) for row in self.values(sql)]
        if self.must_exist and not self.root.is_dir():
            found.insert(0, Problem(".", MISSING_ROOT, "missing"))
        ahead = self.values(
            "SELECT path, clock FROM records INDEXED BY records_clock WHERE clock > ?"
            " ORDER BY path",
            (self.bound(),),
        )
        found += [from_the_future(path, clock) for path, clock in ahead]
        return found

    def highest_clock(self) -> int:
        """The highest logical clock among the records that count now."""
        rows = self.values("SELECT max(clock) FROM records WHERE clock <= ?", (self.bound(),))
        return int(rows[0][0] or 0)
