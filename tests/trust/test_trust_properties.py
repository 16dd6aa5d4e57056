"""The trust filter, checked with hypothesis: forged records never change what a space folds to.

A secured space of a and b (who admitted each other), optionally c (admitted by both) and a
second device of b's (approved by b). Valid records are signed by those keys. Forged ones claim
any member but are signed by keys nobody admitted or approved (or are unsigned), reuse valid
records' ids, admit and approve each other, propose and accept goals, and say what the space
agrees. Some of them are a newcomer's (or unsigned) and are shown, marked with their standing;
whatever they are, every fold that counts agreement, and the journal of what counts, equal
those of the valid records alone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerlog.fold.agreements import fold_agreements
from peerlog.fold.goals import fold_goals
from peerlog.fold.journal import fold_journal
from peerlog.fold.space import fold_members
from peerlog.fold.trust import NOT_ADMITTED, UNSIGNED, counted, fold_membership, trusted_records
from peerlog.records import Deletion, Entry, Record, Revision, new_record_id
from peerlog.records.dialogue import Agreement
from peerlog.records.goals import GoalAccept, GoalProposal
from peerlog.records.membership import Admission, DeviceApproval

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
KEY = {
    name: (name * 43)[:43]
    for name in ("a", "b", "c", "bee", "x", "y", "z")  # stand-ins: the codec checked them
}
DEVICE = {name: f"{name}dev".ljust(16, "0")[:16] for name in KEY}
OWNER = {"a": "a", "b": "b", "c": "c", "bee": "b"}


_IDS: dict[int, str] = {}


def _id(n: int) -> str:
    """The same id for the same n: forged records reuse valid records' ids."""
    return _IDS.setdefault(n, new_record_id(T0 + timedelta(seconds=n)))


def make(
    cls: type[Record],
    key: str,
    author: str,
    clock: int,
    n: int,
    *,
    signed: bool = True,
    **payload: Any,
) -> Record:
    return cls(
        id=_id(n),
        author=author,
        device=DEVICE[key],
        clock=clock,
        created=T0 + timedelta(seconds=n),
        key=KEY[key] if signed else "",
        **payload,
    )


def claim(cls: type[Record], key: str, clock: int, n: int, about: str, member: str) -> Record:
    return make(
        cls,
        key,
        OWNER.get(key, member),
        clock,
        n,
        member=member,
        member_device=DEVICE[about],
        member_key=KEY[about],
    )


def founding(with_c: bool, with_bee: bool) -> list[Record]:
    records = [
        claim(Admission, "a", 1, 1, "b", "b"),
        claim(Admission, "b", 2, 2, "a", "a"),
    ]
    if with_c:
        records += [claim(Admission, "a", 3, 3, "c", "c"), claim(Admission, "b", 4, 4, "c", "c")]
    if with_bee:
        records.append(claim(DeviceApproval, "b", 5, 5, "bee", "b"))
    return records


valid_keys = st.sampled_from(("a", "b", "c", "bee"))
forged_keys = st.sampled_from(("x", "y", "z"))
claimed = st.sampled_from(("a", "b", "c", "x"))


@st.composite
def history(draw: st.DrawFn) -> tuple[list[Record], list[Record]]:
    with_c, with_bee = draw(st.booleans()), draw(st.booleans())
    valid = founding(with_c, with_bee)
    keys = [k for k in ("a", "b", "c", "bee") if (k != "c" or with_c) and (k != "bee" or with_bee)]
    goal = make(GoalProposal, "a", "a", 10, 10, title="Walk", participants=("a", "b"))
    valid.append(goal)
    for n in range(draw(st.integers(0, 8))):
        key = draw(st.sampled_from(keys))
        clock = draw(st.integers(6, 40))
        kind = draw(st.sampled_from(("entry", "accept", "agree")))
        if kind == "entry":
            valid.append(make(Entry, key, OWNER[key], clock, 100 + n, when=T0, body=f"v{n}"))
        elif kind == "agree":
            value = draw(st.sampled_from(("1 week", "2 days")))
            valid.append(
                make(Agreement, key, OWNER[key], clock, 100 + n, topic="cadence", value=value)
            )
        else:
            valid.append(
                make(GoalAccept, key, OWNER[key], clock, 100 + n, goal=goal.id, terms=goal.id)
            )
    forged: list[Record] = []
    for n in range(draw(st.integers(0, 10))):
        # Unsigned ones claim any device, the members' own among them.
        signed = draw(st.booleans()) or draw(st.booleans())
        key = draw(forged_keys) if signed else draw(st.sampled_from(("a", "b", "c", "x")))
        author = draw(claimed)
        if not signed and draw(st.booleans()):  # as if from that member's own old device
            author = OWNER.get(key, author)
        clock = draw(st.integers(0, 40))
        at = draw(st.sampled_from((200 + n, 1, 2, 5, 10, 100, 101)))  # some reuse valid ids
        kind = draw(
            st.sampled_from(
                ("entry", "accept", "admit", "approve", "propose", "agree", "revise", "delete")
            )
        )
        forge: dict[str, Any] = {"signed": signed}
        if kind == "entry":
            record = make(Entry, key, author, clock, at, when=T0, body=f"forged {n}", **forge)
        elif kind == "accept":
            record = make(GoalAccept, key, author, clock, at, goal=goal.id, terms=goal.id, **forge)
        elif kind == "propose":
            record = make(
                GoalProposal, key, author, clock, at, title="X", participants=("a",), **forge
            )
        elif kind == "agree":
            record = make(
                Agreement, key, author, clock, at, topic="cadence", value="3 days", **forge
            )
        elif kind in ("revise", "delete"):  # aimed at a valid entry, or at a forged one
            entries = [r.id for r in valid if isinstance(r, Entry)]
            target = draw(st.sampled_from([*entries, _id(200), _id(201)]))
            if kind == "revise":
                record = make(
                    Revision, key, author, clock, at, target=target, body="changed", **forge
                )
            else:
                record = make(Deletion, key, author, clock, at, target=target, **forge)
        else:
            about = draw(forged_keys)
            cls = Admission if kind == "admit" else DeviceApproval
            record = make(
                cls,
                key,
                author,
                clock,
                at,
                member=draw(claimed),
                member_device=DEVICE[about],
                member_key=KEY[about],
                **forge,
            )
        forged.append(record)
    return valid, forged


