"""Membership: admitting a member after a fingerprint check, approving and revoking one's own
devices. Each action writes one signed record into the space (records/membership.py); what
it adds up to is fold/trust.py's. Refuses, with a sentence saying why, what DESIGN §4 does
not allow: admitting yourself, approving another member's device, a fingerprint that does not
match.
"""

from __future__ import annotations

from datetime import datetime

from peerlog.actions.journal import JournalSession, R, publish_as_me
from peerlog.actions.sealing import grant_keys, rotate_if_needed
from peerlog.actions.spaces import describe_space, open_space
from peerlog.errors import NotFound, Refused, UsageError
from peerlog.fold.trust import KeyView, fingerprint
from peerlog.records.membership import (
    VOUCH_MAX,
    Admission,
    DeviceApproval,
    DeviceRevocation,
    Leave,
    Vouch,
)
from peerlog.records.model import record_digest
from peerlog.store import Home
from peerlog.store.home import registered_spaces


def pick_space(home: Home, space: str | None) -> str:
    """The space a membership command is for: the one named, or the only one joined."""
    if space is not None:
        return space
    spaces = sorted(registered_spaces(home))
    if len(spaces) == 1:
        return spaces[0]
    raise UsageError(
        "Which space? You have joined " + (", ".join(spaces) if spaces else "none") + ".",
        hint="Name it with --space S.",
    )


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _choose(keys: list[KeyView], space_id: str, given: str | None, who: str) -> KeyView:
    if given is not None:
        wanted = _digits(given)
        for key in keys:
            if _digits(fingerprint(key.key, space_id)) == wanted:
                return key
        raise Refused(
            f"No key of {who} in this space has the fingerprint {given}.",
            hint="Compare again with what their screen shows (`peerlog space show`); "
            "never admit a key whose fingerprint you have not checked with them.",
        )
    if len(keys) > 1:
        shown = "; ".join(fingerprint(k.key, space_id) for k in keys)
        raise UsageError(
            f"{who} has {len(keys)} keys waiting here ({shown}): someone may be posing as them.",
            hint="Ask them which one their screen shows and pass it with --fingerprint.",
        )
    return keys[0]


def admission_candidate(
    home: Home, space: str, member: str, given: str | None
) -> tuple[KeyView, str]:
    """The key of `member` to admit (and the space's id, for its fingerprint)."""
    report = describe_space(home, space)
    if member == report.me[0]:
        raise Refused(
            "You cannot admit yourself.",
            hint="Your further devices are approved with `peerlog device approve`.",
        )
    membership = report.membership
    if membership.secured and member in membership.members:
        raise Refused(
            f"{member} is already a member of {space}.",
            hint=f"{member}'s new devices are approved by {member}, with `peerlog device approve`.",
        )
    keys = [k for k in membership.keys if k.member == member and k.status == "waiting"]
    if not membership.secured and member == report.ref.creator and report.ref.creator_key:
        keys = [k for k in keys if k.key == report.ref.creator_key]
    if not keys:
        raise NotFound(
            f"No key of {member} has reached {space} yet.",
            hint=f"Wait until {member} has run `peerlog space join` and it has synced here.",
        )
    return _choose(keys, report.ref.id, given, member), report.ref.id


def admit(home: Home, space: str, key: KeyView, *, now: datetime) -> Admission:
    """Publish my admission of `key` for its member (and, in a sealed space, grant it the
    space's keys)."""
    session = open_space(home, space)
    record = _publish_about(session, Admission, key, now=now)
    grant_keys(session, key, now=now)
    return record


