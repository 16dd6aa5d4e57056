"""Building the summary (for `summary` and the HTML report) from the chosen journals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from peerlog.actions.journal import JournalSession
from peerlog.fold import fold_journal
from peerlog.fold.agreements import fold_agreements
from peerlog.fold.due import ScopeState
from peerlog.fold.goals import fold_goals
from peerlog.fold.resources import fold_resources
from peerlog.fold.space import fold_members
from peerlog.fold.summary import Summary, SummaryScope, summarize
from peerlog.store import Problem


def summary_scopes(
    sessions: Sequence[JournalSession],
) -> tuple[list[SummaryScope], list[tuple[JournalSession, Problem]]]:
    """Read each journal once and fold everything the summary shows."""
    scopes, problems = [], []
    for session in sessions:
        loaded = session.store.load()
        records = loaded.records
        if session.space is None:
            members: tuple[str, ...] = (session.identity.member,)
        else:
            members = tuple(m.member for m in fold_members(records))
        state = ScopeState(
            space=session.space,
            journal=fold_journal(records, session.space),
            goals=fold_goals(records, session.space),
            agreements=fold_agreements(records, members) if session.space else {},
        )
        scopes.append(SummaryScope(state, fold_resources(records, session.space), members))
        problems += [(session, p) for p in loaded.problems]
    return scopes, problems


def build_summary(
    sessions: Sequence[JournalSession], *, now: datetime, since: datetime | None = None
) -> tuple[Summary, list[SummaryScope], list[tuple[JournalSession, Problem]]]:
    scopes, problems = summary_scopes(sessions)
    me = sessions[0].identity.member
    return summarize(me, scopes, now, since), scopes, problems
