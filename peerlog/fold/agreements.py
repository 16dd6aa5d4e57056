"""Space agreements (the check-in cadence): what everyone has agreed to. Pure.

Each member's latest say per topic counts. Walking the space's records in merge order, an
agreement comes into force each time every current member's latest say is the same value; later
disagreement leaves it standing (as with goal terms) until everyone agrees on a new one. Every
current member counts from the start, whenever they joined: no order of records, whatever the
clocks say, can make a value agreed that some member never said. A member who joins later has
said nothing, so what the others agreed waits for their say too.
Values are compared by meaning: "2d", "2 days" and "2 Days" are the same cadence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from peerlog.classes import dataclass
from peerlog.errors import UsageError
from peerlog.fold.claims import Claims
from peerlog.fold.trust import counted
from peerlog.records import Record
from peerlog.records.dialogue import Agreement, canonical_cadence


@dataclass(frozen=True, slots=True)
class AgreementView:
    topic: str
    in_force: str | None  # the value everyone last agreed on
    proposed: str | None  # the newest value said that is not in force, if any
    says: tuple[tuple[str, str], ...]  # (member, latest value), by member
    waiting_for: tuple[str, ...]  # members who have not said the proposed (or agreed) value


def canonical(topic: str, value: str) -> str:
    """The form two says are compared in."""
    if topic == "cadence":
        try:
            return canonical_cadence(value)
        except UsageError:
            pass  # a value a newer peerlog wrote: compare (and show) it exactly as written
    return value


def fold_agreements(records: Iterable[Record], members: Sequence[str]) -> dict[str, AgreementView]:
    """Agreements by topic among `members` (every current member of the space), from the
    records that count (fold/trust.py)."""
    everyone = sorted(set(members))
    latest: dict[str, dict[str, str]] = {}
    in_force: dict[str, str] = {}
    newest: dict[str, str] = {}
    for record in Claims(counted(records)).ordered:
        if not isinstance(record, Agreement) or record.author not in everyone:
            continue
        value = canonical(record.topic, record.value)
        says = latest.setdefault(record.topic, {})
        says[record.author] = value
        newest[record.topic] = value
        if all(says.get(m) == value for m in everyone):
            in_force[record.topic] = value
    views = {}
    for topic, says in latest.items():
        current = in_force.get(topic)
        proposed = newest[topic] if newest[topic] != current else None
        views[topic] = AgreementView(
            topic=topic,
            in_force=current,
            proposed=proposed,
            says=tuple((m, says[m]) for m in everyone if m in says),
            # Who has not said what is on the table: the proposal, or else what is in force
            # (by everyone else).
            waiting_for=tuple(m for m in everyone if says.get(m) != (proposed or current)),
        )
    return views
