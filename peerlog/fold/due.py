"""What is waiting for me: a friend's reminder, not a referee. Pure; "now" is passed in.

- goals and new terms waiting for my answer, and completions waiting for my word;
- a proposed space agreement (the check-in cadence) waiting for my say;
- my check-in in a space whose agreed cadence has passed since my last one;
- partners' recent check-ins I have not replied to;
- active cadence goals of mine whose current period is not met yet;
- news for me, shown until I have seen it (`seen` ids, kept in the home): a goal of mine that
  a partner reopened, and a partner's reply to something I wrote.

Items that ask for an action stop appearing once I act; news stops once seen. A record shown
without counting (a newcomer's, or an unsigned one: fold/trust.py) asks nothing of me: goals
and agreements never include it, and its check-ins and replies are not nagged about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import NamedTuple

from peerlog.classes import dataclass
from peerlog.errors import UsageError
from peerlog.fold.agreements import AgreementView
from peerlog.fold.goals import GoalView
from peerlog.fold.journal import CheckinView, EntryView, Journal
from peerlog.fold.progress import progress_of
from peerlog.fold.trust import counted
from peerlog.records.dialogue import describe_cadence, parse_cadence
from peerlog.records.goals import GoalReopen

REPLY_WINDOW = timedelta(days=14)  # older check-ins are not nagged about


@dataclass(frozen=True, slots=True)
class ScopeState:
    """One journal or space, folded: what `due` and the summary look at."""

    space: str | None
    journal: Journal
    goals: tuple[GoalView, ...]
    agreements: dict[str, AgreementView] = field(default_factory=dict)
    members: tuple[str, ...] = ()  # the space's members; the user alone for the private journal


class ReplyMark(NamedTuple):
    """A reply, as `due` needs it: whose post it answers, and which post."""

    id: str
    author: str
    when: datetime
    post: str  # the entry or check-in replied to
    post_author: str
    post_kind: str  # entry | check-in
    post_when: datetime


class CheckinMark(NamedTuple):
    """What `due` needs of a check-in: who wrote it, when, and who has replied."""

    id: str
    author: str
    when: datetime
    replied: tuple[str, ...]
    counts: bool = True  # False: only shown (fold/trust.py), so nobody is asked to reply


@dataclass(frozen=True, slots=True)
class DueScope:
    """What `due` needs of one journal or space, and nothing more, so that it reads fast: the
    goals without their events, each goal's counted logs as (POSIX time, amount) pairs, the
    check-ins as marks (newest first), and the check-in cadence in force."""

    space: str | None
    goals: tuple[GoalView, ...]  # with no logs, history or refused events
    logged: dict[str, tuple[tuple[float, float], ...]]  # goal id -> its logs, in order
    checkins: tuple[CheckinMark, ...]
    cadence: str | None
    agreements: tuple[AgreementView, ...] = ()  # proposals not in force yet
    reopened: dict[str, tuple[str, str]] = field(default_factory=dict)  # goal -> (event, by)
    replies: tuple[ReplyMark, ...] = ()


def _replies(journal: Journal) -> tuple[ReplyMark, ...]:
    posts: list[tuple[str, EntryView | CheckinView]] = [("entry", v) for v in journal.entries]
    posts += [("check-in", c) for c in journal.checkins]
    return tuple(
        ReplyMark(reply.id, reply.author, reply.created, post.id, post.author, kind, post.when)
        for kind, post in posts
        for reply in counted(post.replies)
    )


def _reopened(goal: GoalView) -> tuple[str, str] | None:
    """The latest reopening of a goal that is active again: (its record id, who)."""
    events = [e for e in goal.history if isinstance(e, GoalReopen)]
    return (events[-1].id, events[-1].author) if events and goal.state == "active" else None


def due_scope(state: ScopeState) -> DueScope:
    cadence = state.agreements.get("cadence")
    reopened = {g.id: found for g in state.goals if (found := _reopened(g)) is not None}
    return DueScope(
        space=state.space,
        goals=tuple(replace(g, logs=(), history=(), refused=()) for g in state.goals),
        logged={
            g.id: tuple((log.when.timestamp(), log.amount) for log in g.logs) for g in state.goals
        },
        checkins=tuple(
            CheckinMark(c.id, c.author, c.when, tuple(r.author for r in c.replies), not c.standing)
            for c in state.journal.checkins
        ),
        cadence=cadence.in_force if cadence is not None else None,
        agreements=tuple(a for a in state.agreements.values() if a.proposed is not None),
        reopened=reopened,
        replies=_replies(state.journal),
    )


@dataclass(frozen=True, slots=True)
class DueItem:
    # answer-goal | confirm-done | agreement | checkin | reply | behind | reopened | replied
    kind: str
    space: str | None
    ref: str  # the goal or check-in id, or the space name
    text: str
    news: str | None = None  # for news: the record that is news (marked seen once shown)


def due_items(
    me: str,
    scopes: Sequence[ScopeState | DueScope],
    now: datetime,
    seen: frozenset[str] = frozenset(),
    names: Mapping[str, str] | None = None,
) -> list[DueItem]:
    """Everything waiting for `me`, each once; news whose record id is in `seen` is left out.
    Members are named by `names` (display names, `actions.spaces.names_of`), else by id."""
    items: list[DueItem] = []
    who = partial(_named, names or {})
    for scope in scopes:
        small = scope if isinstance(scope, DueScope) else due_scope(scope)
        items += _agreement_items(me, small, who)
        items += _goal_items(me, small, now, who)
        items += _checkin_items(me, small, now, who)
        items += _news_items(me, small, now, who)
    return [item for item in items if item.news is None or item.news not in seen]


def _named(names: Mapping[str, str], *members: str) -> str:
    """Members as the items name them: by display name where one is known."""
    return " and ".join(names.get(m, m) for m in members)


_Who = Callable[..., str]  # `_named` with the names given


def _agreement_items(me: str, scope: DueScope, who: _Who) -> Iterator[DueItem]:
    for agreement in scope.agreements:
        if scope.space is None or me not in agreement.waiting_for or agreement.proposed is None:
            continue
        said = sorted(m for m, value in agreement.says if value == agreement.proposed)
        yield DueItem(
            "agreement",
            scope.space,
            scope.space,
            f"{who(*said) or 'someone'} proposed a {agreement.topic} of "
            f"'{agreement.proposed}' in {scope.space}: `peerlog space agree {scope.space} "
            f"{agreement.topic} {agreement.proposed}` to agree.",
        )


def _news_items(me: str, scope: DueScope, now: datetime, who: _Who) -> Iterator[DueItem]:
    for goal in scope.goals:
        found = scope.reopened.get(goal.id)
        if found is None or me not in goal.active or found[1] == me:
            continue
        yield DueItem(
            "reopened",
            scope.space,
            goal.id,
            f"{who(found[1])} reopened '{goal.title}'; it is active again.",
            news=found[0],
        )
    for reply in scope.replies:
        if reply.post_author != me or reply.author == me or now - reply.when > REPLY_WINDOW:
            continue
        yield DueItem(
            "replied",
            scope.space,
            reply.post,
            f"{who(reply.author)} replied to your {reply.post_kind} of "
            f"{reply.post_when.strftime('%a %d %b')}.",
            news=reply.id,
        )


def _goal_items(me: str, scope: DueScope, now: datetime, who: _Who) -> Iterator[DueItem]:
    for goal in scope.goals:
        if me not in goal.active or goal.state in ("withdrawn", "done"):
            continue
        title = goal.title
        if me in goal.waiting_for:
            newest = goal.pending[-1]
            what = "a new goal" if goal.terms is None else "new terms for"
            yield DueItem(
                "answer-goal",
                scope.space,
                goal.id,
                f"{who(newest.proposed_by)} proposed {what} '{title}': accept or decline.",
            )
        if goal.state == "active" and goal.completion_votes and me not in goal.completion_votes:
            voters = who(*goal.completion_votes)
            verb = "says" if len(goal.completion_votes) == 1 else "say"
            yield DueItem(
                "confirm-done", scope.space, goal.id, f"{voters} {verb} '{title}' is done."
            )
        if goal.state == "active":
            progress = progress_of(goal, scope.logged[goal.id], now)
            if progress.behind and progress.this_period and progress.target:
                current = progress.this_period
                yield DueItem(
                    "behind",
                    scope.space,
                    goal.id,
                    f"'{title}': {current.amount:g} of {current.target:g} this "
                    f"{progress.target.period} so far. There is still time.",
                )


def _checkin_items(me: str, scope: DueScope, now: datetime, who: _Who) -> Iterator[DueItem]:
    if scope.space is None:
        return
    mine = [c for c in scope.checkins if c.author == me]
    if scope.cadence is not None:
        try:
            cadence = parse_cadence(scope.cadence)
        except UsageError:
            cadence = None  # a value a newer peerlog wrote
        last = mine[0].when if mine else None
        if cadence is not None and (last is None or now - last >= cadence):
            since = "" if last is None else f"; your last was {(now - last).days} days ago"
            yield DueItem(
                "checkin",
                scope.space,
                scope.space,
                f"Time for your check-in in {scope.space} (agreed: "
                f"{describe_cadence(cadence)}{since}).",
            )
    for checkin in scope.checkins:
        if checkin.author == me or now - checkin.when > REPLY_WINDOW or not checkin.counts:
            continue
        if me not in checkin.replied:
            yield DueItem(
                "reply",
                scope.space,
                checkin.id,
                f"{who(checkin.author)} checked in on {checkin.when.strftime('%a %d %b')}; "
                "a reply would mean a lot.",
            )