FORGED = (KEY["x"], KEY["y"], KEY["z"], "")


def folded(records: list[Record]) -> tuple[Any, ...]:
    """What a space folds to: the agreement folds are given everything trust kept (they must
    take only what counts themselves); the journal, what counts."""
    kept, _, membership = trusted_records(records, "a")
    members = [m.member for m in fold_members(kept)]
    return (
        sorted(r.id for r in counted(kept)),
        [(v.id, v.text) for v in fold_journal(counted(kept)).entries],
        [(v.id, v.text) for v in fold_journal(kept).entries if not v.standing],
        fold_goals(kept),
        members,
        fold_agreements(kept, members),
        membership.members,
        membership.trusted,
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history(), st.randoms())
def test_forged_records_never_change_the_fold(
    drawn: tuple[list[Record], list[Record]], rnd: Any
) -> None:
    valid, forged = drawn
    mixed = valid + forged
    rnd.shuffle(mixed)
    assert folded(mixed) == folded(valid)
    kept, notes, membership = trusted_records(mixed, "a")
    assert not any(r.key in FORGED for r in counted(kept))
    shown = [r for r in kept if r.standing]
    for record in shown:  # a newcomer's, or unsigned from a member's own device
        if record.standing == NOT_ADMITTED:
            assert record.key and record.author not in membership.members
        else:
            assert record.standing == UNSIGNED and not record.key
            keyed = {member for member, _ in membership.trusted.values()}
            pair = (record.author, record.device)
            assert pair in membership.trusted.values() or record.author not in keyed
    assert sum(note.count for note in notes) + len(shown) == len(forged)


def test_the_space_is_open_until_the_creator_and_another_member_admit_each_other() -> None:
    one_way = [claim(Admission, "a", 1, 1, "b", "b")]
    assert not fold_membership(one_way, "a").secured
    assert fold_membership(founding(False, False), "a").secured
    assert not fold_membership(founding(False, False), "c").secured  # not with the creator
    # with the creator's key named by space.toml, only that key can found it
    assert not fold_membership(founding(False, False), "a", KEY["x"]).secured
    assert fold_membership(founding(False, False), "a", KEY["a"]).secured


def test_a_newcomer_needs_every_member_s_admission() -> None:
    records = [*founding(False, False), claim(Admission, "a", 3, 3, "c", "c")]
    assert fold_membership(records, "a").members == ("a", "b")
    records.append(claim(Admission, "b", 4, 4, "c", "c"))
    assert set(fold_membership(records, "a").members) == {"a", "b", "c"}


def test_a_newcomer_s_records_are_shown_marked_and_decide_nothing() -> None:
    goal = make(GoalProposal, "a", "a", 10, 10, title="Walk", participants=("a", "x"))
    valid = [*founding(False, False), goal]
    said = make(Entry, "x", "x", 11, 11, when=T0, body="hello")
    yes = make(GoalAccept, "x", "x", 12, 12, goal=goal.id, terms=goal.id)
    kept, notes, _ = trusted_records([*valid, said, yes], "a")
    assert notes == []
    assert [(r.id, r.standing) for r in kept if r.standing] == [
        (said.id, NOT_ADMITTED),
        (yes.id, NOT_ADMITTED),
    ]
    assert fold_goals(kept) == fold_goals(valid)  # x's yes is not consent
    assert [v.standing for v in fold_journal(kept).entries] == [NOT_ADMITTED]
    # a record is judged by itself and the membership alone: whatever else a view read
    alone, _, _ = trusted_records([*founding(False, False), said], "a")
    assert [r.standing for r in alone if r.id == said.id] == [NOT_ADMITTED]
    # once x is admitted by everyone, x's records count, x's yes included
    admitted = [claim(Admission, "a", 13, 13, "x", "x"), claim(Admission, "b", 14, 14, "x", "x")]
    kept, _, _ = trusted_records([*valid, said, yes, *admitted], "a")
    assert [r for r in kept if r.standing] == []
    (walk,) = fold_goals(kept)
    assert walk.state == "active"


def test_what_only_shows_never_changes_what_counts() -> None:
    """An unsigned revision or deletion from a member's own old device (shown, marked) never
    changes their entry that counts; it still applies to their unsigned entry."""
    entry = make(Entry, "a", "a", 11, 11, when=T0, body="signed words")
    valid = [*founding(False, False), entry]
    old = make(Entry, "a", "a", 3, 3, when=T0, body="old words", signed=False)
    revise = make(Revision, "a", "a", 12, 12, target=entry.id, body="changed", signed=False)
    hide = make(Deletion, "a", "a", 13, 13, target=entry.id, signed=False)
    fix = make(Revision, "a", "a", 14, 14, target=old.id, body="old, fixed", signed=False)
    kept, _, _ = trusted_records([*valid, old, revise, hide, fix], "a")
    shown = {(v.text, v.standing) for v in fold_journal(kept).entries}
    assert shown == {("signed words", ""), ("old, fixed", UNSIGNED)}
