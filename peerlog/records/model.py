"""The record dataclasses and their mapping to and from front-matter fields.

A record is an immutable fact with an envelope (format, id, type, author, device, clock, created)
and a type-specific payload. `record_from_fields` is the single place where untrusted front matter
becomes a typed record: everything it accepts is validated here. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import UTC, datetime
from importlib import import_module
from typing import Any, ClassVar

from peerlog.classes import dataclass
from peerlog.records.ids import is_record_id
from peerlog.records.names import is_device_id, is_member_id
from peerlog.records.tags import TAG_MAX

FORMAT = 1
ENVELOPE_KEYS = ("format", "id", "type", "author", "device", "clock", "created")
SIGNED_KEYS = ("key",)  # the envelope of a signed record (every record since 0.1) adds these
KEY_CHARS = 43  # an Ed25519 public key, base64url without padding (peerlog.store.keys)
YEAR_MIN, YEAR_MAX = 1900, 9998  # the WHEN parser's range, less a year of headroom
MAX_CLOCK = 2**53  # anything larger is not a real clock; it would also break JSON consumers


class InvalidRecord(ValueError):
    """Front matter that does not make a valid record. The message says which field and why."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """The envelope every record carries."""

    TYPE: ClassVar[str] = ""
    PAYLOAD: ClassVar[tuple[str, ...]] = ()

    id: str
    author: str
    device: str
    clock: int
    created: datetime
    body: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    format: int = FORMAT
    # The public key of the device that signed it; "" for an unsigned record (peerlog 0.1).
    # The codec checks the signature before a record is made, so a record with a key is one
    # that key signed, byte for byte. Whether the key may speak for `author` is fold.trust's.
    key: str = ""
    # Never read from or written to a file: "" for a record that counts as its author's, else
    # why a space shows it without counting it ("not yet admitted", "unsigned"; fold.trust).
    standing: str = field(default="", compare=False)

    @property
    def type(self) -> str:
        return self.TYPE

    def order_key(self) -> tuple[int, str]:
        """Merge order: logical clock, ties broken by id (DESIGN §2.6)."""
        return (self.clock, self.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry(Record):
    """A journal entry. `when` is when it happened (back-dating moves it); `tags` are the ones
    given explicitly, inline `#tags` stay in the body."""

    TYPE: ClassVar[str] = "entry"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("date", "tags", "mood")

    when: datetime
    tags: tuple[str, ...] = ()
    mood: int | None = None

    @property
    def starred(self) -> bool:
        """Marked with a star (`starred = true`: `write --star`, or jrnl's star on import);
        anything but a true boolean is not a star."""
        return self.extra.get("starred") is True


@dataclass(frozen=True, slots=True, kw_only=True)
class Revision(Record):
    """A new version of an entry's text, tags and mood; the old version stays on disk."""

    TYPE: ClassVar[str] = "revision"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("target", "tags", "mood")

    target: str
    tags: tuple[str, ...] = ()
    mood: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Deletion(Record):
    """A tombstone: the target disappears from every view, its file stays."""

    TYPE: ClassVar[str] = "deletion"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("target",)

    target: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply(Record):
    """A reply to another record (an entry or a check-in); the body is the reply.

    `target_by` names the target's author: a record is known by its author and id together,
    so a copy of the id in someone else's folder can never draw the reply to itself. Replies
    written before it existed leave it empty."""

    TYPE: ClassVar[str] = "reply"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("target", "target_by")

    target: str
    target_by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile(Record):
    """A member's presence in a space: written when they join, again if their name changes."""

    TYPE: ClassVar[str] = "profile"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("name",)

    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownRecord(Record):
    """A record of a type this version does not know (written by a newer peerlog): kept, ignored."""

    type_name: str

    @property
    def type(self) -> str:
        return self.type_name


_TYPES: dict[str, type[Record]] = {
    cls.TYPE: cls for cls in (Entry, Revision, Deletion, Reply, Profile)
}
SHORT_MAX = 200  # characters of a name, a title, an agreement's topic or value
# Record types defined in other modules (goals, check-ins, resources, agreements). They load on
# first decode, so writing a journal entry never pays for them. Each module provides TYPE_NAMES
# and payload_of(cls, fields).
EXTENSION_MODULES = (
    "peerlog.records.goals",
    "peerlog.records.dialogue",
    "peerlog.records.membership",
)
_extension_types: dict[str, type[Record]] = {}
# A payload key whose attribute has another name.
_ATTRIBUTES = {"date": "when"}


def _extension_type(type_name: str) -> type[Record] | None:
    if not _extension_types:
        for module_name in EXTENSION_MODULES:
            _extension_types.update(import_module(module_name).TYPE_NAMES)
    return _extension_types.get(type_name)


def storable_time(moment: datetime) -> datetime:
    """`moment` with a UTC offset RFC 3339 can write (whole minutes): historic local-mean-time
    offsets such as +00:19:32 become UTC. The instant is unchanged."""
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        return moment.astimezone(UTC)
    return moment


def record_to_fields(record: Record) -> dict[str, Any]:
    """Front-matter fields for `record`, envelope first, then payload (in `PAYLOAD` order), then
    unknown keys kept. A payload value of None is left out, and so is an empty `…_by` (the
    author of what a record points at, which records written before it existed lack)."""
    fields: dict[str, Any] = {
        "format": record.format,
        "id": record.id,
        "type": record.type,
        "author": record.author,
        "device": record.device,
        "clock": record.clock,
        "created": storable_time(record.created),
    }
    if record.key:
        fields["key"] = record.key
    for key in record.PAYLOAD:
        value = getattr(record, _ATTRIBUTES.get(key, key))
        if value is None or (value == "" and key.endswith("_by")):
            continue
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)  # a whole amount is written as an integer
        fields[key] = value
    if isinstance(record, Entry):
        fields["date"] = storable_time(record.when)
    for key, value in record.extra.items():
        fields.setdefault(key, value)
    return fields


