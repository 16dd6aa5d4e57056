"""What is due: the view `due` (and bare `peerlog`) reads, and the items it yields."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from peerlog.actions.goals import GOAL_CLASSES
from peerlog.actions.journal import JournalSession, view_of_each
from peerlog.fold import fold_journal
from peerlog.fold.agreements import fold_agreements
from peerlog.fold.due import DueItem, DueScope, ScopeState, due_items, due_scope
from peerlog.fold.goals import fold_goals
from peerlog.fold.space import fold_members
from peerlog.records import Record
from peerlog.store import Loaded, Problem, View
from peerlog.store.record_store import view_classes


def fold_scope(records: Sequence[Record], space: str | None, members: Sequence[str]) -> ScopeState:
    """One journal folded: entries and check-ins, goals, and (in a space, among `members`)
    agreements."""
    return ScopeState(
        space=space,
        journal=fold_journal(records, space),
        goals=tuple(fold_goals(records, space)),
        agreements=fold_agreements(records, members) if space else {},
    )


def _due_scope(loaded: Loaded, space: Any) -> DueScope:
    """What `due` looks at in one journal (see DueScope)."""
    members = [m.member for m in fold_members(loaded.records)] if space else []
    return due_scope(fold_scope(loaded.records, space, members))


# The view `due` (and bare `peerlog`) reads instead of every record (see RecordStore.view).
DUE = View(
    "due-4",
    _due_scope,
    DueScope,
    GOAL_CLASSES
    | view_classes(
        "peerlog.fold.due.DueScope",
        "peerlog.fold.due.CheckinMark",
        "peerlog.fold.due.ReplyMark",
        "peerlog.fold.agreements.AgreementView",
    ),
)


def read_states(
    sessions: Sequence[JournalSession],
) -> tuple[list[DueScope], list[tuple[JournalSession, Problem]]]:
    """What `due` needs of each journal, and the files that were skipped."""
    return view_of_each(sessions, DUE)


def what_is_due(
    me: str,
    sessions: Sequence[JournalSession],
    *,
    now: datetime,
    seen: frozenset[str] = frozenset(),
) -> tuple[list[DueItem], list[tuple[JournalSession, Problem]]]:
    """What waits for `me`; news already `seen` (record ids) is left out."""
    states, problems = read_states(sessions)
    return due_items(me, states, now, seen), problems
