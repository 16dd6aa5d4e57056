"""The key of an encrypted private journal, locked with a passphrase, in the home's
`journal.key`.

The journal key is 32 random bytes; `journal.key` holds it sealed (XChaCha20-Poly1305,
store/seal.py) under a key derived from the passphrase with Argon2id (`nacl.pwhash.argon2id`),
with the salt and the cost the derivation used. Without the passphrase the key, and with it
every record and the journal's index, cannot be opened by anyone, peerlog included: there is
no recovery. Cost: opslimit 3, memlimit 256 MiB (libsodium's "moderate"), measured at 0.4 to
0.8 s on this 2-core machine, paid once per command that opens the journal.

`PEERLOG_TEST_KDF=fast` makes a new journal key with libsodium's "interactive" cost (2, 64 MiB,
0.06 s) for test suites; it is honoured only together with `PEERLOG_PASSPHRASE`, and the
command says it was used. Owns this file only; never prints, never prompts (the CLI gives the
passphrase).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from peerlog.errors import StorageError, UsageError
from peerlog.records import new_record_id
from peerlog.store.keys import decode_b64, encode_b64
from peerlog.store.publish import read_plain_file, replace_private
from peerlog.store.seal import KEY_BYTES, new_key, open_bytes, seal_bytes
from peerlog.store.toml_subset import TOMLError, loads

SALT_BYTES = 16
MODERATE = (3, 256 * 1024 * 1024)
FAST = (2, 64 * 1024 * 1024)
_LABEL = b"peerlog journal key\n"
_HEADER = (
    "# Your private journal's key, locked with your passphrase. Without the passphrase,\n"
    "# nobody (peerlog included) can read the journal: keep both, and a backup of this file.\n"
)
_UNLOCKED: dict[tuple[str, bytes, str], tuple[str, bytes]] = {}  # opened once per process


def weak_kdf_wanted(environ: Mapping[str, str]) -> bool:
    """Whether a new key may use the fast (test) cost: only when asked for and scripted."""
    return environ.get("PEERLOG_TEST_KDF") == "fast" and bool(environ.get("PEERLOG_PASSPHRASE"))


def _derive(passphrase: str, salt: bytes, ops: int, mem: int) -> bytes:
    from nacl.pwhash import argon2id

    return bytes(argon2id.kdf(KEY_BYTES, passphrase.encode("utf-8"), salt, ops, mem))


def create_journal_key(path: Path, passphrase: str, *, fast: bool = False) -> tuple[str, bytes]:
    """A new journal key with its epoch, locked with `passphrase` into `path` (0600). Refuses
    to replace an existing one."""
    if path.exists():
        raise StorageError(f"{path} already exists; peerlog will not replace a journal key.")
    epoch, key, salt = new_record_id(datetime.now(UTC)), new_key(), os.urandom(SALT_BYTES)
    ops, mem = FAST if fast else MODERATE
    locked = seal_bytes(_derive(passphrase, salt, ops, mem), key, _LABEL + epoch.encode())
    text = (
        f'{_HEADER}format = 1\nepoch = "{epoch}"\nkdf = "argon2id"\n'
        f'salt = "{encode_b64(salt)}"\nopslimit = {ops}\nmemlimit = {mem}\n'
        f'locked = "{encode_b64(locked)}"\n'
    )
    try:
        replace_private(path, text.encode("ascii"), within=path.parent)
    except OSError as exc:
        raise StorageError(f"Could not save the journal key in {path}: {exc.strerror}.") from None
    return epoch, key


def unlock_journal_key(path: Path, passphrase: str) -> tuple[str, bytes]:
    """(epoch, key) from `path`, or UsageError when the passphrase does not open it."""
    try:
        data = read_plain_file(path, 8192)
        fields = loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, TOMLError) as exc:
        raise StorageError(
            f"Could not read the journal key {path}: {exc}.",
            hint="Restore it from a backup of this home; without it the journal cannot be read.",
        ) from None
    cached = _UNLOCKED.get((str(path), data, passphrase))
    if cached is not None:
        return cached
    epoch, salt_text, locked_text = fields.get("epoch"), fields.get("salt"), fields.get("locked")
    ops, mem = fields.get("opslimit"), fields.get("memlimit")
    salt = decode_b64(salt_text, SALT_BYTES) if isinstance(salt_text, str) else None
    locked = (
        decode_b64(locked_text, len(locked_text) * 3 // 4) if isinstance(locked_text, str) else None
    )
    if (
        not isinstance(epoch, str)
        or salt is None
        or locked is None
        or (ops, mem) not in (MODERATE, FAST)
        or fields.get("kdf") != "argon2id"
    ):
        raise StorageError(
            f"{path} is not a journal key peerlog can read.",
            hint="Restore it from a backup of this home.",
        )
    assert isinstance(ops, int) and isinstance(mem, int)
    key = open_bytes(_derive(passphrase, salt, ops, mem), locked, _LABEL + epoch.encode())
    if key is None:
        raise UsageError(
            "That passphrase does not unlock your private journal.",
            hint="Check PEERLOG_PASSPHRASE or type it again; without it the journal cannot be "
            "read (see SECURITY.md).",
        )
    _UNLOCKED[(str(path), data, passphrase)] = (epoch, key)
    return epoch, key