def waiting_devices(home: Home, space: str, given: str | None) -> tuple[KeyView, str]:
    """A device of mine waiting for approval in `space`."""
    report = describe_space(home, space)
    member = report.me[0]
    if not report.membership.secured:
        raise Refused(
            f"{space} is not secured yet, so there is nothing to approve.",
            hint="First admit each other: `peerlog space admit M`.",
        )
    if member not in report.membership.members:
        raise Refused(f"You are not admitted in {space} yet, so you cannot approve devices.")
    keys = [k for k in report.membership.keys if k.member == member and k.status == "waiting"]
    if not keys:
        raise NotFound(
            f"No device of yours is waiting in {space}.",
            hint="On the new device run `peerlog space join PATH`, then wait for it to sync.",
        )
    return _choose(keys, report.ref.id, given, "you"), report.ref.id


def approve(home: Home, space: str, key: KeyView, *, now: datetime) -> DeviceApproval:
    session = _from_trusted_device(home, space)
    record = _publish_about(session, DeviceApproval, key, now=now)
    grant_keys(session, key, now=now)
    return record


def _from_trusted_device(home: Home, space: str) -> JournalSession:
    """The space, to approve or revoke a device in: refused unless this device is trusted."""
    report = describe_space(home, space)
    if report.me[2] not in report.membership.trusted:
        raise Refused(
            "This device is not trusted in this space, so it cannot approve or revoke devices.",
            hint="Use one of your devices that is (see `peerlog space show`).",
        )
    return open_space(home, space)


def _publish_about(session: JournalSession, cls: type[R], key: KeyView, *, now: datetime) -> R:
    """Publish a record of type `cls` by me about the device `key` is of."""
    return publish_as_me(
        session, cls, now=now, member=key.member, member_device=key.device, member_key=key.key
    )


def revocable(home: Home, space: str, device: str) -> KeyView:
    """My trusted device `device` (a unique start of its id) in `space`."""
    report = describe_space(home, space)
    member = report.me[0]
    keys = [
        k
        for k in report.membership.keys
        if k.member == member and k.status == "trusted" and k.device.startswith(device)
    ]
    if not keys:
        raise NotFound(f"You have no trusted device {device} in {space}.")
    if len(keys) > 1:
        raise UsageError(f"{device} starts the ids of several of your devices; give more of it.")
    return keys[0]


def revoke(home: Home, space: str, key: KeyView, *, now: datetime) -> DeviceRevocation:
    """Revoke my device `key` (in a sealed space, and rotate the key at once)."""
    session = _from_trusted_device(home, space)
    record = _publish_about(session, DeviceRevocation, key, now=now)
    rotate_if_needed(session, now=now)
    return record


def vouch_for_old_records(home: Home, space: str, *, now: datetime) -> int:
    """Vouch, with this device's signature, for the unsigned records it wrote here before
    peerlog signed records (the one upgrade step from 0.1): how many were vouched for now."""
    session = open_space(home, space)
    me = session.identity
    records = session.store.load(trusted=False).records
    own = me.key.public if me.key else ""
    done = {
        item
        for r in records
        if isinstance(r, Vouch) and r.key == own and r.author == me.member
        for item in r.records
    }
    wanted = sorted(
        f"{r.id}:{record_digest(r)}"
        for r in records
        if not r.key and (r.author, r.device) == (me.member, me.device)
    )
    new = [item for item in wanted if item not in done]
    for start in range(0, len(new), VOUCH_MAX):
        publish_as_me(session, Vouch, now=now, records=tuple(new[start : start + VOUCH_MAX]))
    return len(new)


def leave(home: Home, space: str, *, now: datetime) -> tuple[Leave, int]:
    """Leave `space`: first step back from every goal there I take part in (so nothing waits
    for me), then say I left. Nobody can make another member leave. Returns the leave record
    and how many goals I withdrew from."""
    from peerlog.actions.goals import read_goals, withdraw_goal

    session = open_space(home, space)
    me = session.identity.member
    goals, _ = read_goals([session], logs=False)
    withdrawn = 0
    for item in goals:
        if me in item.goal.active and item.goal.state not in ("withdrawn", "done"):
            withdraw_goal(session, item.goal, now=now, reason="left the space")
            withdrawn += 1
    return publish_as_me(session, Leave, now=now), withdrawn
