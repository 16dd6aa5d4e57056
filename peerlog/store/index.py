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
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from peerlog.classes import dataclass
from peerlog.records import Record, UnknownRecord, is_record_id
from peerlog.records.tags import folded, inline_tags, merge_tags, tag_key
from peerlog.store.publish import ensure_dir
from peerlog.store.scan import MonthDir, Problem, month_dirs, read_record, record_files

FORMAT = 1  # PRAGMA user_version: bump it when the tables or what a row holds change
INDEX_NAME = "index.sqlite"
RACY_NS = 3_000_000_000  # a folder listed less than 3 s after it changed is listed again
BUSY_MS = 30_000  # how long to wait for another peerlog process's write
TEXT_TYPES = ("entry", "revision")  # the records whose text `search` looks in
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

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
CREATE TRIGGER records_gone AFTER DELETE ON records BEGIN
    DELETE FROM texts WHERE rowid = old.rowid;
END;
"""
_COLUMNS = "type, known, fields, body"


@dataclass(frozen=True, slots=True)
class Candidates:
    """What SQL narrows a listing to: records of `types` (entries, or entries and check-ins)
    whose `at` is in [since, until) (microseconds, see `micros`), by one of `authors`, with an
    id starting with `id_prefix`, where some version carries every tag key of `tags` and holds
    every case-folded string of `texts` (each at least `TRIGRAM` characters). Folding the
    candidates decides what is shown: this may only ever choose too many."""

    types: tuple[str, ...] = ("entry",)
    since: int | None = None
    until: int | None = None
    authors: tuple[str, ...] = ()
    id_prefix: str = ""
    tags: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()


TRIGRAM = 3  # FTS5's trigram index finds strings of at least three characters


class IndexDamaged(Exception):
    """The database holds something a scan would never have written: it is rebuilt."""


def micros(moment: datetime) -> int:
    """A moment as whole microseconds since 1970 (UTC): the `at` column, sortable as instants."""
    return (moment - _EPOCH) // _MICROSECOND


_MICROSECOND = datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=UTC) - _EPOCH


def _tag_column(tags: Iterable[str]) -> str:
    """Tag keys between newlines, so `instr(tags, '\\nkey\\n')` finds one exactly."""
    keys = [tag_key(t) for t in tags]
    return "\n" + "".join(k + "\n" for k in keys) if keys else ""


def _record_tags(record: Record) -> tuple[str, ...]:
    explicit = getattr(record, "tags", ())
    if record.type in TEXT_TYPES:
        return merge_tags(explicit, inline_tags(record.body))
    return tuple(explicit)


def _refers(record: Record) -> str | None:
    """The id of the record this one is about (a revision's entry, a log's goal), if any."""
    for name in ("goal", "target"):
        value = getattr(record, name, None)
        if isinstance(value, str) and is_record_id(value):
            return value
    return None


# A row keeps a record's own fields as JSON (its `extra`, unknown keys of any TOML type, in a
# tagged form), and is built back into the same record by its class. Rows are written only from
# records a file gave; a row that does not build is damage, and the index is rebuilt.
def _tagged(value: Any) -> Any:
    """TOML values as JSON: dates and times become one-key tables {"dt": …}, {"d": …},
    {"t": …}, and every key of a real table is written with a "k" before it."""
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, clock_time):
        return {"t": value.isoformat()}
    if isinstance(value, dict):
        return {"k" + k: _tagged(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_tagged(v) for v in value]
    return value


_UNTAG = {"dt": datetime.fromisoformat, "d": date.fromisoformat, "t": clock_time.fromisoformat}


def _untag(table: dict[str, Any]) -> Any:
    if all(key[:1] == "k" for key in table):
        return {key[1:]: value for key, value in table.items()}
    if len(table) == 1:
        ((tag, value),) = table.items()
        if tag in _UNTAG and isinstance(value, str):
            return _UNTAG[tag](value)
    raise IndexDamaged("a table the index never writes")


def _untagged(value: Any) -> Any:
    if isinstance(value, dict):
        return _untag({k: _untagged(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_untagged(v) for v in value]
    return value


def _convert(value: Any) -> Any:
    if isinstance(value, datetime | date | clock_time):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _row_fields(record: Record) -> str:
    """The JSON of a record's fields for the `fields` column (its body has a column of its own)."""
    kept: dict[str, Any] = {}
    for name in _field_names(type(record)):
        if name != "body":
            kept[name] = _convert(getattr(record, name))
    kept["extra"] = _tagged(dict(record.extra)) if record.extra else None
    return json.dumps(kept, ensure_ascii=False, allow_nan=False)


