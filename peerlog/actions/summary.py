"""Building the summary (for `summary` and the HTML report) from the chosen journals."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from peerlog.actions.due import read_scope_states
from peerlog.actions.journal import JournalSession, Skipped
from peerlog.actions.spaces import names_of
from peerlog.fold.due import REPLY_WINDOW
from peerlog.fold.goals import fold_goals
from peerlog.fold.progress import detail_edge, sums_before
from peerlog.fold.resources import fold_resources
from peerlog.fold.summary import DEFAULT_WINDOW, Summary, SummaryScope, summarize
from peerlog.records import Deletion
from peerlog.records.goals import GoalLog, GoalProposal

Sums = dict[tuple[str, str], tuple[float, ...]]

# What the sums of the goals' logs before an edge depend on (fold/goals.py): the logs dated
# before it, the goals' proposals (who takes part, whether a goal is there), every deletion, and
# any row claiming one of their ids; how trust judged them (its basis, and in a space the rows
# in time not judged yet, which count for nothing until they are); and which rows are beyond
# the clock bound. Row numbers are never given twice (store/schema.py): while none of those
# rows has gone and none has come, their count and highest number stay the same.
_BASIS = """SELECT :edge, (SELECT basis FROM trust_basis),
    (SELECT group_concat(rowid) FROM records INDEXED BY records_clock WHERE clock > :bound),
    (SELECT group_concat(rowid) FROM records INDEXED BY records_unjudged
     WHERE verdict IS NULL AND clock <= :bound AND :judged),
    (SELECT count(*) || ' ' || max(r.rowid) FROM records p
     JOIN records r INDEXED BY records_id ON r.id = p.id
     WHERE p.type IN (:goal, :deletion) OR (p.type = :log AND p.at < :edge))"""


def build_summary(
    sessions: Sequence[JournalSession], *, now: datetime, since: datetime | None = None
) -> tuple[Summary, list[SummaryScope], Skipped]:
    """The summary of the window from `since` (default: DEFAULT_WINDOW ago) to `now`, what it
    shows of each journal, and the files that were skipped.

    Goals are read with their logs from `detail_edge` on: each goal's older logs count by
    their sum, folded from every goal record once and kept in the index until a row it was
    worked out from changes. So a summary reads the same however long goals have been logged
    to, and right after a write as well."""
    start = min(since or now - DEFAULT_WINDOW, now - REPLY_WINDOW)
    edge = detail_edge(now, start)
    states, problems = read_scope_states(sessions, start, logs_since=edge)
    scopes = [
        SummaryScope(state, fold_resources(records, session.space), edge, _sums(session, edge))
        for session, (state, records) in zip(sessions, states, strict=True)
    ]
    me = sessions[0].identity.member
    return summarize(me, scopes, now, since, names_of(sessions)), scopes, problems


def _sums(session: JournalSession, edge: datetime) -> Sums:
    """`sums_before(edge)` of the goals of one journal, as kept in its index when the rows
    they depend on are the same, else folded and kept: the basis and the fold are read in one
    snapshot, so what another peerlog writes meanwhile is never kept under the basis before."""
    from peerlog.store.index import micros

    index = session.store.index
    params = {
        "log": GoalLog.TYPE,
        "goal": GoalProposal.TYPE,
        "deletion": Deletion.TYPE,
        "edge": micros(edge),
        "bound": index.bound(),
        "judged": index.trust is not None,
    }
    with index.snapshot():
        basis = index.basis(_BASIS, params)
        found = _parsed(index.recall("goal sums before", basis))
        if found is not None:
            return found
        goals = fold_goals(index.with_related(index.ids((GoalProposal.TYPE,))), session.space)
    found = sums_before(goals, edge)
    value = [[author, goal, parts] for (author, goal), parts in found.items()]
    index.keep("goal sums before", basis, json.dumps(value))
    return found


def _parsed(value: str | None) -> Sums | None:
    """What `_sums` kept, or None when there is nothing kept (or nothing it wrote)."""
    try:
        found: Sums = {}
        for author, goal, parts in json.loads(value or "null"):
            if not all(isinstance(p, float) for p in parts) or not parts:
                return None
            found[(str(author), str(goal))] = tuple(parts)
        return found
    except (TypeError, ValueError):
        return None
