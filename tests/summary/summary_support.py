"""Builders for summary tests: records by hand, folded into SummaryScopes, with a fixed now."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from peerlog.fold import fold_journal
from peerlog.fold.agreements import fold_agreements
from peerlog.fold.due import ScopeState
from peerlog.fold.goals import fold_goals
from peerlog.fold.resources import fold_resources
from peerlog.fold.summary import SummaryScope
from peerlog.records import Entry, Record, Reply, new_record_id
from peerlog.records.dialogue import Checkin, Resource
from peerlog.records.goals import GoalAccept, GoalLog, GoalProposal

NOW = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)  # a Saturday
DEVICES = {"sam": "aaaaaaaaaaaaaaaa", "alex": "bbbbbbbbbbbbbbbb"}
_counter = itertools.count(1)


def _envelope(author: str, at: datetime) -> dict[str, object]:
    n = next(_counter)
    return {
        "id": new_record_id(at, n.to_bytes(10, "big")),
        "author": author,
        "device": DEVICES[author],
        "clock": n,
        "created": at,
    }


def entry(author: str, at: datetime, mood: int | None = None, text: str = "words") -> Entry:
    return Entry(**_envelope(author, at), when=at, body=text, mood=mood)  # type: ignore[arg-type]


def checkin(
    author: str, at: datetime, mood: int | None = None, wins: tuple[str, ...] = ()
) -> Checkin:
    return Checkin(**_envelope(author, at), mood=mood, wins=wins)  # type: ignore[arg-type]


def reply(author: str, at: datetime, target: Record) -> Reply:
    return Reply(**_envelope(author, at), target=target.id, body="thanks")  # type: ignore[arg-type]


def resource(author: str, at: datetime) -> Resource:
    return Resource(**_envelope(author, at), title="Box breathing")  # type: ignore[arg-type]


def cadence_goal(at: datetime, target: str = "3/week") -> list[Record]:
    proposal = GoalProposal(
        **_envelope("sam", at),
        title="Walk",
        target=target,
        participants=("alex", "sam"),  # type: ignore[arg-type]
    )
    accept = GoalAccept(
        **_envelope("alex", at + timedelta(hours=1)),
        goal=proposal.id,
        terms=proposal.id,  # type: ignore[arg-type]
    )
    return [proposal, accept]


def log(author: str, goal: Record, day: datetime, amount: float = 1.0) -> GoalLog:
    return GoalLog(**_envelope(author, day), goal=goal.id, amount=amount, when=day)  # type: ignore[arg-type]


def scope(records: list[Record], space: str | None = "pair") -> SummaryScope:
    members = ("alex", "sam") if space else ("sam",)
    state = ScopeState(
        space=space,
        journal=fold_journal(records, space),
        goals=fold_goals(records, space),
        agreements=fold_agreements(records, members) if space else {},
        members=members,
    )
    return SummaryScope(state, fold_resources(records, space))


def day(d: date, hour: int = 12) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)