_FIELDS: dict[type[Record], tuple[str, ...]] = {}
# Per class: (field, function rebuilding it from JSON) for each field that JSON cannot hold as is.
_REBUILD: dict[type[Record], tuple[tuple[str, Any], ...]] = {}


def _field_names(cls: type[Record]) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        import dataclasses

        fields = dataclasses.fields(cls)
        names = _FIELDS[cls] = tuple(f.name for f in fields)
        rebuild = []
        for f in fields:
            kind = str(f.type)
            if "datetime" in kind:
                rebuild.append((f.name, _optional(datetime.fromisoformat)))
            elif kind.startswith("date"):
                rebuild.append((f.name, _optional(date.fromisoformat)))
            elif kind.startswith("tuple"):
                rebuild.append((f.name, tuple))
        _REBUILD[cls] = tuple(rebuild)
    return names


def _optional(parse: Any) -> Any:
    return lambda value: None if value is None else parse(value)


def _types() -> dict[str, type[Record]]:
    if not _BY_TYPE:
        from peerlog.records.model import _TYPES, UnknownRecord, _extension_type

        _extension_type("")  # loads every record type
        from peerlog.records.model import _extension_types

        _BY_TYPE.update(_TYPES)
        _BY_TYPE.update(_extension_types)
        _BY_TYPE[""] = UnknownRecord
    return _BY_TYPE


_BY_TYPE: dict[str, type[Record]] = {}


def _records_of(rows: list[tuple[str, int, str, str]]) -> list[Record]:
    """Rows back into their records (their fields decoded by one JSON call)."""
    try:
        every = json.loads("[" + ",".join(row[2] for row in rows) + "]")
        types = _types()
        built = []
        for (type_name, known, _, body), kept in zip(rows, every, strict=True):
            cls = types[type_name if known else ""]
            _field_names(cls)
            for name, rebuild in _REBUILD[cls]:
                kept[name] = rebuild(kept[name])
            extra = kept.pop("extra")
            kept["extra"] = _untagged(extra) if extra else {}
            built.append(cls(body=body, **kept))
        return built
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise IndexDamaged(str(exc)) from None


