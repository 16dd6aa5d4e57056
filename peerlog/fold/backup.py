"""Which records a backup (`export --format json` without filters) holds. Pure: no I/O.

Every record, except what its author deleted: a record hidden by its own author's tombstone is
left out, with everything that hangs on it (the revisions of a deleted entry, the replies to
it, the events of a deleted goal, the "helped" of a deleted resource), so deleted text never
leaves the machine in an export. The tombstones themselves stay (they hold no text): should the
deleted record ever arrive again by sync, it stays hidden after a restore too.
"""

from __future__ import annotations

from collections.abc import Iterable

from peerlog.records import Deletion, Record, Reply, Revision


def backup_records(records: Iterable[Record]) -> list[Record]:
    """The records to back up, by author, device and id (the same order on every machine).

    A record is known by its author and id (fold/claims.py): a tombstone hides its author's
    own record of that id, never another member's copy of the id, and what hangs on a record
    is left out only when its pointer resolves to the hidden one."""
    every = list(records)
    holders: dict[str, set[str]] = {}
    for record in every:
        holders.setdefault(record.id, set()).add(record.author)
    hidden = {
        (r.author, r.target)
        for r in every
        if isinstance(r, Deletion) and r.author in holders.get(r.target, ())
    }

    def points_at_hidden(record: Record) -> bool:
        for key in ("target", "goal"):  # a goal's own `target` is text, never a record id
            pointed = getattr(record, key, None)
            if not isinstance(pointed, str) or pointed not in holders:
                continue
            if isinstance(record, Revision):
                author = record.author  # only the author's own revisions count
            elif isinstance(record, Reply) and record.target_by:
                author = record.target_by
            elif len(holders[pointed]) == 1:
                (author,) = holders[pointed]
            else:
                continue  # names no author among several: it hides nothing
            if (author, pointed) in hidden:
                return True
        return False

    def kept(record: Record) -> bool:
        if (record.author, record.id) in hidden:
            return False
        return isinstance(record, Deletion) or not points_at_hidden(record)

    return sorted(filter(kept, every), key=lambda r: (r.author, r.device, r.id))
