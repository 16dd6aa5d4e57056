"""Sealed spaces: the keys of a space this device holds, granting them, rotating them.

- `space create --sealed` makes the first key (epoch) and grants it to the creator's device.
- `space admit` and `device approve` grant every key this device holds to the new key, so a
  new member or device reads the history.
- When a key granted the newest epoch stops speaking (a revoked device, a member who left),
  the next write by a device that still speaks makes a new epoch first and grants it to every
  key still trusted (fold/seal.py says when): what is written afterwards is sealed with a key
  the departed device never had. What they could read before stays readable to them.

Which grants count is fold/seal.py's; the crypto is store/seal.py's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, cast

from peerlog.fold.seal import counted_grants, rotation_needed, speaking_keys
from peerlog.fold.trust import KeyView, Membership, fingerprint
from peerlog.records import Profile, Record, new_record_id
from peerlog.records.membership import MEMBERSHIP_TYPES, KeyGrant
from peerlog.store.home import Identity, SpaceRef
from peerlog.store.seal import Seal, derive_key, new_key, unwrapper, wrap_key
from peerlog.store.sealed_index import save_keys

if TYPE_CHECKING:
    from peerlog.actions.journal import JournalSession

CLEAR_TYPES = frozenset({Profile.TYPE, KeyGrant.TYPE, *(cls.TYPE for cls in MEMBERSHIP_TYPES)})
LEARN_FROM = (KeyGrant.TYPE, *(cls.TYPE for cls in MEMBERSHIP_TYPES))


def space_seal(ref: SpaceRef, identity: Identity, creator: tuple[str, str | None]) -> Seal:
    """The seal of a sealed space for this device: its index key, and how it learns the
    space keys granted to it."""
    assert identity.key is not None, "a sealed space needs this device's key"
    device_key = identity.key
    opened: dict[str, bytes | None] = {}  # wrapped key -> key, opened once per process

    def learn(records: Sequence[Record]) -> dict[str, bytes]:
        grants, membership = counted_grants(records, *creator)
        seal.found = (grants, membership)
        found: dict[str, bytes] = {}
        mine = [g for g in grants if g.member_key == device_key.public]  # sealed to this device
        unopened = [g for g in mine if g.wrapped not in opened]
        if unopened:
            unwrap = unwrapper(device_key.secret())
            opened.update((g.wrapped, unwrap(g.wrapped)) for g in unopened)
        for grant in mine:
            key = opened.get(grant.wrapped)
            if key is not None:
                found.setdefault(grant.epoch, key)
        newest = max([*found, *seal.keys], default="")
        seal.rotate = bool(newest) and rotation_needed(
            grants, membership, newest, device_key.public
        )
        from peerlog.actions.spaces import standing_of_key

        seal.standing = standing_of_key(
            membership, identity.member, identity.device, device_key.public
        )
        return found

    shown = fingerprint(device_key.public, ref.id)
    missing = (
        "this device holds no key for them yet: ask a member to run "
        f"`peerlog space admit {identity.member}` (or, for a further device of yours, "
        f"`peerlog device approve` on one already admitted) after comparing this device's "
        f"fingerprint {shown}; once they have, the key arrives with the next sync"
    )
    seal = Seal(
        derive_key(device_key.secret(), f"peerlog index of space {ref.id}"),
        clear_types=CLEAR_TYPES,
        learn=learn,
        learn_from=LEARN_FROM,
        missing=missing,
    )
    return seal


def grant_keys(session: JournalSession, key: KeyView, *, now: datetime) -> None:
    """Grant every space key this device holds to `key` (a member just admitted, a device
    just approved)."""
    seal = session.store.seal
    if seal is None:
        return
    session.store.index.refresh()
    for epoch, secret in sorted(seal.keys.items()):
        _grant(session, (key.member, key.device, key.key), epoch, secret, now=now)


def _grant(
    session: JournalSession, to: tuple[str, str, str], epoch: str, secret: bytes, *, now: datetime
) -> None:
    """Publish a grant of the key of `epoch` to `to` (member, device, public key)."""
    from peerlog.actions.journal import publish_as_me

    member, device, key = to
    publish_as_me(
        session,
        KeyGrant,
        now=now,
        member=member,
        member_device=device,
        member_key=key,
        epoch=epoch,
        wrapped=wrap_key(key, secret),
    )


def first_key(session: JournalSession, *, now: datetime) -> None:
    """A new sealed space's first key, granted to its creator's device."""
    me, seal = session.identity, session.store.seal
    assert seal is not None and me.key is not None
    epoch, secret = new_record_id(now), new_key()
    _grant(session, (me.member, me.device, me.key.public), epoch, secret, now=now)
    seal.keys[epoch] = secret


def rotate_if_needed(session: JournalSession, *, now: datetime) -> None:
    """Make a new epoch before writing, when a key granted the newest one no longer speaks
    (fold/seal.py)."""
    seal, me = session.store.seal, session.identity
    if seal is None or me.key is None:
        return
    session.store.index.refresh()
    writing = seal.writing()
    if writing is None:
        return
    # What `learn` judged by, on the refresh above:
    grants, membership = cast("tuple[list[KeyGrant], Membership]", seal.found)
    if not rotation_needed(grants, membership, writing[0], me.key.public):
        return
    epoch, secret = new_record_id(now), new_key()
    if epoch <= writing[0]:
        return  # a clock set far back: the newest epoch would stay the old one
    for speaking in speaking_keys(membership):
        _grant(session, speaking, epoch, secret, now=now)
    seal.keys[epoch] = secret
    seal.rotate = False
    save_keys(seal, session.store.cache_folder)
    session.store.index.changed()  # the next read learns the new epoch from its grants
