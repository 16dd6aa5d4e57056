"""This device's Ed25519 key pair, kept in the home, and checking a record's signature.

The secret key is made on this machine (at `init`, or on first use in a home made before
keys existed), kept in `device.key` (0600) in the home, never written into a space, never
printed. The public key is kept beside it, so commands that only read never load the secret.

Signatures come from PyNaCl (libsodium), imported only where a record is signed or checked.
Measured on this machine's 2 cores before choosing (Python 3.11):

| library | import | sign 15,000 | verify 15,000 |
| --- | --- | --- | --- |
| PyNaCl 1.6 | 7.5-9 ms | 0.30 s | 0.73 s |
| cryptography 50 | 6.7-9 ms | 0.46 s | 1.55 s |

Verifying is what the cold first read of a ten-year space pays for; PyNaCl does it in half
the time. Its low-level `crypto_sign_open` is no faster than `VerifyKey.verify` (148 against
151 ms for 3,000 records of 700 bytes): the time is libsodium's own, about 50 µs a record.
Side by side with the build before signing (whole processes, a busy 2-core machine):
`write` 1.00x wall and 1.03x CPU (private journal), 1.03x wall and 1.07x CPU (space); the
cold `summary` of the 15,301-record benchmark space 3.63 s against 2.73 s of CPU (1.33x),
every signature checked; warm reads reuse the cache and check none. Never hand-written
crypto; owns no record format (see codec.py).
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Any

from peerlog.errors import StorageError
from peerlog.store.publish import read_plain_file, replace_private
from peerlog.store.toml_subset import TOMLError, loads

KEY_NAME = "device.key"
KEY_CHARS = 43  # 32 bytes, base64url without padding
_VERIFY_KEYS: dict[str, Any] = {}  # public key text -> nacl VerifyKey (one per device seen)


def encode_b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_b64(text: str, size: int) -> bytes | None:
    """The bytes of a base64url text of exactly `size` bytes, else None."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != size or encode_b64(raw) != text:
        return None
    return raw


def is_public_key(text: object) -> bool:
    return isinstance(text, str) and len(text) == KEY_CHARS and decode_b64(text, 32) is not None


class DeviceKey:
    """This device's key pair. The secret is read from disk only when something is signed."""

    def __init__(self, path: Path, public: str) -> None:
        self.path = path
        self.public = public
        self._signing: Any = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DeviceKey) and (other.path, other.public) == (
            self.path,
            self.public,
        )

    def __hash__(self) -> int:
        return hash(self.public)

    def __repr__(self) -> str:
        return f"DeviceKey(public={self.public!r})"  # never the secret

    def sign(self, data: bytes) -> str:
        """The signature of `data`, as base64url text."""
        if self._signing is None:
            self._signing = _signing_key(self.path)
        return encode_b64(self._signing.sign(data).signature)

    def secret(self) -> bytes:
        """The secret seed (32 bytes): to open the space keys sealed to this device and to
        derive the key of a sealed space's index (store/seal.py). Never written anywhere."""
        if self._signing is None:
            self._signing = _signing_key(self.path)
        return bytes(self._signing)


def _read(path: Path) -> dict[str, Any]:
    try:
        return loads(read_plain_file(path, 4096).decode("utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError, TOMLError) as exc:
        raise StorageError(
            f"Could not read this device's key in {path}: {exc}.",
            hint="Restore it from a backup of this home, or see SECURITY.md: a lost key means "
            "a new device.",
        ) from None


def _signing_key(path: Path) -> Any:
    import nacl.signing

    secret = decode_b64(str(_read(path).get("secret", "")), 32)
    if secret is None:
        raise StorageError(f"{path} holds no valid secret key.")
    return nacl.signing.SigningKey(secret)


def load_device_key(path: Path) -> DeviceKey:
    """This device's key, made now if the home has none yet (a home from before keys)."""
    try:
        public = _read(path).get("public")
    except FileNotFoundError:
        return create_device_key(path)
    if not is_public_key(public):
        raise StorageError(
            f"{path} holds no valid public key.",
            hint="Restore it from a backup of this home; see SECURITY.md.",
        )
    assert isinstance(public, str)
    return DeviceKey(path, public)


def create_device_key(path: Path) -> DeviceKey:
    """Make a new key pair and keep it in `path` (0600), create-only."""
    import nacl.signing

    signing = nacl.signing.SigningKey.generate()
    public = encode_b64(bytes(signing.verify_key))
    text = (
        "# This device's signing key. Never copy it to another machine or into a space.\n"
        f'public = "{public}"\n'
        f'secret = "{encode_b64(bytes(signing))}"\n'
    )
    try:
        if path.exists():
            raise StorageError(f"{path} already exists; peerlog will not replace a key.")
        replace_private(path, text.encode("ascii"), within=path.parent)
    except OSError as exc:
        raise StorageError(f"Could not save this device's key in {path}: {exc.strerror}.") from None
    key = DeviceKey(path, public)
    key._signing = signing
    return key


def signature_valid(public: str, data: bytes, signature: str) -> bool:
    """Whether `signature` (base64url) is `public`'s signature of exactly `data`."""
    raw = decode_b64(signature, 64)
    if raw is None:
        return False
    verify_key = _VERIFY_KEYS.get(public)
    if verify_key is None:
        import nacl.signing

        key_bytes = decode_b64(public, 32)
        if key_bytes is None:
            return False
        try:
            verify_key = nacl.signing.VerifyKey(key_bytes)
        except Exception:  # not a point on the curve
            return False
        _VERIFY_KEYS[public] = verify_key
    try:
        verify_key.verify(data, raw)
    except Exception:  # nacl.exceptions.BadSignatureError, or a malformed signature
        return False
    return True


def short_key(public: str) -> str:
    """A key as shown in messages: its first characters, enough to tell keys apart."""
    return public[:12] if public else "none"
