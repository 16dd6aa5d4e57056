"""The index of a sealed space or an encrypted journal, kept encrypted in the cache dir.

SQLite runs in memory, from the decrypted bytes of `index.sealed` (`Connection.deserialize`);
once a read of the index has changed it (one or more write transactions), the whole database
is serialized, sealed with the index key (store/seal.py) and written back by an atomic
replace, before that read answers. So no page of it, and no WAL or journal
file, ever reaches the disk in plain text. Concurrent peerlog processes each work on their own
copy; the last one to write back wins, and what it lacks is read again from the folder later
(the index is a cache: nothing in it is the only copy). A plain `index.sqlite` left beside it
(a journal from before `peerlog encrypt`) is deleted on sight (store/index.py).

Also owns the two things an index does differently for a sealed root: learning keys from the
grant records it holds (then reading again the files it could not open), and summing up the
files it holds no key for in one sentence. Never decides which grants count (actions do).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peerlog.store.keys import decode_b64, encode_b64
from peerlog.store.publish import read_plain_file, replace_private
from peerlog.store.scan import Problem
from peerlog.store.schema import writing
from peerlog.store.seal import NONCE_BYTES, Seal, open_bytes, seal_bytes

if TYPE_CHECKING:
    from peerlog.records import Record

SEALED_NAME = "index.sealed"
_LABEL = b"peerlog-index\n"
MAX_INDEX_BYTES = 2**31  # far beyond any index; a larger file is not ours


class SealedConnection(sqlite3.Connection):
    """A database in memory that `save` writes back to `sealed_path`, encrypted."""

    sealed_path: Path
    sealed_key: bytes
    dirty = False

    def written(self) -> None:
        """A write transaction committed: write back before the index answers."""
        self.dirty = True

    def save_if_written(self) -> None:
        if not self.dirty:
            return
        # What `seal_bytes` does, with each copy of the database let go as soon as it can be:
        # a ten-year index is tens of megabytes, and a summary's memory budget is 150 MB.
        from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt as encrypt

        data = self.serialize()
        nonce = os.urandom(NONCE_BYTES)
        sealed = encrypt(data, _LABEL, nonce, self.sealed_key)
        del data
        blob = nonce + sealed
        del sealed
        replace_private(self.sealed_path, blob, within=self.sealed_path.parent, durable=False)
        self.dirty = False


def _opened(path: Path, key: bytes, label: bytes, limit: int) -> bytes | None:
    """The plain bytes of a file sealed with `key`, if it is there and opens."""
    try:
        data = read_plain_file(path, limit)
    except OSError:
        return None
    return open_bytes(key, data, label)  # (a ten-year index: tens of megabytes, one copy kept)


def connect_sealed(folder: Path, seal: Seal, timeout: float) -> sqlite3.Connection:
    """The index in `folder`, decrypted into memory (empty when there is none, or it does not
    open with this key: it is then made anew)."""
    path = folder / SEALED_NAME
    db = sqlite3.connect(
        ":memory:", timeout=timeout, isolation_level=None, factory=SealedConnection
    )
    assert isinstance(db, SealedConnection)
    db.sealed_path, db.sealed_key = path, seal.index_key
    plain = _opened(path, seal.index_key, _LABEL, MAX_INDEX_BYTES)
    if plain is not None:
        with contextlib.suppress(sqlite3.DatabaseError):  # not a database: made anew
            db.deserialize(plain)
    return db


def learn_keys(seal: Seal, folder: Path, records: list[Record], db: sqlite3.Connection) -> bool:
    """Learn this device's keys from `records` (those of `seal.learn_from` types the index
    holds), and keep them in `folder`; when that gave new keys, forget the files that could not
    be opened (their folders are listed again), and say whether the folder must be read again."""
    new = seal.learn(records)
    save_keys(seal, folder)
    if not new:
        return False
    folders = db.execute("SELECT DISTINCT folder FROM problems WHERE kind = 'sealed'").fetchall()
    if not folders:
        return False
    with writing(db):
        db.execute("DELETE FROM problems WHERE kind = 'sealed'")
        db.executemany("UPDATE folders SET mtime_ns = -1 WHERE rel = ?", folders)
    return True


def summed_up(problems: list[Problem], seal: Seal) -> list[Problem]:
    """The problems, with every file sealed for a key this device does not hold said once."""
    waiting = [p for p in problems if p.kind == "sealed"]
    if not waiting:
        return problems
    count = "1 record here is" if len(waiting) == 1 else f"{len(waiting)} records here are"
    summary = Problem(".", f"{count} sealed, and {seal.missing}", "sealed")
    return [summary, *(p for p in problems if p.kind != "sealed")]


KEYS_NAME = "keys.sealed"


def save_keys(seal: Seal, folder: Path) -> None:
    """Keep what `learn` found (the keys, the rotation flag, the clock it judged at) in the
    cache, sealed with the index key, so a write needs neither the index nor the grants."""
    state = {
        "keys": {epoch: encode_b64(key) for epoch, key in sorted(seal.keys.items())},
        "rotate": seal.rotate,
        "clock": seal.learned_clock,
        "standing": seal.standing,
    }
    blob = seal_bytes(seal.index_key, json.dumps(state).encode(), _LABEL + b"keys")
    with contextlib.suppress(OSError):  # a cache: without it, the next write reads the index
        replace_private(folder / KEYS_NAME, blob, within=folder.parent, durable=False)


def load_keys(seal: Seal, folder: Path) -> bool:
    """What `save_keys` kept, if it is there and opens; whether it was."""
    plain = _opened(folder / KEYS_NAME, seal.index_key, _LABEL + b"keys", 1024 * 1024)
    try:
        state: Any = json.loads(plain) if plain is not None else None  # None: not kept
        keys = {e: decode_b64(k, 32) for e, k in state["keys"].items()}
        rotate, clock = bool(state["rotate"]), int(state["clock"])
        standing = state.get("standing")
    except (ValueError, TypeError, KeyError, AttributeError):
        return False
    if not keys or None in keys.values() or not isinstance(standing, str | None):
        return False
    seal.keys.update({e: k for e, k in keys.items() if k is not None})
    seal.rotate, seal.learned_clock, seal.standing = rotate, clock, standing
    return True
