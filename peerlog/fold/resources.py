"""Shared resources and who they helped. Pure. Listed by time, never ranked."""

from __future__ import annotations

from collections.abc import Iterable

from peerlog.classes import dataclass
from peerlog.fold.journal import unique_records
from peerlog.records import Deletion, Record
from peerlog.records.dialogue import Helped, Resource


@dataclass(frozen=True, slots=True)
class ResourceView:
    resource: Resource
    helped_by: tuple[str, ...]  # members who marked it, by member id
    space: str | None = None

    @property
    def id(self) -> str:
        return self.resource.id


def fold_resources(records: Iterable[Record], space: str | None = None) -> tuple[ResourceView, ...]:
    """Resources newest first, with the members they helped; deleted ones left out."""
    ordered = unique_records(records)
    by_id = {r.id: r for r in ordered}
    deleted = {
        r.target
        for r in ordered
        if isinstance(r, Deletion) and r.target in by_id and by_id[r.target].author == r.author
    }
    helped: dict[str, set[str]] = {}
    for record in ordered:
        if isinstance(record, Helped) and record.id not in deleted:
            helped.setdefault(record.target, set()).add(record.author)
    views = [
        ResourceView(r, tuple(sorted(helped.get(r.id, ()))), space)
        for r in ordered
        if isinstance(r, Resource) and r.id not in deleted
    ]
    views.reverse()
    return tuple(views)
