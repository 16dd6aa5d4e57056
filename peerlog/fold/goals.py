"""Goals as agreed: a pure fold from goal records to each goal's state (DESIGN §4).

- A goal's participants are named in its proposal (the proposer among them). Events by anyone
  else are ignored and listed in `refused`.
- Terms (the proposal, then each amendment) come into force only when every active participant
  has accepted them; the author of a set of terms accepts them by proposing. Until an amendment
  is agreed, the terms before it stand. A participant's latest answer to a set of terms counts.
  Agreement is followed in merge order: once in force, terms stay until newer terms are agreed.
- Withdrawing steps a participant out (accepting again rejoins); agreement is among those left.
- Completion is agreed too: every active participant votes after the latest reopening.
- Logs count unless their author deleted them (a retraction).

No I/O, no clock: everything time-dependent is in `progress.py`, with "now" passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from peerlog.classes import dataclass
from peerlog.errors import UsageError
from peerlog.fold.claims import Claims
from peerlog.fold.trust import counted
from peerlog.records import Deletion, Record
from peerlog.records.goals import (
    GoalAccept,
    GoalAmend,
    GoalComplete,
    GoalDecline,
    GoalEvent,
    GoalLog,
    GoalProposal,
    GoalReopen,
    GoalRest,
    GoalTerms,
    GoalWithdraw,
    Target,
    parse_target,
)

ACCEPT, DECLINE = "accept", "decline"


@dataclass(frozen=True, slots=True)
class TermsView:
    """One set of terms (the proposal or an amendment) and where everyone stands on it."""

    id: str
    proposed_by: str
    created: datetime
    title: str
    why: str
    target_text: str
    target: Target | None
    by: datetime | None
    accepted_by: tuple[str, ...]  # active participants whose latest answer is yes
    declined_by: tuple[tuple[str, str], ...]  # (member, reason) whose latest answer is no
    agreed: bool  # came into force at some point
    agreed_at: datetime | None  # when the last needed "yes" was written


@dataclass(frozen=True, slots=True)
class GoalView:
    id: str
    space: str | None
    proposed_by: str
    created: datetime
    participants: tuple[str, ...]  # everyone named in the proposal
    active: tuple[str, ...]  # participants who have not withdrawn
    withdrawn: tuple[str, ...]
    terms: TermsView | None  # in force; None until first agreed
    pending: tuple[TermsView, ...]  # newer terms not yet agreed, oldest first
    state: str  # proposed | declined | active | done | withdrawn
    waiting_for: tuple[str, ...]  # who has not accepted the newest pending terms
    completion_votes: tuple[str, ...]
    active_since: datetime | None
    logs: tuple[GoalLog, ...]
    rests: tuple[GoalRest, ...]
    history: tuple[Record, ...]  # every counted event, in merge order
    refused: tuple[Record, ...]  # events by non-participants, ignored

    @property
    def shown_terms(self) -> TermsView:
        """The terms to show: those in force, else the newest proposed."""
        return self.terms if self.terms is not None else self.pending[-1]

    @property
    def title(self) -> str:
        return self.shown_terms.title

    @property
    def newest_pending(self) -> TermsView | None:
        """The newest terms waiting for an answer, if any."""
        return self.pending[-1] if self.pending else None


def fold_goals(records: Iterable[Record], space: str | None = None) -> tuple[GoalView, ...]:
    """Every goal in a journal or space, newest proposal first.

    A goal is known by its proposer and id together, and every event counts for the goal it
    names that way (`claims.py`): a proposal with a copied id is a goal of its own author, and
    never draws anyone's answers to itself. Only records that count take part (a
    newcomer's or an unsigned answer is never consent: fold/trust.py)."""
    claims = Claims(counted(records))
    ordered = claims.ordered
    retracted = {
        (r.author, r.target)
        for r in ordered
        if isinstance(r, Deletion) and claims.own(r.author, r.target, Record) is not None
    }
    events: dict[tuple[str, str], list[Record]] = {}
    for record in ordered:
        if (record.author, record.id) in retracted:
            continue
        if isinstance(record, GoalProposal):
            key = (record.author, record.id)
        elif isinstance(record, GoalEvent | GoalAmend):
            proposal = claims.resolve(record.goal, record.goal_by, GoalProposal)
            if proposal is None:
                continue  # its goal has not arrived yet (or the pointer names no one goal)
            key = (proposal.author, proposal.id)
        else:
            continue
        events.setdefault(key, []).append(record)
    goals = []
    for (author, goal_id), history in events.items():
        proposal = claims.own(author, goal_id, GoalProposal)
        # Events for goals not arrived yet wait; a proposal its author deleted hides the goal.
        if proposal is not None and (author, goal_id) not in retracted:
            goals.append(fold_goal(proposal, history, space))
    goals.sort(key=lambda g: (g.created, g.id, g.proposed_by), reverse=True)
    return tuple(goals)


