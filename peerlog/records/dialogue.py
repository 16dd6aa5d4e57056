"""Records of the ongoing dialogue: check-ins, space agreements, shared resources.

- `checkin`: "How are you feeling?" (mood 1-5), what went well, what is hard, what I need, what I
  can offer; the body is a free note. Replies to it are ordinary `reply` records.
- `agreement`: a member's say on one of the space's agreements (for now, the check-in
  cadence). An agreement holds when every member says the same (see fold/agreements.py).
- `resource`: something that helped (a title, a link, a note, tags); `helped` marks that it
  helped me too. Helped marks are shown per member, never ranked.

Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, ClassVar

from peerlog.classes import dataclass
from peerlog.errors import UsageError
from peerlog.records.model import (
    InvalidRecord,
    Record,
    read_id,
    read_mood,
    read_optional_member,
    read_short,
    read_tags,
)

ITEM_MAX = 2_000
AGREEMENT_TOPICS = ("cadence",)


@dataclass(frozen=True, slots=True, kw_only=True)
class Checkin(Record):
    TYPE: ClassVar[str] = "checkin"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("mood", "wins", "struggles", "need", "offer")

    mood: int | None = None
    wins: tuple[str, ...] = ()
    struggles: tuple[str, ...] = ()
    need: str = ""
    offer: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Agreement(Record):
    TYPE: ClassVar[str] = "agreement"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("topic", "value")

    topic: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource(Record):
    TYPE: ClassVar[str] = "resource"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("title", "url", "tags")

    title: str
    url: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Helped(Record):
    """'This helped me' for a resource."""

    TYPE: ClassVar[str] = "helped"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("target", "target_by")

    target: str
    target_by: str = ""  # the resource's author (empty in records written before it existed)


TYPE_NAMES = {cls.TYPE: cls for cls in (Checkin, Agreement, Resource, Helped)}


def payload_of(cls: type[Record], fields: Mapping[str, Any]) -> dict[str, Any]:
    """Validated payload for a dialogue record class. Raises InvalidRecord."""
    if cls is Checkin:
        return {
            "mood": read_mood(fields),
            "wins": _texts(fields, "wins"),
            "struggles": _texts(fields, "struggles"),
            "need": _text(fields, "need"),
            "offer": _text(fields, "offer"),
        }
    if cls is Agreement:
        return {"topic": read_short(fields, "topic"), "value": read_short(fields, "value")}
    if cls is Resource:
        title, tags = read_short(fields, "title"), read_tags(fields)
        return {"title": title, "url": _text(fields, "url"), "tags": tags}
    if cls is Helped:
        return {
            "target": read_id(fields, "target"),
            "target_by": read_optional_member(fields, "target_by"),
        }
    raise InvalidRecord(f"unknown record class {cls.__name__}")


def _text(fields: Mapping[str, Any], key: str) -> str:
    value = fields.get(key, "")
    if not isinstance(value, str) or len(value) > ITEM_MAX:
        raise InvalidRecord(f"'{key}' must be text of at most {ITEM_MAX} characters")
    return value


def _texts(fields: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = fields.get(key, [])
    if not (
        isinstance(value, list)
        and len(value) <= 100
        and all(isinstance(v, str) and len(v) <= ITEM_MAX for v in value)
    ):
        raise InvalidRecord(f"'{key}' must be a list of texts")
    return tuple(value)


_CADENCE_RE = re.compile(r"(?P<n>\d{1,4})\s*(?P<unit>d|day|days|w|week|weeks)", re.IGNORECASE)
_CADENCE_WORDS = {"daily": "1d", "weekly": "1w", "fortnightly": "2w"}


def parse_cadence(text: str) -> timedelta:
    """A check-in cadence: `2d`, `3 days`, `1w`, `daily`, `weekly`, `fortnightly`."""
    cleaned = _CADENCE_WORDS.get(text.strip().lower(), text.strip())
    match = _CADENCE_RE.fullmatch(cleaned)
    if not match or not 1 <= int(match["n"]) <= 365:
        raise UsageError(
            f"Could not understand the cadence '{text}'.",
            hint="Use a number of days or weeks, e.g. 2d, 3 days, 1w, or daily / weekly.",
        )
    days = int(match["n"]) * (7 if match["unit"].lower().startswith("w") else 1)
    return timedelta(days=days)


def canonical_cadence(text: str) -> str:
    """The one spelling of a cadence: `2d`, or `1w` for whole weeks."""
    days = parse_cadence(text).days
    return f"{days // 7}w" if days % 7 == 0 else f"{days}d"


def describe_cadence(delta: timedelta) -> str:
    days = delta.days
    if days == 1:
        return "every day"
    if days % 7 == 0:
        weeks = days // 7
        return "every week" if weeks == 1 else f"every {weeks} weeks"
    return f"every {days} days"
