"""The index of a sealed space or an encrypted journal, kept encrypted in the cache dir.

SQLite runs in memory, from the decrypted bytes of `index.sealed` (`Connection.deserialize`);
after each write transaction the whole database is serialized, sealed with the index key
(store/seal.py) and written back by an atomic replace. So no page of it, and no WAL or journal
file, ever reaches the disk in plain text. Concurrent peerlog processes each work on their own
copy; the last one to write back wins, and what it lacks is read again from the folder later
(the index is a cache: nothing in it is the only copy). A plain `index.sqlite` left beside it
(a journal from before `peerlog encrypt`) is deleted on sight.

Also owns the two things an index does differently for a sealed root: learning keys from the
grant records it holds (then reading again the files it could not open), and summing up the
files it holds no key for in one sentence. Never decides which grants count (actions do).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from peerlog.store.publish import replace_private
from peerlog.store.seal import Seal, open_bytes, seal_bytes

if TYPE_CHECKING:
    from peerlog.records import Record
    from peerlog.store.scan import Problem

SEALED_NAME = "index.sealed"
_LABEL = b"peerlog-index\n"
MAX_INDEX_BYTES = 2**31  # far beyond any index; a larger file is not ours


class SealedConnection(sqlite3.Connection):
    """A database in memory that `save` writes back to `sealed_path`, encrypted."""

    sealed_path: Path
    sealed_key: bytes

    def save(self) -> None:
        blob = seal_bytes(self.sealed_key, self.serialize(), _LABEL)
        replace_private(self.sealed_path, blob, within=self.sealed_path.parent, durable=False)


def plain_files(folder: Path) -> list[Path]:
    return [folder / f"index.sqlite{suffix}" for suffix in ("", "-wal", "-shm", "-journal")]


def connect_sealed(folder: Path, seal: Seal, timeout: float) -> sqlite3.Connection:
    """The index in `folder`, decrypted into memory (empty when there is none, or it does not
    open with this key: it is then made anew)."""
    for leftover in plain_files(folder):
        with contextlib.suppress(OSError):
            os.unlink(leftover)
    path = folder / SEALED_NAME
    db = sqlite3.connect(
        ":memory:", timeout=timeout, isolation_level=None, factory=SealedConnection
    )
    assert isinstance(db, SealedConnection)
    db.sealed_path, db.sealed_key = path, seal.index_key
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return db
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_INDEX_BYTES)
    plain = open_bytes(seal.index_key, data, _LABEL)
    if plain is not None:
        with contextlib.suppress(sqlite3.DatabaseError):  # not a database: made anew
            db.deserialize(plain)
    return db


def learn_keys(
    seal: Seal,
    rows: Callable[[str, tuple[str, ...]], list[Record]],
    requeue: Callable[[], bool],
) -> bool:
    """Learn this device's keys from the records of `seal.learn_from` types the index holds;
    when that gave new keys, `requeue` the files that could not be opened, and say whether
    the folder must be read again."""
    if seal.learn_keys is None:
        return False
    marks = ", ".join("?" * len(seal.learn_from)) or "NULL"
    records = rows(f"type IN ({marks})", seal.learn_from)
    if not seal.learn(records):
        return False
    return requeue()


def summed_up(problems: list[Problem], seal: Seal | None) -> list[Problem]:
    """The problems, with every file sealed for a key this device does not hold said once."""
    if seal is None:
        return problems
    from peerlog.store.scan import Problem

    waiting = [p for p in problems if p.kind == "sealed"]
    if not waiting:
        return problems
    count = "1 record here is" if len(waiting) == 1 else f"{len(waiting)} records here are"
    summary = Problem(".", f"{count} sealed, and {seal.missing}", "sealed")
    return [summary, *(p for p in problems if p.kind != "sealed")]