def fold_goal(proposal: GoalProposal, events: Sequence[Record], space: str | None) -> GoalView:
    """One goal from its proposal and its events (in merge order, duplicates removed).

    Agreement is followed as it happened: walking the events in merge order, terms come into
    force at the event that gives them the last "yes" needed from the participants active at
    that moment, and stay in force until newer terms do. Members who step out and back in, or
    join the agreement later, never undo what was agreed meanwhile.
    """
    named = tuple(sorted({*proposal.participants, proposal.author}))
    counted = [e for e in events if e.author in named]
    # Every set of terms of this goal, by id: an answer counts for the one it names.
    terms_ids: dict[str, list[str]] = {}
    for event in counted:
        if isinstance(event, GoalTerms):
            terms_ids.setdefault(event.id, []).append(event.author)
    refused = tuple(e for e in events if e.author not in named)
    candidates: list[GoalTerms] = []
    answers: dict[tuple[str, str, str], tuple[str, Record]] = {}  # (member, *terms_key)
    withdrawn: set[str] = set()
    agreed_at: dict[str, datetime] = {}
    in_force = -1  # index into candidates
    last_reopen: tuple[int, str] | None = None
    votes: dict[str, tuple[int, str]] = {}
    for event in counted:  # merge order: later answers replace earlier ones
        member = event.author
        if isinstance(event, GoalTerms):  # proposing or amending is accepting
            candidates.append(event)
            answers[(member, event.author, event.id)] = (ACCEPT, event)
            withdrawn.discard(member)
        elif isinstance(event, GoalAccept | GoalDecline):
            terms = _answered(terms_ids, event)
            if isinstance(event, GoalAccept):
                withdrawn.discard(member)  # accepting again rejoins
            if terms is not None:
                answers[(member, *terms)] = (
                    ACCEPT if isinstance(event, GoalAccept) else DECLINE,
                    event,
                )
        elif isinstance(event, GoalWithdraw):
            withdrawn.add(member)
        elif isinstance(event, GoalReopen):
            last_reopen = event.order_key()
        elif isinstance(event, GoalComplete):
            votes[member] = event.order_key()
        present = [m for m in named if m not in withdrawn]
        for index in range(len(candidates) - 1, in_force, -1):
            key = (candidates[index].author, candidates[index].id)
            if present and all(answers.get((m, *key), ("",))[0] == ACCEPT for m in present):
                in_force = index
                agreed_at[candidates[index].id] = event.created
                break
    active = tuple(m for m in named if m not in withdrawn)
    views = [_terms_view(c, active, answers, agreed_at.get(c.id)) for c in candidates]
    current = views[in_force] if in_force >= 0 else None
    pending = tuple(v for v in views[in_force + 1 :] if not v.agreed)
    newest = pending[-1] if pending else None
    waiting = tuple(m for m in active if newest and m not in newest.accepted_by)
    voted = tuple(
        m for m in active if m in votes and (last_reopen is None or votes[m] > last_reopen)
    )
    done = current is not None and bool(active) and len(voted) == len(active)
    if not active:
        state = "withdrawn"
    elif done:
        state = "done"
    elif current is not None:
        state = "active"
    elif newest is not None and newest.declined_by:
        state = "declined"
    else:
        state = "proposed"
    return GoalView(
        id=proposal.id,
        space=space,
        proposed_by=proposal.author,
        created=proposal.created,
        participants=named,
        active=active,
        withdrawn=tuple(m for m in named if m in withdrawn),
        terms=current,
        pending=pending,
        state=state,
        waiting_for=waiting,
        completion_votes=voted,
        active_since=min(agreed_at.values(), default=None),
        logs=tuple(e for e in counted if isinstance(e, GoalLog)),
        rests=tuple(e for e in counted if isinstance(e, GoalRest)),
        history=(proposal, *(e for e in counted if e is not proposal)),
        refused=refused,
    )


def _answered(
    terms_ids: dict[str, list[str]], event: GoalAccept | GoalDecline
) -> tuple[str, str] | None:
    """(author, id) of the terms an answer names; None when it names none of this goal's
    (by author when it says, else the only terms with that id)."""
    authors = terms_ids.get(event.terms, [])
    if event.terms_by:
        return (event.terms_by, event.terms) if event.terms_by in authors else None
    return (authors[0], event.terms) if len(authors) == 1 else None


def _terms_view(
    terms: GoalTerms,
    active: tuple[str, ...],
    answers: dict[tuple[str, str, str], tuple[str, Record]],
    agreed_at: datetime | None,
) -> TermsView:
    said = [(m, answers.get((m, terms.author, terms.id))) for m in active]
    yes = tuple(m for m, answer in said if answer and answer[0] == ACCEPT)
    no = tuple((m, answer[1].body) for m, answer in said if answer and answer[0] == DECLINE)
    return TermsView(
        id=terms.id,
        proposed_by=terms.author,
        created=terms.created,
        title=terms.title,
        why=terms.why,
        target_text=terms.target,
        target=_target(terms.target),
        by=terms.by,
        accepted_by=yes,
        declined_by=no,
        agreed=agreed_at is not None,
        agreed_at=agreed_at,
    )


def _target(text: str) -> Target | None:
    if not text:
        return None
    try:
        return parse_target(text)
    except UsageError:
        return None  # a partner's newer peerlog may write targets this one cannot read
