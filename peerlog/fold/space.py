"""Who is in a space: members, their display names, their devices and recent activity. Pure.

Balance, never ranking: members are listed by id, and nothing here compares one with another.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from peerlog.classes import dataclass
from peerlog.fold.trust import counted
from peerlog.records import Profile, Record
from peerlog.records.membership import Leave

SKEW_TOLERANCE = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class DeviceView:
    """One device of a member, as seen through its records."""

    device: str
    records: int
    first: datetime
    last: datetime


@dataclass(frozen=True, slots=True)
class MemberView:
    member: str
    name: str | None  # from their newest profile record; None until it arrives
    devices: tuple[DeviceView, ...]

    @property
    def last_activity(self) -> datetime | None:
        return max((d.last for d in self.devices), default=None)


def fold_members(records: Iterable[Record]) -> tuple[MemberView, ...]:
    """Members by id, with their devices (by device id) and newest display name. A member
    whose newest `leave` is later than their newest profile has left, and is not listed.
    Only records that count make a member (a newcomer not yet admitted is not one)."""
    profiles: dict[str, Profile] = {}
    left: dict[str, tuple[int, str]] = {}
    seen: dict[tuple[str, str], tuple[int, datetime, datetime]] = {}
    for record in counted(records):
        if isinstance(record, Leave):
            left[record.author] = max(left.get(record.author, (-1, "")), record.order_key())
        if isinstance(record, Profile):
            known = profiles.get(record.author)
            if known is None or record.order_key() > known.order_key():
                profiles[record.author] = record
        key = (record.author, record.device)
        count, first, last = seen.get(key, (0, record.created, record.created))
        seen[key] = (count + 1, min(first, record.created), max(last, record.created))
    members: dict[str, list[DeviceView]] = {}
    for (member, device), (count, first, last) in sorted(seen.items()):
        if member in left and (
            member not in profiles or profiles[member].order_key() < left[member]
        ):
            continue
        members.setdefault(member, []).append(DeviceView(device, count, first, last))
    return tuple(
        MemberView(
            member=member,
            name=profiles[member].name if member in profiles else None,
            devices=tuple(views),
        )
        for member, views in sorted(members.items())
    )


def display_names(records: Iterable[Record]) -> dict[str, str]:
    """How to show each member who has a profile: their display name ("Ben Okafor"), with the
    member id added where the name alone could mislead ("Ben Okafor (ben-o)"): two members go
    by the same name, or a name reads as another member's id ("sam", "Sam (sam)"). Names come
    from other machines: they are compared as a reader sees them (any case, invisible
    characters dropped), and a name that shows as nothing is replaced by the member id. A
    profile that counts always wins over one only shown (fold/trust.py), which names a
    newcomer."""
    profiles: dict[str, Profile] = {}
    for record in records:
        if isinstance(record, Profile):
            known = profiles.get(record.author)
            if known is None or _rank(record) > _rank(known):
                profiles[record.author] = record
    names = {member: " ".join(p.name.split()) for member, p in profiles.items()}
    seen = {member: _as_read(name) for member, name in names.items()}
    taken = Counter(seen.values())

    def misleads(member: str) -> bool:
        key = seen[member]
        return taken[key] > 1 or any(
            other != member and (key == other or f"({other})" in key) for other in profiles
        )

    return {
        member: member if not seen[member] else f"{name} ({member})" if misleads(member) else name
        for member, name in names.items()
    }


def _rank(profile: Profile) -> tuple[bool, tuple[int, str]]:
    return (not profile.standing, profile.order_key())


# Characters that draw nothing (beyond the format and control categories): two names that
# differ only by them look the same on screen.
_BLANK = frozenset("\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")


def _as_read(name: str) -> str:
    """`name` as a reader tells it apart: compatibility forms folded, any case, without the
    characters that draw nothing, white space as single spaces."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    shown = "".join(
        c for c in folded if c not in _BLANK and unicodedata.category(c) not in ("Cc", "Cf")
    )
    return " ".join(shown.split())


def skewed_devices(
    members: Iterable[MemberView], now: datetime
) -> list[tuple[str, DeviceView, timedelta]]:
    """Devices whose newest record claims a time further ahead of `now` than `SKEW_TOLERANCE`."""
    found = []
    for member in members:
        for device in member.devices:
            ahead = device.last - now
            if ahead > SKEW_TOLERANCE:
                found.append((member.member, device, ahead))
    return found
