"""Space agreements (the check-in cadence): what everyone has agreed to. Pure.

Each member's latest say per topic counts. Walking the says in merge order, an agreement comes
into force each time every member says the same value; later disagreement leaves the last
agreed value standing (as with goal terms), until everyone agrees on a new one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from peerlog.fold.journal import unique_records
from peerlog.records import Record
from peerlog.records.dialogue import Agreement


@dataclass(frozen=True, slots=True)
class AgreementView:
    topic: str
    in_force: str | None  # the value everyone last agreed on
    says: tuple[tuple[str, str], ...]  # (member, latest value), by member
    waiting_for: tuple[str, ...]  # members whose say differs from the newest proposal

    @property
    def proposed(self) -> str | None:
        """The newest value on the table that is not (yet) in force."""
        values = [v for _, v in self.says if v != self.in_force]
        return values[-1] if values else None


def fold_agreements(records: Iterable[Record], members: Sequence[str]) -> dict[str, AgreementView]:
    """Agreements by topic, among `members` (the space's members)."""
    everyone = tuple(sorted(set(members)))
    latest: dict[str, dict[str, Agreement]] = {}
    in_force: dict[str, str] = {}
    newest: dict[str, Agreement] = {}
    for record in unique_records(records):
        if not isinstance(record, Agreement) or record.author not in everyone:
            continue
        says = latest.setdefault(record.topic, {})
        says[record.author] = record
        newest[record.topic] = record
        values = {says[m].value for m in everyone if m in says}
        if len(says) == len(everyone) and len(values) == 1:
            in_force[record.topic] = record.value
    views = {}
    for topic, says in latest.items():
        wanted = newest[topic].value
        settled = wanted == in_force.get(topic)
        views[topic] = AgreementView(
            topic=topic,
            in_force=in_force.get(topic),
            says=tuple((m, says[m].value) for m in everyone if m in says),
            waiting_for=()
            if settled
            else tuple(m for m in everyone if m not in says or says[m].value != wanted),
        )
    return views