class RecordIndex:
    """The index of the records under `root`, kept in `folder`."""

    def __init__(self, root: Path, folder: Path) -> None:
        self.root = root
        self.path = folder / INDEX_NAME
        self._db: sqlite3.Connection | None = None
        self._fresh = False  # refreshed from the folder during this process

    # --- opening, and rebuilding what is damaged ------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            ensure_dir(self.path.parent, 0o700)
            # Created private: SQLite gives its -wal and -shm files the database file's mode.
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
            db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
            self._prepare(db)
            return db
        except sqlite3.DatabaseError:
            self._delete_files()
        except OSError:
            pass  # an unwritable cache dir: the index lives in memory for this run
        try:
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
            db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
            self._prepare(db)
            return db
        except (sqlite3.DatabaseError, OSError):
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
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] != FORMAT:  # another process?
                for kind, name in db.execute(
                    "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')"
                    " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'texts_%'"
                ).fetchall():
                    db.execute(f'DROP {kind} IF EXISTS "{name}"')
                for statement in _statements(_SCHEMA):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {FORMAT}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

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
                self._refresh()
                self._fresh = True
            return work(*args)
        except (sqlite3.DatabaseError, IndexDamaged) as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise  # another process holds it longer than BUSY_MS: nothing is damaged
            self._delete_files()
            self._refresh()
            self._fresh = True
            return work(*args)

    def forget(self) -> None:
        """Delete the index (the next read rebuilds it)."""
        self._delete_files()
        self._fresh = False

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
        months = month_dirs(self.root)
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
        db.execute("BEGIN IMMEDIATE")
        try:
            for rel in gone:
                for table in ("records", "problems"):
                    db.execute(f"DELETE FROM {table} WHERE folder = ?", (rel,))
                db.execute("DELETE FROM folders WHERE rel = ?", (rel,))
            for month, mtime, scanned, (keep, read) in listings:
                self._store_month(month, mtime, scanned, keep, read)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

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
            for (path,) in db.execute(
                f"SELECT path FROM {table} WHERE folder = ?",
                (rel,),
            ).fetchall():
                if path[len(rel) + 1 :] not in keep:
                    db.execute(f"DELETE FROM {table} WHERE path = ?", (path,))
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
        tags = _record_tags(record)
        moment = getattr(record, "when", None)
        at = micros(moment if isinstance(moment, datetime) else record.created)
        fields = _row_fields(record)
        cursor = self.db.execute(
            "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            (
                path,
                rel,
                size,
                mtime,
                record.id,
                record.type,
                not isinstance(record, UnknownRecord),
                record.author,
                record.clock,
                at,
                _refers(record),
                _tag_column(tags),
                fields,
                record.body,
            ),
        )
        if record.type in TEXT_TYPES:
            self.db.execute(
                "INSERT INTO texts (rowid, folded) VALUES (?, ?)",
                (cursor.lastrowid, folded(record.body + "\n" + " ".join(tags))),
            )

    # --- reading -----------------------------------------------------------------------------

    def _rows(self, where: str, params: Sequence[object]) -> list[Record]:
        sql = f"SELECT {_COLUMNS} FROM records WHERE {where}"
        return _records_of(self.db.execute(sql, params).fetchall())

    def select(self, where: str = "1", params: Sequence[object] = ()) -> list[Record]:
        """The records matching an SQL condition over the `records` columns."""
        result: list[Record] = self._guarded(self._rows, where, params)
        return result

    def values(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Rows of any query over the index (ids, counts, ranks)."""
        result: list[tuple[Any, ...]] = self._guarded(
            lambda: self.db.execute(sql, params).fetchall()
        )
        return result

    def with_related(self, ids: Iterable[str], *, skip_types: Sequence[str] = ()) -> list[Record]:
        """The records with these ids, and every record that refers to one of them, and so on
        (an entry's revisions, replies and deletions, a goal's events): what folding them
        needs. Records of `skip_types` are left out (a goal's logs, when only its terms count)."""
        result: list[Record] = self._guarded(self._related, list(ids), tuple(skip_types))
        return result

    def _related(self, ids: list[str], skip_types: tuple[str, ...]) -> list[Record]:
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (id TEXT PRIMARY KEY)")
        db.execute("DELETE FROM wanted")
        db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((i,) for i in ids))
        skip = ", ".join("?" * len(skip_types)) or "''"
        # A record of a skipped type still counts when another record claims its id: which of
        # the two the fold keeps is decided between them.
        kept = (
            f"(r.type NOT IN ({skip})"
            f" OR r.id IN (SELECT id FROM records WHERE type NOT IN ({skip})))"
        )
        db.execute(
            f"""WITH RECURSIVE linked (id) AS (
                SELECT id FROM wanted
                UNION SELECT r.id FROM records r JOIN linked l ON r.refers = l.id WHERE {kept}
            ) INSERT OR IGNORE INTO wanted SELECT id FROM linked""",
            skip_types * 2,
        )
        return self._rows(
            f"rowid IN (SELECT r.rowid FROM records r JOIN wanted w ON r.id = w.id WHERE {kept})",
            skip_types * 2,
        )

    def of_types(self, types: Sequence[str]) -> list[Record]:
        """Every record of the given types."""
        marks = ", ".join("?" * len(types)) or "NULL"
        return self.select(f"type IN ({marks})", tuple(types))

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
        if wanted.id_prefix:
            where.append("substr(e.id, 1, ?) = ?")
            params += [len(wanted.id_prefix), wanted.id_prefix]
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
        """Every file that was skipped, by path."""
        rows = self.values("SELECT path, reason, kind FROM problems ORDER BY path")
        return [Problem(path, reason, kind) for path, reason, kind in rows]

    def highest_clock(self) -> int:
        rows = self.values("SELECT max(clock) FROM records")
        return int(rows[0][0] or 0)


def _fts_string(text: str) -> str:
    """One FTS5 string: quoted, so nothing a user types is read as query syntax."""
    return '"' + text.replace('"', '""') + '"'


def _statements(script: str) -> Iterator[str]:
    """The statements of `_SCHEMA` (a trigger's body holds semicolons of its own)."""
    buffer = ""
    for line in script.strip().splitlines():
        buffer += line + "\n"
        in_trigger = buffer.lstrip().startswith("CREATE TRIGGER")
        if line.endswith(";") and (not in_trigger or line == "END;"):
            yield buffer
            buffer = ""
