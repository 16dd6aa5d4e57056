"""What a backup holds: every record but what its own author deleted, and what hangs on that."""

from __future__ import annotations

from datetime import timedelta

from unit_support import T0, entry, revision

from peerlog.fold.backup import backup_records
from peerlog.records import Deletion, Reply, new_record_id


def _deletion(target: str, author: str, clock: int) -> Deletion:
    return Deletion(
        id=new_record_id(T0 + timedelta(minutes=clock)),
        author=author,
        device="dddddddddddddddd",
        clock=clock,
        created=T0,
        target=target,
    )


def test_a_deleted_entry_leaves_with_its_revisions_and_replies() -> None:
    kept, gone = entry("kept", clock=1), entry("gone", clock=2)
    edit = revision(gone, "gone, edited", clock=3)
    reply = Reply(
        id=new_record_id(T0 + timedelta(minutes=4)),
        author="alex",
        device="aaaaaaaaaaaaaaaa",
        clock=4,
        created=T0,
        target=gone.id,
        body="a reply",
    )
    tombstone = _deletion(gone.id, gone.author, 5)

    result = backup_records([tombstone, reply, edit, gone, kept])

    assert sorted(r.id for r in result) == sorted([kept.id, tombstone.id])


def test_someone_elses_tombstone_hides_nothing() -> None:
    mine = entry("mine", clock=1)
    forged = _deletion(mine.id, "mallory", 2)

    assert sorted(r.id for r in backup_records([mine, forged])) == sorted([mine.id, forged.id])


def test_the_order_is_the_same_whatever_the_input_order() -> None:
    records = [entry(f"e{n}", clock=n, created=T0 + timedelta(minutes=n)) for n in range(5)]

    assert backup_records(records) == backup_records(list(reversed(records)))


def test_a_tombstone_never_hides_another_members_copy_of_the_id() -> None:
    mine = entry("mine", clock=1)
    copy = entry("a copy of the id", author="alex", record_id=mine.id, clock=2)
    tombstone = _deletion(mine.id, "alex", 3)  # alex deletes "his" record: the copy

    kept = backup_records([mine, copy, tombstone])

    assert sorted((r.author, r.id) for r in kept) == sorted(
        [("sam", mine.id), ("alex", tombstone.id)]
    )


def test_a_forged_tombstone_on_a_copied_id_keeps_the_replies_to_the_original() -> None:
    mine = entry("mine", clock=1)
    copy = entry("a copy of the id", author="alex", record_id=mine.id, clock=2)
    tombstone = _deletion(mine.id, "alex", 3)
    reply = Reply(
        id=new_record_id(T0 + timedelta(minutes=9)),
        author="kim",
        device="cccccccccccccccc",
        clock=4,
        created=T0,
        target=mine.id,
        target_by="sam",
        body="to sam's entry",
    )
    edit = revision(mine, "mine, edited", clock=5)

    kept = {r.id for r in backup_records([mine, copy, tombstone, reply, edit])}

    assert {mine.id, reply.id, edit.id, tombstone.id} <= kept
