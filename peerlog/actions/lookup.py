"""What an id is, whatever kind of record it names: the hint when a command was given an id of
another kind (`show <goal id>`, `goal show <entry id>`).

Owns the table of record kinds a person can name by id and the command that shows each. Asks
the index only when a lookup has already failed, so the everyday path never pays for it.
Must never print, and never decide anything but the wording of a NotFound.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from peerlog.actions.journal import JournalSession
from peerlog.errors import NotFound, PeerlogError
from peerlog.records import Entry, Record, Reply
from peerlog.records.dialogue import Checkin, Resource
from peerlog.records.goals import GoalProposal

# Record kinds a person names by id: class -> (what it is called, the command that shows it).
KINDS: dict[type[Record], tuple[str, str]] = {
    Entry: ("an entry", "peerlog show {id}"),
    Checkin: ("a check-in", "peerlog show {id}"),
    GoalProposal: ("a goal", "peerlog goal show {id}"),
    Resource: ("a resource", "peerlog resource list --all"),
    Reply: ("a reply", "peerlog show {target}"),
}


def identify(sessions: Sequence[JournalSession], prefix: str) -> tuple[str, str, str] | None:
    """(what the id is, the full id and where, the command that shows it) for the one record
    of a known kind whose id starts with `prefix`, else None (none, or several)."""
    wanted = prefix.strip().lower()
    if not wanted:
        return None
    found: dict[str, tuple[str, str, str]] = {}
    types = [cls.TYPE for cls in KINDS]
    for session in sessions:
        try:  # the records of those ids that count, with what refers to them (left out below)
            index = session.store.index
            records = index.with_related(index.ids(types, wanted))
        except PeerlogError:
            continue
        for record in records:
            if record.id.startswith(wanted) and type(record) in KINDS:
                name, command = KINDS[type(record)]
                where = f" in space {session.space}" if session.space else ""
                shown = command.format(id=record.id, target=getattr(record, "target", ""))
                found[record.id] = (name, f"{record.id}{where}", shown)
    return next(iter(found.values())) if len(found) == 1 else None


@contextmanager
def naming_other_kinds(
    sessions: Sequence[JournalSession], prefix: str, wanted: Sequence[str]
) -> Iterator[None]:
    """Turn a NotFound for `prefix` into one that says what the id is, when it names a record
    of another kind than those `wanted` ("an entry", "a goal", …)."""
    try:
        yield
    except NotFound:
        known = identify(sessions, prefix)
        if known is None or known[0] in wanted:
            raise
        name, where, command = known
        raise NotFound(
            f"{where} is {name}, not {' or '.join(wanted)}.", hint=f"`{command}` shows it."
        ) from None