def record_from_fields(fields: Mapping[str, Any], body: str) -> Record:
    """Build a validated record from parsed front matter. Raises InvalidRecord."""
    fmt = _int(fields, "format", minimum=1)
    record_id = read_id(fields, "id")
    type_name = read_str(fields, "type")
    author = read_id(fields, "author", "member id")
    device = read_id(fields, "device", "device id")
    envelope: dict[str, Any] = {
        "format": fmt,
        "id": record_id,
        "author": author,
        "device": device,
        "clock": _int(fields, "clock", minimum=0),
        "created": read_datetime(fields, "created"),
        "body": body,
        "key": _key(fields),
    }
    cls = _TYPES.get(type_name) or _extension_type(type_name) or UnknownRecord
    payload: dict[str, Any] = {"type_name": type_name} if cls is UnknownRecord else {}
    if cls is Entry:
        payload["when"] = read_datetime(fields, "date")
    if cls is Profile:
        payload["name"] = read_short(fields, "name")
    if cls in (Revision, Deletion, Reply):
        payload["target"] = read_id(fields, "target")
    if cls is Reply:
        payload["target_by"] = read_optional_member(fields, "target_by")
    if cls in (Entry, Revision):
        payload["tags"] = read_tags(fields)
        payload["mood"] = read_mood(fields)
    if cls.__module__ in EXTENSION_MODULES:
        payload = import_module(cls.__module__).payload_of(cls, fields)
    extra = {
        k: v
        for k, v in fields.items()
        if k not in ENVELOPE_KEYS and k not in SIGNED_KEYS and k not in cls.PAYLOAD
    }
    return cls(extra=extra, **envelope, **payload)


def _key(fields: Mapping[str, Any]) -> str:
    value = fields.get("key", "")
    if not isinstance(value, str) or (value and len(value) != KEY_CHARS):
        raise InvalidRecord("'key' is not a public key")
    return value


def record_digest(record: Record) -> str:
    """A SHA-256 of everything a record says (its fields and body): what `space upgrade`
    vouches for, for a record written before peerlog signed records."""
    import hashlib

    fields = repr(sorted(record_to_fields(record).items()))
    return hashlib.sha256(f"{fields}\n{record.body}".encode("utf-8", "surrogatepass")).hexdigest()


def read_str(fields: Mapping[str, Any], key: str) -> str:
    value = fields.get(key)
    if not isinstance(value, str):
        raise InvalidRecord(f"'{key}' is missing or not text")
    return value


def read_short(fields: Mapping[str, Any], key: str) -> str:
    value = read_str(fields, key)
    if not 0 < len(value) <= SHORT_MAX:
        raise InvalidRecord(f"'{key}' must be 1 to {SHORT_MAX} characters")
    return value


def read_optional_member(fields: Mapping[str, Any], key: str) -> str:
    """A member id that may be missing (records written before the key existed): "" then."""
    value = fields.get(key, "")
    if value == "":
        return ""
    if not isinstance(value, str) or not is_member_id(value):
        raise InvalidRecord(f"'{key}' is not a member id")
    return value


def _int(fields: Mapping[str, Any], key: str, *, minimum: int) -> int:
    value = fields.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidRecord(f"'{key}' is missing or not a whole number")
    if not minimum <= value <= MAX_CLOCK:
        raise InvalidRecord(f"'{key}' is out of range: {value}")
    return value


def read_datetime(fields: Mapping[str, Any], key: str) -> datetime:
    value = fields.get(key)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidRecord(f"'{key}' is not an RFC 3339 date-time") from None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidRecord(f"'{key}' must be a date-time with a UTC offset")
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        # Dates at the ends of the calendar overflow when moved between time zones.
        raise InvalidRecord(f"'{key}' is outside the years {YEAR_MIN} to {YEAR_MAX}")
    return value


_KINDS = {"record id": is_record_id, "member id": is_member_id, "device id": is_device_id}


def read_id(fields: Mapping[str, Any], key: str, kind: str = "record id") -> str:
    """A record id, or a member or device id (`kind`)."""
    value = read_str(fields, key)
    if not _KINDS[kind](value):
        raise InvalidRecord(f"'{key}' is not a {kind}: {value[:40]!r}")
    return value


def read_tags(fields: Mapping[str, Any]) -> tuple[str, ...]:
    value = fields.get("tags", [])
    if not isinstance(value, list) or not all(
        isinstance(t, str) and 0 < len(t) <= TAG_MAX for t in value
    ):
        raise InvalidRecord("'tags' must be a list of short texts")
    return tuple(value)


def read_mood(fields: Mapping[str, Any]) -> int | None:
    value = fields.get("mood")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise InvalidRecord("'mood' must be a whole number from 1 to 5")
    return value
