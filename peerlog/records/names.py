"""Member and device ids: the names that become folder names in a space.

Member ids are chosen by people (lowercase `[a-z0-9-]`, not a Windows reserved name); device ids
are random and made on the machine they name. Pure: no I/O.
"""

from __future__ import annotations

import os
import re
import unicodedata

from peerlog.errors import UsageError

MEMBER_MAX = 32
_MEMBER_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")
_DEVICE_RE = re.compile(r"[a-z2-7]{16}")
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)


def is_member_id(text: str) -> bool:
    """True for a valid member id."""
    return bool(_MEMBER_RE.fullmatch(text)) and text not in _WINDOWS_RESERVED and "--" not in text


def check_member_id(text: str) -> str:
    """Return `text` if it is a valid member id, else raise a UsageError that says why."""
    if is_member_id(text):
        return text
    if text in _WINDOWS_RESERVED:
        raise UsageError(
            f"'{text}' cannot be a member id: it is a reserved file name on Windows.",
            hint="Choose another id with --member.",
        )
    raise UsageError(
        f"'{text}' is not a valid member id.",
        hint=(
            f"Use 1 to {MEMBER_MAX} lowercase letters, digits and single hyphens, "
            "starting and ending with a letter or digit (for example: sam or alex-k)."
        ),
    )


def member_id_from_name(name: str) -> str | None:
    """Suggest a member id from a display name, or None when nothing usable remains."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:MEMBER_MAX].strip("-")
    return slug if is_member_id(slug) else None


def new_device_id(random_bytes: bytes | None = None) -> str:
    """A random 16-character device id (80 bits, lowercase base32)."""
    import base64

    raw = random_bytes if random_bytes is not None else os.urandom(10)
    return base64.b32encode(raw).decode().lower()


def is_device_id(text: str) -> bool:
    """True for a well-formed device id."""
    return bool(_DEVICE_RE.fullmatch(text))
