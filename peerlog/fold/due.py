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
from dataclasses import field
from datetime import datetime, timedelta
from functools import partial

from peerlog.classes import dataclass
from peerlog.errors import UsageError
from peerlog.fold.agreements import AgreementView
from peerlog.fold.goals import GoalView
from peerlog.fold.journal import CheckinView, EntryView, Journal
from peerlog.fold.progress import goal_progress
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
    scopes: Sequence[ScopeState],
    now: datetime,
    seen: frozenset[str] = frozenset(),
    names: Mapping[str, str] | None = None,
) -> list[DueItem]:
    """Everything waiting for `me`, each once; news whose record id is in `seen` is left out.
    Members are named by `names` (display names, `actions.spaces.names_of`), else by id."""
    items: list[DueItem] = []
    who = partial(_named, names or {})
    for scope in scopes:
        items += _agreement_items(me, scope, who)
        items += _goal_items(me, scope, now, who)
        items += _checkin_items(me, scope, now, who)
        items += _news_items(me, scope, now, who)
    return [item for item in items if item.news is None or item.news not in seen]


def _named(names: Mapping[str, str], *members: str) -> str:
    """Members as the items name them: by display name where one is known."""
    return " and ".join(names.get(m, m) for m in members)


_Who = Callable[..., str]  # `_named` with the names given


def _agreement_items(me: str, scope: ScopeState, who: _Who) -> Iterator[DueItem]:
    for agreement in scope.agreements.values():
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


def _news_items(me: str, scope: ScopeState, now: datetime, who: _Who) -> Iterator[DueItem]:
    for goal in scope.goals:
        reopenings = [e for e in goal.history if isinstance(e, GoalReopen)]
        last = reopenings[-1] if reopenings else None
        if last is None or last.author == me or goal.state != "active" or me not in goal.active:
            continue  # news only of the latest reopening, by someone else, of an active goal
        yield DueItem(
            "reopened",
            scope.space,
            goal.id,
            f"{who(last.author)} reopened '{goal.title}'; it is active again.",
            news=last.id,
        )
    posts: list[tuple[str, EntryView | CheckinView]] = [("entry", v) for v in scope.journal.entries]
    posts += [("check-in", c) for c in scope.journal.checkins]
    for kind, post in posts:
        for reply in counted(post.replies):
            if post.author != me or reply.author == me or now - reply.created > REPLY_WINDOW:
                continue
            yield DueItem(
                "replied",
                scope.space,
                post.id,
                f"{who(reply.author)} replied to your {kind} of {post.when.strftime('%a %d %b')}.",
                news=reply.id,
            )


def _goal_items(me: str, scope: ScopeState, now: datetime, who: _Who) -> Iterator[DueItem]:
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
            progress = goal_progress(goal, now)
            if progress.behind and progress.this_period and progress.target:
                current = progress.this_period
                yield DueItem(
                    "behind",
                    scope.space,
                    goal.id,
                    f"'{title}': {current.amount:g} of {current.target:g} this "
                    f"{progress.target.period} so far. There is still time.",
                )


def _checkin_items(me: str, scope: ScopeState, now: datetime, who: _Who) -> Iterator[DueItem]:
    if scope.space is None:
        return
    agreed = scope.agreements.get("cadence")
    checkins = scope.journal.checkins
    mine = [c for c in checkins if c.author == me]
    if agreed is not None and agreed.in_force is not None:
        try:
            cadence = parse_cadence(agreed.in_force)
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
    for checkin in checkins:
        if checkin.author == me or now - checkin.when > REPLY_WINDOW or checkin.standing:
            continue
        if me not in (r.author for r in checkin.replies):
            yield DueItem(
                "reply",
                scope.space,
                checkin.id,
                f"{who(checkin.author)} checked in on {checkin.when.strftime('%a %d %b')}; "
                "a reply would mean a lot.",
            )
