"""Who may speak in a space: a pure fold from records to the keys that count for each member,
and the filter `records -> trusted records + notes` applied before every other fold.

Every record a codec lets through either names the key that signed it (the signature was
checked against its exact bytes) or is unsigned (peerlog 0.1). Here:

- A space is *open* (as in 0.1) until its creator and another member admit each other: a
  `admit` record each way, each naming the other's key, each signed by its writer's key.
  From then on the space is *secured*.
- In a secured space a new member counts once every current member has admitted their key;
  a member may leave (nobody can remove another), and agreement is then among those left;
  a member's further device counts once one of that member's trusted devices approved it;
  a revoked device's records after the revocation (in merge order) stop counting.
- In a secured space only records signed by a key that counts for their author, from the
  device that key belongs to, count. Two kinds more are shown without counting, marked with
  their `standing`: a newcomer's records ("not yet admitted": the author is not a member, and
  the key that signed them is nobody's yet), and unsigned records (peerlog 0.1) until their
  device vouches for their exact bytes (`space upgrade`; of a member with a key here, only
  from that member's own devices); then the ones it vouched for count, any other is left out.
  Every fold that counts agreement (goals, agreements, members) passes records through
  `counted` first, so what is only shown never decides anything.
- Everything else is left out and summed up in one note per member and key: forged (another
  member's key), waiting (a key not yet approved or admitted for a member, e.g. someone
  posing as them from a fresh home), or revoked. Membership records (admissions, approvals,
  ...) are never shown: they count, or are left out.

Membership is followed in merge order, and the result depends only on the set of records, so
every machine agrees. No I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from peerlog.classes import dataclass
from peerlog.fold.claims import MERGE_ORDER
from peerlog.records import Record
from peerlog.records.membership import (
    MEMBERSHIP_TYPES,
    Admission,
    DeviceApproval,
    DeviceRevocation,
    KeyRecord,
    Leave,
    Vouch,
)
from peerlog.records.model import record_digest

NOT_ADMITTED = "not yet admitted"  # a newcomer's record: shown, counted for nothing
UNSIGNED = "unsigned"  # a 0.1 record in a secured space, not vouched for: shown, not counted


def counted(records: Iterable[Record]) -> Iterator[Record]:
    """The records that count: every fold that needs agreement starts from these."""
    return (record for record in records if not record.standing)


@dataclass(frozen=True, slots=True)
class KeyView:
    """One key seen in a space for a member, and where it stands."""

    member: str
    device: str
    key: str
    status: str  # trusted | waiting | revoked
    admitted_by: tuple[str, ...]  # members whose admission of this key counts


@dataclass(frozen=True, slots=True)
class Membership:
    secured: bool
    members: tuple[str, ...]  # admitted members, in the order they were admitted
    keys: tuple[KeyView, ...]  # every key seen, by member then device
    trusted: dict[str, tuple[str, str]]  # key -> (member, device) it speaks for
    revoked: dict[str, tuple[int, str]]  # key -> merge position of its revocation
    vouched: frozenset[tuple[str, str, str]]  # (member, device, "id:sha256") of old records

    def key_counts(self, record: Record) -> bool:
        """Whether `record` is signed by a key that speaks for its author and device."""
        if not record.key:
            if not self.vouched:
                return False
            vouched = f"{record.id}:{record_digest(record)}"
            return (record.author, record.device, vouched) in self.vouched
        if self.trusted.get(record.key) != (record.author, record.device):
            return False
        revoked = self.revoked.get(record.key)
        # A member's own `leave` is the last record their key speaks.
        return revoked is None or record.order_key() <= revoked


@dataclass(frozen=True, slots=True)
class TrustNote:
    """Records left out, summed up per member and key."""

    kind: str  # forged | waiting | revoked | unsigned
    member: str  # the member the records claim
    device: str
    key: str  # "" for unsigned records
    count: int
    owner: str  # for forged: the member the key belongs to


@dataclass(slots=True)
class _State:
    members: list[str]
    trusted: dict[str, tuple[str, str]]
    revoked: dict[str, tuple[int, str]]
    admits: dict[tuple[str, str, str], list[Admission]]

    def speaks(self, record: Record) -> bool:
        if self.trusted.get(record.key) != (record.author, record.device):
            return False
        revoked = self.revoked.get(record.key)
        return revoked is None or record.order_key() <= revoked

    def admitted_by(self, claim: tuple[str, str, str]) -> set[str]:
        return {a.author for a in self.admits.get(claim, ()) if self.speaks(a)}

    def settle(self) -> None:
        """Admit every claimed key that every current member has admitted, until none is left."""
        changed = True
        while changed:
            changed = False
            for claim in self.admits:
                member, device, key = claim
                if member in self.members or key in self.trusted:
                    continue
                if self.members and set(self.members) <= self.admitted_by(claim):
                    self.members.append(member)
                    self.trusted[key] = (member, device)
                    changed = True


def _found(state: _State, admission: Admission, creator: tuple[str, str | None]) -> bool:
    """Whether `admission`, with an earlier one the other way, makes the founding pair: the
    creator (by the key space.toml names, when it names one) and one other member."""
    if admission.key == admission.member_key or admission.author == admission.member:
        return False
    member, key = creator
    sides = {(admission.author, admission.key), (admission.member, admission.member_key)}
    if not any(m == member and (key is None or k == key) for m, k in sides):
        return False
    back = (admission.author, admission.device, admission.key)
    for other in state.admits.get(back, ()):
        if (other.author, other.device, other.key) == (
            admission.member,
            admission.member_device,
            admission.member_key,
        ):
            state.members += [other.author, admission.author]
            state.trusted[other.key] = (other.author, other.device)
            state.trusted[admission.key] = (admission.author, admission.device)
            return True
    return False


def _leave(state: _State, leave: Leave) -> None:
    """`leave`'s author is no longer a member: their keys stop speaking from here on (as if
    revoked), and the admissions they gave or got are forgotten (to come back, they are
    admitted again, with a new key)."""
    state.members.remove(leave.author)
    for key, (member, _device) in state.trusted.items():
        if member == leave.author:
            state.revoked.setdefault(key, leave.order_key())
    for claim in [c for c in state.admits if c[0] == leave.author]:
        del state.admits[claim]


def fold_membership(
    records: Iterable[Record], creator: str, creator_key: str | None = None
) -> Membership:
    """Who counts in a space, from its records: `creator` and `creator_key` are what
    space.toml says (a space made by peerlog 0.1 names no key)."""
    # Every signed record in merge order, duplicates and all: a forged file reusing a real
    # record's id must not push the real one out (only signed, speaking records count here).
    ordered = sorted((r for r in records if r.key), key=MERGE_ORDER)
    state = _State([], {}, {}, {})
    secured = False
    seen: dict[tuple[str, str, str], None] = {}  # (member, device, key) of every signed record
    for record in ordered:
        seen.setdefault((record.author, record.device, record.key), None)
        if isinstance(record, Leave):
            if secured and state.speaks(record) and record.author in state.members:
                _leave(state, record)
            continue
        if not isinstance(record, KeyRecord):
            continue
        if isinstance(record, Admission):
            claim = (record.member, record.member_device, record.member_key)
            state.admits.setdefault(claim, []).append(record)
            if not secured:
                secured = _found(state, record, (creator, creator_key))
        elif not (secured and state.speaks(record) and record.member == record.author):
            continue  # a member's devices are approved or revoked only by that member
        elif isinstance(record, DeviceApproval):
            state.trusted.setdefault(record.member_key, (record.member, record.member_device))
        elif (
            isinstance(record, DeviceRevocation)
            and state.trusted.get(record.member_key, ("",))[0] == record.author
        ):
            state.revoked.setdefault(record.member_key, record.order_key())
        if secured:
            state.settle()
    keys = []
    for member, device, key in sorted(seen):
        if key in state.revoked:
            status = "revoked"
        elif state.trusted.get(key) == (member, device):
            status = "trusted"
        else:
            status = "waiting"
        claim = (member, device, key)
        keys.append(KeyView(member, device, key, status, tuple(sorted(state.admitted_by(claim)))))
    vouched = frozenset(
        (record.author, record.device, item)
        for record in ordered
        if isinstance(record, Vouch) and state.speaks(record)
        for item in record.records
    )
    return Membership(
        secured,
        tuple(state.members),
        tuple(keys),
        dict(state.trusted),
        dict(state.revoked),
        vouched,
    )


def trusted_records(
    records: Sequence[Record], creator: str, creator_key: str | None = None
) -> tuple[list[Record], list[TrustNote], Membership]:
    """The records to fold, in the order given: those that count (all of them while the space
    is open), and copies of those shown without counting, marked with their `standing`;
    notes on the rest; and the membership they were judged by."""
    membership = fold_membership(records, creator, creator_key)
    if not membership.secured:
        return list(records), [], membership
    # Unsigned records (what 0.1 wrote) are shown until their device has vouched (`space
    # upgrade`); of a member with a key here, only from that member's own devices. Anything
    # else unsigned is left out: a file planted in a made-up folder of such a member, or one
    # arriving after its device vouched.
    devices = set(membership.trusted.values())
    keyed = {member for member, _ in devices}
    vouched = {(member, device) for member, device, _ in membership.vouched}
    judged: list[tuple[Record, str]] = []  # (record, "" if it counts, else its standing)
    left_out: dict[tuple[str, str, str, str, str], int] = {}
    for record in records:
        if membership.key_counts(record):
            judged.append((record, ""))
            continue
        owner = membership.trusted.get(record.key, ("", ""))[0]
        shown = not isinstance(record, MEMBERSHIP_TYPES)
        if not record.key:
            pair = (record.author, record.device)
            if shown and pair not in vouched and (pair in devices or pair[0] not in keyed):
                judged.append((record, UNSIGNED))
                continue
            kind = "unsigned"
        elif shown and _newcomer(record, membership):
            judged.append((record, NOT_ADMITTED))
            continue
        elif record.key in membership.revoked and owner == record.author:
            kind = "revoked"
        elif owner and owner != record.author:
            kind = "forged"
        else:
            kind = "waiting"
        note = (kind, record.author, record.device, record.key, owner)
        left_out[note] = left_out.get(note, 0) + 1
    kept = [replace(r, standing=standing) if standing else r for r, standing in judged]
    notes = [
        TrustNote(kind, member, device, key, count, owner)
        for (kind, member, device, key, owner), count in sorted(left_out.items())
    ]
    return kept, notes, membership


def _newcomer(record: Record, membership: Membership) -> bool:
    """Whether `record` is a newcomer's: its author is not a member, and the key that signed it
    is nobody's yet (neither admitted nor revoked). Judged by the record and the membership
    alone, so that every view, whatever records it reads, says the same of it."""
    return (
        record.author not in membership.members
        and record.key not in membership.trusted
        and record.key not in membership.revoked
    )


def fingerprint(key: str, space_id: str) -> str:
    """A short check of `key` in one space: five groups of four digits, the same on every
    screen. Read out and compared in person or on a call before `space admit`."""
    import hashlib

    digest = hashlib.sha256(f"peerlog-fingerprint\n{space_id}\n{key}".encode()).digest()
    number = int.from_bytes(digest[:10], "big") % 10**20
    digits = f"{number:020d}"
    return " ".join(digits[i : i + 4] for i in range(0, 20, 4))
