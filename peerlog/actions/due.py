"""What is due: what `due` (and bare `peerlog`) reads of each journal, and the items it yields."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from peerlog.actions.journal import JournalSession, Skipped, skipped_files
from peerlog.actions.spaces import names_of
from peerlog.fold import fold_journal
from peerlog.fold.agreements import fold_agreements
from peerlog.fold.due import REPLY_WINDOW, DueItem, ScopeState, due_items
from peerlog.fold.goals import fold_goals
from peerlog.fold.progress import period_start
from peerlog.fold.space import fold_members
from peerlog.records import Record
from peerlog.records.goals import GoalLog

# Whatever the window, a journal's goals (with their events), agreements, resources and who
# joined are read whole; entries, check-ins and replies only from a window back from now, and
# each author's newest check-in (when they last checked in).
WHOLE = ("goal", "agreement", "profile", "resource")
DATED = ("entry", "checkin", "reply")
MARGIN = timedelta(days=2)  # the window's first day starts in the user's own time zone


def read_scope_states(
    sessions: Sequence[JournalSession],
    since: datetime,
    *,
    entries: bool = True,
    logs_since: datetime | None = None,
) -> tuple[list[tuple[ScopeState, list[Record]]], Skipped]:
    """Each journal folded on what a window from `since` to now needs (see WHOLE and DATED;
    `entries=False` leaves the entries out): entries and check-ins, goals, and in a space
    the agreements among its members; with the records read; and the skipped files.
    With `logs_since`, a goal's logs are read only from then on (and its progress counts
    only those): however long a goal has been logged to, what its current period needs."""
    from peerlog.store.index import micros

    edge = micros(since - MARGIN)
    dated = DATED if entries else ("checkin", "reply")
    skip = () if logs_since is None else (GoalLog.TYPE,)
    states = []
    for session in sessions:
        index = session.store.index
        seeds = [
            *index.ids(WHOLE),
            *index.ids_since(dated, edge),
            *index.newest_of_each_author("checkin"),
        ]
        if logs_since is not None:
            seeds += index.ids_since((GoalLog.TYPE,), micros(logs_since - MARGIN))
        records = index.with_related(seeds, skip_types=skip)
        if session.space is None:
            members: tuple[str, ...] = (session.identity.member,)
        else:
            members = tuple(m.member for m in fold_members(records))
        state = ScopeState(
            space=session.space,
            journal=fold_journal(records, session.space),
            goals=tuple(fold_goals(records, session.space)),
            agreements=fold_agreements(records, members) if session.space else {},
            members=members,
        )
        states.append((state, records))
    return states, skipped_files(sessions)


def what_is_due(
    me: str,
    sessions: Sequence[JournalSession],
    *,
    now: datetime,
    seen: frozenset[str] = frozenset(),
) -> tuple[list[DueItem], Skipped]:
    """What waits for `me`; news already `seen` (record ids) is left out. Members are named
    by their display names. Of the goals' logs, only those of the periods going on now (this
    day, week and month) are read: `due` looks at no other, and so reads the same however
    long a goal has been logged to."""
    first = min(period_start(now.date(), period) for period in ("day", "week", "month"))
    states, problems = read_scope_states(
        sessions,
        now - REPLY_WINDOW,
        entries=False,
        logs_since=datetime.combine(first, time(), tzinfo=now.tzinfo),
    )
    scopes = [state for state, _ in states]
    return due_items(me, scopes, now, seen, names_of(sessions)), problems
