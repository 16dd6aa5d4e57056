"""Goals: propose, agree, amend, log, rest, complete, reopen, withdraw.

Every action writes one record by me into the journal or space that holds the goal, and refuses,
with a sentence saying why, anything DESIGN §4 does not allow: acting on a goal you are not part
of, logging to a goal that is not active, amending a withdrawn or finished goal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from peerlog.actions.journal import (
    JournalSession,
    R,
    Skipped,
    check_text,
    only_one,
    publish_as_me,
    skipped_files,
)
from peerlog.classes import dataclass
from peerlog.errors import NothingDone, Refused, UsageError
from peerlog.fold.goals import GoalView, TermsView, fold_goals
from peerlog.fold.space import fold_members
from peerlog.records import Deletion
from peerlog.records.goals import (
    MAX_AMOUNT,
    GoalAccept,
    GoalAmend,
    GoalComplete,
    GoalDecline,
    GoalLog,
    GoalProposal,
    GoalReopen,
    GoalRest,
    GoalWithdraw,
    check_title,
    parse_target,
)


@dataclass(frozen=True, slots=True)
class ScopedGoal:
    session: JournalSession
    goal: GoalView


def read_goals(
    sessions: Sequence[JournalSession], *, logs: bool = True, prefix: str | None = None
) -> tuple[list[ScopedGoal], Skipped]:
    """Every goal in the given journals (or those whose id starts with `prefix`, as typed: a
    blank one names none), newest first, and the files that were skipped. With `logs=False`
    the goals come without their logs (and their history leaves the logs out): what acting on
    a goal needs, however much was logged. Each goal is folded on its own records (its
    events, and the deletions of them)."""
    skip = () if logs else (GoalLog.TYPE,)
    wanted, found = (prefix or "").strip().lower(), list[ScopedGoal]()
    if prefix is not None and not wanted:
        return found, skipped_files(sessions)  # a blank id names no goal
    for s in sessions:
        ids = s.store.index.ids((GoalProposal.TYPE,), wanted)
        records = s.store.index.with_related(ids, skip_types=skip) if ids else []
        found += [ScopedGoal(s, goal) for goal in fold_goals(records, s.space)]
    found.sort(key=lambda item: (item.goal.created, item.goal.id), reverse=True)
    return found, skipped_files(sessions)


def _not_active_hint(goal: GoalView) -> str:
    """What to do about a goal that is not active, by its state."""
    if goal.state == "done":
        return (
            f"If there is more to do, `peerlog goal reopen {goal.id}` (then everyone agrees again)."
        )
    if goal.state == "declined":
        return f"Someone said no to these terms; `peerlog goal amend {goal.id}` proposes others."
    if goal.state == "withdrawn":
        return f"Everyone has stepped back; `peerlog goal accept {goal.id}` rejoins it."
    return f"It becomes active when every participant accepts it (`peerlog goal accept {goal.id}`)."


def find_goal(goals: Sequence[ScopedGoal], prefix: str) -> ScopedGoal:
    by_id: dict[str, list[ScopedGoal]] = {}
    for item in goals:
        by_id.setdefault(item.goal.id, []).append(item)
    return only_one(by_id, prefix, lambda item: item.goal.proposed_by, "goal")


def _target_text(target: str | None) -> str:
    if target is None or not target.strip():
        return ""
    parse_target(target)  # refuse what cannot be read, before anything is written
    return " ".join(target.split())


def propose_goal(
    session: JournalSession,
    title: str,
    *,
    now: datetime,
    why: str = "",
    target: str | None = None,
    by: datetime | None = None,
    with_members: Sequence[str] = (),
) -> GoalProposal:
    """Propose a goal. In a space it is for every member unless `with_members` names some;
    in the private journal it is yours alone and active at once."""
    me = session.identity.member
    if session.space is None:
        if with_members and set(with_members) != {me}:
            raise UsageError(
                "A goal in your private journal is yours alone.",
                hint="Propose it in a shared space with --space to do it with others.",
            )
        participants: tuple[str, ...] = (me,)
    else:
        members = {m.member for m in fold_members(session.store.load().records)} | {me}
        unknown = sorted(set(with_members) - members)
        if unknown:
            raise UsageError(
                f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not a member of "
                f"space {session.space} (members: {', '.join(sorted(members))}).",
            )
        participants = tuple(sorted({me, *with_members} if with_members else members))
    return publish_as_me(
        session,
        GoalProposal,
        now=now,
        title=check_title(title),
        why=why.strip(),
        target=_target_text(target),
        by=by,
        participants=participants,
    )


def _participant(session: JournalSession, goal: GoalView, verb: str) -> str:
    me = session.identity.member
    if me not in goal.participants:
        raise Refused(
            f"You are not a participant of goal '{goal.title}', so you cannot {verb} it.",
            hint=f"Its participants are {', '.join(goal.participants)}.",
        )
    return me


def _present(session: JournalSession, goal: GoalView, verb: str) -> str:
    """A participant who has not stepped back: only they act for the group."""
    me = _participant(session, goal, verb)
    if me in goal.withdrawn:
        raise Refused(
            f"You withdrew from '{goal.title}', so you cannot {verb} it.",
            hint="Accept it again (peerlog goal accept) to rejoin.",
        )
    return me


def _publish_on(
    session: JournalSession, cls: type[R], goal: GoalView, *, now: datetime, **payload: Any
) -> R:
    """Publish a record of type `cls` by me about `goal`."""
    return publish_as_me(session, cls, now=now, goal=goal.id, goal_by=goal.proposed_by, **payload)


def terms_to_accept(session: JournalSession, goal: GoalView) -> TermsView:
    """The terms `goal accept` would say yes to: the newest waiting for me (or, to rejoin
    after withdrawing, those in force)."""
    me = _participant(session, goal, "accept")
    terms = goal.newest_pending
    if me in goal.withdrawn:
        terms = goal.terms or terms  # rejoining: to the terms the group has now
    if terms is None or (me in terms.accepted_by and me not in goal.withdrawn):
        raise NothingDone(f"Nothing to accept: you already agreed to '{goal.title}' as it stands.")
    return terms


def describe_terms(terms: TermsView) -> str:
    """Terms in one line, exactly as agreed: title, target, finish date, why, and their id."""
    parts = [f"'{terms.title}'"]
    if terms.target_text:
        parts.append(f"target {terms.target_text}")
    if terms.by is not None:
        parts.append(f"by {terms.by.date().isoformat()}")
    if terms.why:
        parts.append(f"why: {terms.why}")
    return ", ".join(parts) + f" (terms {terms.id}, proposed by {terms.proposed_by})"


def accept_goal(
    session: JournalSession, goal: GoalView, *, now: datetime, seen: str | None = None
) -> GoalAccept:
    """Say yes to the terms `terms_to_accept` names, recording their id. With `seen` (the id,
    or a start of it, of the terms the member read), refuse if newer terms replaced them: an
    amendment made a moment earlier is never accepted unseen."""
    terms = terms_to_accept(session, goal)
    if seen is not None and not terms.id.startswith(seen.strip().lower()):
        raise Refused(
            f"The terms you read ({seen}) are no longer the newest: {describe_terms(terms)}.",
            hint=f"Read them with `peerlog goal show {goal.id}`, then accept with "
            f"--terms {terms.id}.",
        )
    return _publish_on(
        session, GoalAccept, goal, now=now, terms=terms.id, terms_by=terms.proposed_by
    )


def decline_goal(
    session: JournalSession, goal: GoalView, *, now: datetime, reason: str = ""
) -> GoalDecline:
    """Say no to the newest terms waiting for an answer."""
    _present(session, goal, "decline")
    terms = goal.newest_pending
    if terms is None:
        raise NothingDone(
            f"No new terms of '{goal.title}' are waiting for an answer.",
            hint="To step back from the goal, use `peerlog goal withdraw`.",
        )
    return _publish_on(
        session,
        GoalDecline,
        goal,
        now=now,
        terms=terms.id,
        terms_by=terms.proposed_by,
        body=reason.strip(),
    )


def amend_goal(
    session: JournalSession,
    goal: GoalView,
    *,
    now: datetime,
    title: str | None = None,
    why: str | None = None,
    target: str | None = None,
    by: datetime | None = None,
) -> GoalAmend:
    """Propose new terms; the current ones stand until every participant accepts these."""
    _participant(session, goal, "amend")
    if goal.state in ("withdrawn", "done"):
        raise Refused(f"Goal '{goal.title}' is {goal.state}; it cannot be amended.")
    _present(session, goal, "amend")
    base = goal.shown_terms
    new = {
        "title": check_title(title) if title is not None else base.title,
        "why": why.strip() if why is not None else base.why,
        "target": _target_text(target) if target is not None else base.target_text,
        "by": by if by is not None else base.by,
    }
    if new == {"title": base.title, "why": base.why, "target": base.target_text, "by": base.by}:
        raise UsageError("Nothing to amend: give a new --title, --target, --why or --by.")
    return _publish_on(session, GoalAmend, goal, now=now, **new)


def log_progress(
    session: JournalSession,
    goal: GoalView,
    *,
    now: datetime,
    amount: float = 1.0,
    note: str = "",
    when: datetime | None = None,
) -> GoalLog:
    """Log progress on an active goal."""
    _participant(session, goal, "log progress on")
    if goal.state != "active":
        waiting = f" (waiting for {', '.join(goal.waiting_for)})" if goal.waiting_for else ""
        raise Refused(
            f"Goal '{goal.title}' is {goal.state}{waiting}; progress is logged on active goals.",
            hint=_not_active_hint(goal),
        )
    _present(session, goal, "log progress on")
    if not 0 < abs(amount) <= MAX_AMOUNT or amount != amount:
        raise UsageError(f"An amount is a number up to {MAX_AMOUNT:,}, not {amount:g}.")
    body = check_text(note) if note.strip() else ""
    return _publish_on(
        session, GoalLog, goal, now=now, amount=float(amount), when=when or now, body=body
    )


def undo_last_log(session: JournalSession, goal: GoalView, *, now: datetime) -> GoalLog:
    """Retract my most recent log on this goal (a deletion record; the log file stays)."""
    me = session.identity.member
    mine = [log for log in goal.logs if log.author == me]
    if not mine:
        raise NothingDone(f"You have no progress logged on '{goal.title}' to undo.")
    last = max(mine, key=lambda log: log.order_key())
    publish_as_me(session, Deletion, now=now, target=last.id)
    return last


def complete_goal(session: JournalSession, goal: GoalView, *, now: datetime) -> GoalComplete:
    """My vote that the goal is done; it is done when every participant has voted."""
    _participant(session, goal, "complete")
    if goal.state != "active":
        raise Refused(f"Goal '{goal.title}' is {goal.state}; only an active goal can be completed.")
    me = _present(session, goal, "complete")
    if me in goal.completion_votes:
        raise NothingDone("You have already said it is done; waiting for the others.")
    return _publish_on(session, GoalComplete, goal, now=now)


def reopen_goal(session: JournalSession, goal: GoalView, *, now: datetime) -> GoalReopen:
    """Not done after all: every completion vote so far no longer counts."""
    _present(session, goal, "reopen")
    if goal.state != "done" and not goal.completion_votes:
        raise NothingDone(f"Goal '{goal.title}' is not completed; there is nothing to reopen.")
    return _publish_on(session, GoalReopen, goal, now=now)


def withdraw_goal(
    session: JournalSession, goal: GoalView, *, now: datetime, reason: str = ""
) -> GoalWithdraw:
    """Step back from a goal, at any time; accepting it again rejoins."""
    me = _participant(session, goal, "withdraw from")
    if me in goal.withdrawn:
        raise NothingDone(f"You have already withdrawn from '{goal.title}'.")
    return _publish_on(session, GoalWithdraw, goal, now=now, body=reason.strip())


def rest_goal(
    session: JournalSession, goal: GoalView, *, now: datetime, start: date, until: date
) -> GoalRest:
    """Mark days of rest: a period with rest in it is never counted as missed."""
    _present(session, goal, "rest on")
    if until < start:
        raise UsageError("A rest must end on or after the day it starts.")
    return _publish_on(session, GoalRest, goal, now=now, start=start, until=until)
