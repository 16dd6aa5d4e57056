"""What is due: what `due` (and bare `peerlog`) reads of each journal, and the items it yields."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from peerlog.actions.journal import JournalSession, Skipped, skipped_files
from peerlog.fold import fold_journal
from peerlog.fold.agreements import fold_agreements
from peerlog.fold.due import REPLY_WINDOW, DueItem, DueScope, ScopeState, due_items, due_scope
from peerlog.fold.goals import fold_goals
from peerlog.fold.space import fold_members
from peerlog.records import Record
from peerlog.store import Problem


def fold_scope(records: Sequence[Record], space: str | None, members: Sequence[str]) -> ScopeState:
    """One journal folded: entries and check-ins, goals, and (in a space, among `members`)
    agreements."""
    return ScopeState(
        space=space,
        journal=fold_journal(records, space),
        goals=tuple(fold_goals(records, space)),
        agreements=fold_agreements(records, members) if space else {},
    )


# Whatever the window, a journal's goals (with their events), agreements, resources and who
# joined are read whole; entries, check-ins and replies only from a window back from now, and
# each author's newest check-in (when they last checked in).
WHOLE = ("goal", "agreement", "profile", "resource")
DATED = ("entry", "checkin", "reply")
MARGIN = timedelta(days=2)  # the window's first day starts in the user's own time zone


def read_scope_states(
    sessions: Sequence[JournalSession], since: datetime, *, entries: bool = True
) -> tuple[list[tuple[ScopeState, list[Record]]], Skipped]:
    """Each journal folded on what a window from `since` to now needs (see WHOLE and DATED;
    `entries=False` leaves the entries out), with the records read; and the skipped files."""
    from peerlog.store.index import micros

    edge = micros(since - MARGIN)
    dated = DATED if entries else ("checkin", "reply")
    states = []
    for session in sessions:
        index = session.store.index
        seeds = [
            *index.ids(WHOLE),
            *index.ids_since(dated, edge),
            *index.newest_of_each_author("checkin"),
        ]
        records = index.with_related(seeds)
        members = [m.member for m in fold_members(records)] if session.space else []
        states.append((fold_scope(records, session.space, members), records))
    return states, skipped_files(sessions)


def read_states(
    sessions: Sequence[JournalSession], now: datetime
) -> tuple[list[DueScope], Skipped]:
    """What `due` needs of each journal, and the files that were skipped."""
    states, problems = read_scope_states(sessions, now - REPLY_WINDOW, entries=False)
    return [due_scope(state) for state, _ in states], problems


def what_is_due(
    me: str, sessions: Sequence[JournalSession], *, now: datetime
) -> tuple[list[DueItem], list[tuple[JournalSession, Problem]]]:
    states, problems = read_states(sessions, now)
    return due_items(me, states, now), problems
