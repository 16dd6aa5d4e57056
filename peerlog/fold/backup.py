"""Which records a backup (`export --format json` without filters) holds. Pure: no I/O.

Every record, except what its author deleted: a record hidden by its own author's tombstone is
left out, with everything that hangs on it (the revisions of a deleted entry, the replies to
it, the events of a deleted goal, the "helped" of a deleted resource), so deleted text never
leaves the machine in an export. The tombstones themselves stay (they hold no text): should the
deleted record ever arrive again by sync, it stays hidden after a restore too.
"""

from __future__ import annotations

from collections.abc import Iterable

from peerlog.records import Deletion, Record


def backup_records(records: Iterable[Record]) -> list[Record]:
    """The records to back up, by author, device and id (the same order on every machine)."""
    every = list(records)
    authors: dict[str, set[str]] = {}
    for record in every:
        authors.setdefault(record.id, set()).add(record.author)
    hidden = {
        r.target for r in every if isinstance(r, Deletion) and r.author in authors.get(r.target, ())
    }

    def kept(record: Record) -> bool:
        if record.id in hidden:
            return False
        if isinstance(record, Deletion):
            return True
        # `target` and `goal` name the record this one hangs on (a goal's own `target` is its
        # target text, which is never an id in `hidden`).
        return not {getattr(record, "target", None), getattr(record, "goal", None)} & hidden

    return sorted(filter(kept, every), key=lambda r: (r.author, r.device, r.id))
