"""Which key grants of a sealed space count, and when its key must be rotated: pure folds
over the space's membership and grant records (fold/trust.py decides who speaks).

- A grant counts when its writer's key speaks for them at that point in merge order (the
  trust fold), or when it is signed by the creator's key that space.toml named (the creator
  grants the first key to themselves before anyone else is admitted), until that key is
  revoked or its owner leaves.
- The key must be rotated when a key that was granted the newest epoch no longer speaks (its
  device was revoked, or its member left): a new epoch, granted to every key still trusted,
  so what is written afterwards is sealed with a key they never had. Only a device that still
  speaks rotates; two rotating at once make two epochs, and writers take the newest.

No I/O, no clock, no crypto: the keys themselves are opened in store/seal.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from peerlog.fold.trust import Membership, fold_membership
from peerlog.records import Record
from peerlog.records.membership import KeyGrant


def grant_counts(grant: KeyGrant, membership: Membership, creator: tuple[str, str | None]) -> bool:
    if membership.key_counts(grant):
        return True
    member, key = creator
    if not key or (grant.author, grant.key) != (member, key):
        return False
    revoked = membership.revoked.get(key)
    return revoked is None or grant.order_key() <= revoked


def counted_grants(
    records: Sequence[Record], creator: str, creator_key: str | None
) -> tuple[list[KeyGrant], Membership]:
    """Every grant that counts, and the membership they were judged by."""
    membership = fold_membership(records, creator, creator_key)
    grants = [
        r
        for r in records
        if isinstance(r, KeyGrant) and grant_counts(r, membership, (creator, creator_key))
    ]
    return grants, membership


def speaking_keys(membership: Membership) -> list[tuple[str, str, str]]:
    """(member, device, key) of every key that speaks now: who a new epoch is granted to."""
    return sorted(
        (member, device, key)
        for key, (member, device) in membership.trusted.items()
        if key not in membership.revoked
    )


def rotation_needed(
    grants: Sequence[KeyGrant], membership: Membership, newest_epoch: str, mine: str
) -> bool:
    """Whether this device (key `mine`) should make a new epoch: some key granted the newest
    epoch no longer speaks, and mine still does."""
    if mine not in membership.trusted or mine in membership.revoked:
        return False
    granted = {g.member_key for g in grants if g.epoch == newest_epoch}
    return any(key in membership.revoked for key in granted)
