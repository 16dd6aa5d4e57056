"""Sealing: the keys a sealed space or an encrypted journal is read and written with, and the
few PyNaCl (libsodium) calls that use them.

- Records are sealed with XChaCha20-Poly1305 (`crypto_aead_xchacha20poly1305_ietf_*`): a random
  24-byte nonce, then the ciphertext and its tag, with the record's visible envelope as
  associated data (store/codec.py), so nothing visible can be swapped between files.
- A space key (32 random bytes, one per *epoch*) reaches a device sealed to that device's
  X25519 key, converted from its Ed25519 key (`nacl.public.SealedBox`), in a grant record.
- The index of a sealed root is encrypted with a key derived (BLAKE2b) from a secret that never
  leaves the home: this device's signing key for a space, the journal key for the journal.

A `Seal` is what a record root knows: its keys by epoch, which epoch new records use, which
record types it seals, and how to learn more keys (a space's grant records, decided by
actions). Owns no file format and no files; never hand-written crypto; never prints.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from peerlog.store.keys import decode_b64, encode_b64

if TYPE_CHECKING:
    from peerlog.records import Record

KEY_BYTES = 32
NONCE_BYTES = 24


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def seal_bytes(key: bytes, plain: bytes, associated: bytes) -> bytes:
    """`plain` encrypted and authenticated under `key`, `associated` authenticated too."""
    from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt

    nonce = os.urandom(NONCE_BYTES)
    return nonce + crypto_aead_xchacha20poly1305_ietf_encrypt(plain, associated, nonce, key)


def open_bytes(key: bytes, sealed: bytes, associated: bytes) -> bytes | None:
    """What `seal_bytes` sealed, or None when `key` or `associated` is not what sealed it, or
    the bytes were changed."""
    from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_decrypt

    if len(sealed) < NONCE_BYTES + 16:
        return None
    try:
        return crypto_aead_xchacha20poly1305_ietf_decrypt(
            sealed[NONCE_BYTES:], associated, sealed[:NONCE_BYTES], key
        )
    except Exception:  # nacl.exceptions.CryptoError: wrong key, or changed bytes
        return None


def derive_key(secret: bytes, purpose: str) -> bytes:
    """A key for one purpose (e.g. one root's index), derived from a secret kept in the home."""
    import hashlib

    return hashlib.blake2b(purpose.encode(), key=secret, digest_size=KEY_BYTES).digest()


def wrap_key(public: str, key: bytes) -> str:
    """`key` sealed to the device whose Ed25519 public key (base64url) is `public`."""
    from nacl.bindings import crypto_sign_ed25519_pk_to_curve25519
    from nacl.public import PublicKey, SealedBox

    raw = decode_b64(public, 32)
    if raw is None:
        raise ValueError("not a public key")
    box = SealedBox(PublicKey(crypto_sign_ed25519_pk_to_curve25519(raw)))
    return encode_b64(box.encrypt(key))


def unwrapper(signing_secret: bytes) -> Callable[[str], bytes | None]:
    """A function opening what `wrap_key` sealed to this device (its Ed25519 secret seed)."""
    from nacl.bindings import crypto_sign_ed25519_sk_to_curve25519
    from nacl.public import PrivateKey, SealedBox
    from nacl.signing import SigningKey

    signing = SigningKey(signing_secret)
    full = bytes(signing) + bytes(signing.verify_key)
    box = SealedBox(PrivateKey(crypto_sign_ed25519_sk_to_curve25519(full)))

    def unwrap(wrapped: str) -> bytes | None:
        raw = decode_b64(wrapped, len(wrapped) * 3 // 4)
        if raw is None:
            return None
        try:
            key = bytes(box.decrypt(raw))
        except Exception:  # not sealed to this device, or changed
            return None
        return key if len(key) == KEY_BYTES else None

    return unwrap


class Seal:
    """The keys of one sealed record root.

    `clear_types` are the record types left in the clear (a space's membership records, so
    a device can be admitted and given keys before it holds any); `learn`, given the
    records the index holds of `learn_from` types, returns every key this device can open,
    by epoch (a space's grants). `missing` is the sentence for a device without a key."""

    def __init__(
        self,
        index_key: bytes,
        *,
        keys: dict[str, bytes] | None = None,
        clear_types: frozenset[str] = frozenset(),
        learn: Callable[[Sequence[Record]], dict[str, bytes]] | None = None,
        learn_from: Sequence[str] = (),
        missing: str = "this device holds no key for it",
    ) -> None:
        self.index_key = index_key
        self.keys: dict[str, bytes] = dict(keys or {})
        self.clear_types = clear_types
        self.learn_keys = learn
        self.learn_from = tuple(learn_from)
        self.missing = missing
        self.found: object = None  # what `learn` last judged by (actions keep their fold here)
        # Set by `learn` (actions): a key granted the newest epoch no longer speaks, so the next
        # write makes a new one first.
        self.rotate = False
        # The highest clock among the records `learn` last saw: a newer membership record
        # means the keys must be learned again before sealing (store/sealed_index.py).
        self.learned_clock = 0
        # How this device's records stand in the space as of what `learn` last saw (None:
        # they count), kept with the keys so a write can say so without the index.
        self.standing: str | None = None

    def seals(self, type_name: str) -> bool:
        return type_name not in self.clear_types

    def writing(self) -> tuple[str, bytes] | None:
        """(epoch, key) new records are sealed with: the newest epoch held (epochs are record
        ids, so they sort by time)."""
        if not self.keys:
            return None
        epoch = max(self.keys)
        return epoch, self.keys[epoch]

    def learn(self, records: Sequence[Record]) -> bool:
        """Take in the keys `records` grant this device; whether any is new."""
        if self.learn_keys is None:
            return False
        found = self.learn_keys(records)
        new = found.keys() - self.keys.keys()
        self.keys.update(found)
        self.learned_clock = max((r.clock for r in records), default=0)
        return bool(new)

    def __repr__(self) -> str:
        return f"Seal(epochs={sorted(self.keys)!r})"  # never a key
