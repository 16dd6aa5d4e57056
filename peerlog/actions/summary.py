"""Building the summary (for `summary` and the HTML report) from the chosen journals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from peerlog.actions.due import fold_scope
from peerlog.actions.goals import GOAL_CLASSES
from peerlog.actions.journal import JournalSession, view_of_each
from peerlog.fold.resources import fold_resources
from peerlog.fold.space import fold_members
from peerlog.fold.summary import Summary, SummaryScope, summarize
from peerlog.store import Loaded, Problem, View
from peerlog.store.record_store import view_classes


def _summary_scope(loaded: Loaded, key: Any) -> SummaryScope:
    space, me = key
    records = loaded.records
    if space is None:
        members: tuple[str, ...] = (me,)
    else:
        members = tuple(m.member for m in fold_members(records))
    return SummaryScope(
        fold_scope(records, space, members), fold_resources(records, space), members
    )


# Everything the summary shows of one journal, folded (see RecordStore.view).
SUMMARY = View(
    "summary-1",
    _summary_scope,
    SummaryScope,
    GOAL_CLASSES
    | view_classes(
        "peerlog.fold.summary.SummaryScope",
        "peerlog.fold.due.ScopeState",
        "peerlog.fold.journal.Journal",
        "peerlog.fold.journal.CheckinView",
        "peerlog.fold.agreements.AgreementView",
        "peerlog.fold.journal.EntryView",
        "peerlog.fold.journal.Version",
        "peerlog.fold.resources.ResourceView",
    ),
)


def summary_scopes(
    sessions: Sequence[JournalSession],
) -> tuple[list[SummaryScope], list[tuple[JournalSession, Problem]]]:
    """Everything the summary shows, for each journal, and the files that were skipped."""
    return view_of_each(sessions, SUMMARY, key=lambda s: (s.space, s.identity.member))


def build_summary(
    sessions: Sequence[JournalSession], *, now: datetime, since: datetime | None = None
) -> tuple[Summary, list[SummaryScope], list[tuple[JournalSession, Problem]]]:
    scopes, problems = summary_scopes(sessions)
    me = sessions[0].identity.member
    return summarize(me, scopes, now, since), scopes, problems
