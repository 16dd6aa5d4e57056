"""Shared resources and who they helped. Pure. Listed by time, never ranked."""

from __future__ import annotations

from collections.abc import Iterable

from peerlog.classes import dataclass
from peerlog.fold.claims import Claims
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
    """Resources newest first, with the members they helped; deleted ones left out. A mark
    counts for the resource it names by author and id (`claims.py`). What is only shown
    (fold/trust.py) marks nothing as helpful, and hides nothing that counts."""
    claims = Claims(records)
    ordered = claims.ordered
    deleted = {
        (r.author, r.target)
        for r in ordered
        if isinstance(r, Deletion)
        and (target := claims.own(r.author, r.target, Record)) is not None
        and (target.standing or not r.standing)
    }
    helped: dict[tuple[str, str], set[str]] = {}
    for record in ordered:
        if (
            isinstance(record, Helped)
            and not record.standing
            and (record.author, record.id) not in deleted
        ):
            resource = claims.resolve(record.target, record.target_by, Resource)
            if resource is not None:
                helped.setdefault((resource.author, resource.id), set()).add(record.author)
    views = [
        ResourceView(r, tuple(sorted(helped.get((r.author, r.id), ()))), space)
        for r in ordered
        if isinstance(r, Resource) and (r.author, r.id) not in deleted
    ]
    views.reverse()
    return tuple(views)
