"""Record ids: time-sortable, 80 random bits, lowercase, safe as a file name everywhere.

A record id is a ULID in lowercase Crockford base32: 10 characters of milliseconds since the
epoch, then 16 characters (80 bits) of randomness. Ids are generated, never derived from text.
The caller passes the time and, in tests, the random bytes: nothing here reads a clock.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

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
    chars = []
    for _ in range(ID_LENGTH):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def is_record_id(text: str) -> bool:
    """True when `text` is a well-formed record id (lowercase ULID)."""
    return bool(_ID_RE.fullmatch(text))


def id_time_millis(record_id: str) -> int:
    """The milliseconds encoded in the first ten characters of an id."""
    value = 0
    for char in record_id[:10]:
        value = value * 32 + ALPHABET.index(char)
    return value


def prefix_months(prefix: str, most: int = 2) -> list[tuple[int, int]] | None:
    """The UTC (year, month)s that ids starting with `prefix` were made in (peerlog files a
    record in the month of its id's time), or None when the prefix cannot be an id's start or
    leaves more than `most` months open (a short prefix fixes only a span of time)."""
    head = prefix[:10]
    if not head or any(char not in ALPHABET for char in head) or head[0] > "7":
        return None
    low = high = 0
    for position in range(10):
        value = ALPHABET.index(head[position]) if position < len(head) else None
        low = low * 32 + (0 if value is None else value)
        high = high * 32 + (31 if value is None else value)
    months: list[tuple[int, int]] = []
    for millis in (low, high):
        try:
            moment = datetime.fromtimestamp(millis / 1000, UTC)
        except (ValueError, OverflowError, OSError):  # beyond the year 9999: no month to say
            return None
        months.append((moment.year, moment.month))
    (first_year, first_month), (last_year, last_month) = months
    span = (last_year - first_year) * 12 + last_month - first_month + 1
    if span > most:
        return None
    return [
        (first_year + (first_month - 1 + step) // 12, (first_month - 1 + step) % 12 + 1)
        for step in range(span)
    ]
