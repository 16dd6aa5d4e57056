"""Record ids: time-sortable, 80 random bits, lowercase, safe as a file name everywhere.

A record id is a ULID in lowercase Crockford base32: 10 characters of milliseconds since the
epoch, then 16 characters (80 bits) of randomness. Ids are generated, never derived from text.
The caller passes the time and, in tests, the random bytes: nothing here reads a clock.
"""

from __future__ import annotations

import os
import re
from datetime import datetime

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ID_LENGTH = 26
_ID_RE = re.compile(r"[0-7][0-9a-hjkmnp-tv-z]{25}")


def new_record_id(at: datetime, random_bytes: bytes | None = None) -> str:
    """A fresh id whose first ten characters sort by `at` (to the millisecond)."""
    millis = max(0, int(at.timestamp() * 1000))
    rand = random_bytes if random_bytes is not None else os.urandom(10)
    if len(rand) != 10:
        raise ValueError("a record id needs exactly 10 random bytes")
    value = (millis << 80) | int.from_bytes(rand, "big")
    return "".join(ALPHABET[(value >> 5 * i) & 31] for i in reversed(range(ID_LENGTH)))


def is_record_id(text: str) -> bool:
    """True when `text` is a well-formed record id (lowercase ULID)."""
    return bool(_ID_RE.fullmatch(text))
