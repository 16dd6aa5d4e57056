"""Records of who may speak in a space: admissions, device approvals and revocations.

- `admit`: a member says "this key is `member`'s, I compared its fingerprint with them"
  (`peerlog space admit M`). A member counts once every current member has admitted them;
  the space's creator and its first joiner admit each other.
- `device-approve`: a member says "this key, of my device `device`, speaks for me too"
  (`peerlog device approve`), from a device of theirs already trusted.
- `device-revoke`: a member says "my device `device` is lost": what it signs later no longer
  counts (`peerlog device revoke`).
- `leave`: a member leaves the space; nobody else can remove them (`peerlog space leave`).
- `vouch`: a member vouches for their own unsigned 0.1 records (`peerlog space upgrade`).
- `key-grant`: in a sealed space, a space key of one epoch sealed to one device's key (written
  by whoever admits a member or approves a device, and to every device still trusted when the
  key is rotated); fold/seal.py decides which grants count.

Every record names the key that signed it in its envelope (`key`); these name the key they
are about in `member_key`. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from peerlog.classes import dataclass
from peerlog.records.model import KEY_CHARS, InvalidRecord, Record, read_id, read_str


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyRecord(Record):
    """A statement about one key of one member's device."""

    PAYLOAD: ClassVar[tuple[str, ...]] = ("member", "member_device", "member_key")

    member: str
    member_device: str
    member_key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Admission(KeyRecord):
    TYPE: ClassVar[str] = "admit"


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceApproval(KeyRecord):
    TYPE: ClassVar[str] = "device-approve"


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceRevocation(KeyRecord):
    TYPE: ClassVar[str] = "device-revoke"


@dataclass(frozen=True, slots=True, kw_only=True)
class Vouch(Record):
    """A member's signed word for their own unsigned records from before peerlog signed
    (`peerlog space upgrade`): each as "<id>:<sha256 of its file>"."""

    TYPE: ClassVar[str] = "vouch"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("records",)

    records: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Leave(Record):
    """A member leaves the space (`peerlog space leave`): from then on their devices no longer
    speak for them there, and agreement is among the members left."""

    TYPE: ClassVar[str] = "leave"


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyGrant(KeyRecord):
    """A sealed space's key for `epoch`, sealed to the device key `member_key` (`wrapped`)."""

    TYPE: ClassVar[str] = "key-grant"
    PAYLOAD: ClassVar[tuple[str, ...]] = (*KeyRecord.PAYLOAD, "epoch", "wrapped")

    epoch: str
    wrapped: str


MEMBERSHIP_TYPES: tuple[type[Record], ...] = (
    Admission,
    DeviceApproval,
    DeviceRevocation,
    Vouch,
    Leave,
)
_ALL: tuple[type[Record], ...] = (*MEMBERSHIP_TYPES, KeyGrant)
TYPE_NAMES = {cls.TYPE: cls for cls in _ALL}
EPOCH_RE = re.compile(r"[0-7][0-9a-hjkmnp-tv-z]{25}")
WRAPPED_MAX = 200  # a 32-byte key sealed to a device is 80 bytes
VOUCH_RE = re.compile(r"[0-7][0-9a-hjkmnp-tv-z]{25}:[0-9a-f]{64}")
VOUCH_MAX = 500  # per record: front matter stays under its 64 KiB limit


def payload_of(cls: type[Record], fields: Mapping[str, Any]) -> dict[str, Any]:
    """Validated payload for a membership record. Raises InvalidRecord."""
    if cls is Leave:
        return {}
    if cls is Vouch:
        items = fields.get("records")
        if not (
            isinstance(items, list)
            and len(items) <= VOUCH_MAX
            and all(isinstance(i, str) and VOUCH_RE.fullmatch(i) for i in items)
        ):
            raise InvalidRecord("'records' must be a list of '<id>:<sha256>'")
        return {"records": tuple(items)}
    member = read_id(fields, "member", "member id")
    device = read_id(fields, "member_device", "device id")
    key = read_str(fields, "member_key")
    if len(key) != KEY_CHARS:
        raise InvalidRecord("'member_key' is not a public key")
    payload = {"member": member, "member_device": device, "member_key": key}
    if cls is KeyGrant:
        epoch, wrapped = read_str(fields, "epoch"), read_str(fields, "wrapped")
        if not EPOCH_RE.fullmatch(epoch):
            raise InvalidRecord("'epoch' is not a key epoch")
        if not 0 < len(wrapped) <= WRAPPED_MAX:
            raise InvalidRecord("'wrapped' is not a sealed key")
        payload.update(epoch=epoch, wrapped=wrapped)
    return payload
