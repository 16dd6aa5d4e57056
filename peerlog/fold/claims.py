"""Which record an id names. Pure: no I/O, no clock.

A record is known by its author and id together. Anyone who can write into a space can publish
a file that reuses an id already taken (a sync glitch, or a peer copying it on purpose), so an id
alone never decides which record a view shows:

- each (author, id) keeps exactly one record, chosen the same way on every machine (two files of
  one author claiming one id are that author's own muddle, never someone else's), and one that
  counts always before one only shown (fold/trust.py: an unsigned copy never displaces it);
- a record with a copied id never displaces the original: both keep their own identity, and
  what another record points at is resolved by author and id (`Claims.resolve`). A pointer that
  names no author (records written before pointers named one) resolves only when exactly one
  author holds that id;
- `collisions` lists every id claimed by more than one distinct record, for `doctor`.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import TypeAlias, TypeVar

from peerlog.classes import dataclass
from peerlog.records import Record, record_to_fields

R = TypeVar("R", bound=Record)
Kind: TypeAlias = type[R] | tuple[type[R], ...]  # what isinstance takes

# Record.order_key, computed in C: every fold sorts every record by it.
MERGE_ORDER = attrgetter("clock", "id")


@dataclass(frozen=True, slots=True)
class Collision:
    """An id claimed by several distinct records: by author, then in the order kept."""

    id: str
    records: tuple[Record, ...]

    @property
    def authors(self) -> tuple[str, ...]:
        return tuple(sorted({r.author for r in self.records}))


class Claims:
    """The records of one journal or space, one per (author, id), in merge order."""

    def __init__(self, records: Iterable[Record]) -> None:
        chosen: dict[tuple[str, str], Record] = {}
        extra: dict[tuple[str, str], list[Record]] = {}
        for record in records:
            key = (record.author, record.id)
            current = chosen.get(key)
            if current is None:
                chosen[key] = record
            elif current != record:
                # The same author's two files for one id: every machine keeps the same one.
                keep, drop = sorted((current, record), key=_preferred)
                chosen[key] = keep
                extra.setdefault(key, []).append(drop)
        self.ordered: list[Record] = sorted(chosen.values(), key=MERGE_ORDER)
        self._by_id: dict[str, list[Record]] = {}
        for record in self.ordered:
            self._by_id.setdefault(record.id, []).append(record)
        self._extra = extra

    def own(self, author: str, record_id: str, kind: Kind[R]) -> R | None:
        """`author`'s record with this id, if it is a `kind`."""
        for record in self._by_id.get(record_id, ()):
            if record.author == author:
                return record if isinstance(record, kind) else None
        return None

    def resolve(self, record_id: str, by: str, kind: Kind[R]) -> R | None:
        """The `kind` record a pointer names: by `by` when the pointer says who wrote it,
        else the only `kind` record with that id (None when several authors hold one)."""
        if by:
            return self.own(by, record_id, kind)
        found = [r for r in self._by_id.get(record_id, ()) if isinstance(r, kind)]
        return found[0] if len(found) == 1 else None

    def anyone_holds(self, record_id: str) -> bool:
        return record_id in self._by_id

    def collisions(self) -> list[Collision]:
        """Ids claimed by more than one distinct record, oldest id first."""
        found = []
        for record_id, records in self._by_id.items():
            dropped = [d for r in records for d in self._extra.get((r.author, record_id), ())]
            if len(records) > 1 or dropped:
                ordered = sorted(records, key=attrgetter("author"))
                found.append(Collision(record_id, (*ordered, *dropped)))
        return sorted(found, key=attrgetter("id"))


def _preferred(record: Record) -> tuple[bool, str, int, str, str, str]:
    # The whole record takes part, so every machine keeps the same one of two files.
    fields = repr(sorted(record_to_fields(record).items()))
    return (bool(record.standing), record.device, record.clock, record.type, fields, record.body)
