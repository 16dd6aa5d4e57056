"""Building the summary (for `summary` and the HTML report) from the chosen journals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from peerlog.actions.due import read_scope_states
from peerlog.actions.journal import JournalSession, Skipped
from peerlog.actions.spaces import names_of
from peerlog.fold.due import REPLY_WINDOW
from peerlog.fold.resources import fold_resources
from peerlog.fold.summary import DEFAULT_WINDOW, Summary, SummaryScope, summarize


def build_summary(
    sessions: Sequence[JournalSession], *, now: datetime, since: datetime | None = None
) -> tuple[Summary, list[SummaryScope], Skipped]:
    """The summary of the window from `since` (default: DEFAULT_WINDOW ago) to `now`, what it
    shows of each journal, and the files that were skipped."""
    start = min(since or now - DEFAULT_WINDOW, now - REPLY_WINDOW)
    states, problems = read_scope_states(sessions, start)
    scopes = [
        SummaryScope(state, fold_resources(records, session.space))
        for session, (state, records) in zip(sessions, states, strict=True)
    ]
    me = sessions[0].identity.member
    return summarize(me, scopes, now, since, names_of(sessions)), scopes, problems
