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
    read_optional_member,
    read_str,
)
from peerlog.records.tags import TAG_MAX

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


DIALOGUE_TYPES: tuple[type[Record], ...] = (Checkin, Agreement, Resource, Helped)
TYPE_NAMES = {cls.TYPE: cls for cls in DIALOGUE_TYPES}


def fields_of(record: Record) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if isinstance(record, Checkin):
        if record.mood is not None:
            fields["mood"] = record.mood
        fields["wins"] = list(record.wins)
        fields["struggles"] = list(record.struggles)
        fields["need"] = record.need
        fields["offer"] = record.offer
    elif isinstance(record, Agreement):
        fields["topic"] = record.topic
        fields["value"] = record.value
    elif isinstance(record, Resource):
        fields["title"] = record.title
        fields["url"] = record.url
        fields["tags"] = list(record.tags)
    elif isinstance(record, Helped):
        fields["target"] = record.target
        if record.target_by:
            fields["target_by"] = record.target_by
    return fields


def payload_of(cls: type[Record], fields: Mapping[str, Any]) -> dict[str, Any]:
    """Validated payload for a dialogue record class. Raises InvalidRecord."""
    if cls is Checkin:
        mood = fields.get("mood")
        if mood is not None and (
            not isinstance(mood, int) or isinstance(mood, bool) or not 1 <= mood <= 5
        ):
            raise InvalidRecord("'mood' must be a whole number from 1 to 5")
        return {
            "mood": mood,
            "wins": _texts(fields, "wins"),
            "struggles": _texts(fields, "struggles"),
            "need": _text(fields, "need"),
            "offer": _text(fields, "offer"),
        }
    if cls is Agreement:
        return {"topic": _short(fields, "topic"), "value": _short(fields, "value")}
    if cls is Resource:
        title = _short(fields, "title")
        tags = fields.get("tags", [])
        if not isinstance(tags, list) or not all(
            isinstance(t, str) and 0 < len(t) <= TAG_MAX for t in tags
        ):
            raise InvalidRecord("'tags' must be a list of short texts")
        return {"title": title, "url": _text(fields, "url"), "tags": tuple(tags)}
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


def _short(fields: Mapping[str, Any], key: str) -> str:
    value = read_str(fields, key)
    if not 0 < len(value) <= 200:
        raise InvalidRecord(f"'{key}' must be 1 to 200 characters")
    return value


def _texts(fields: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = fields.get(key, [])
    if not isinstance(value, list) or len(value) > 100:
        raise InvalidRecord(f"'{key}' must be a list of texts")
    if not all(isinstance(v, str) and len(v) <= ITEM_MAX for v in value):
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
