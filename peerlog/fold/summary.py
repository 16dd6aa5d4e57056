"""The progress summary, computed: goals, activity by day, mood trend, balance, wins, due. Pure.

Balance counts what each member gave and received, listed by member id: it is a picture of
mutuality, never a ranking or a score. Moods are the user's own, and a partner's only where the
partner shared them in a space. "now" is passed in; the window is [since, today].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from datetime import date, datetime, timedelta, tzinfo

from peerlog.classes import dataclass
from peerlog.fold.due import DueItem, ScopeState, due_items
from peerlog.fold.goals import GoalView
from peerlog.fold.progress import Earlier, Progress, goal_progress
from peerlog.fold.resources import ResourceView
from peerlog.fold.trust import NOT_ADMITTED
from peerlog.records import Record, Reply
from peerlog.records.goals import GoalComplete

DEFAULT_WINDOW = timedelta(weeks=12)
RECENT_WINS = 6


@dataclass(frozen=True, slots=True)
class SummaryScope:
    """One journal or space as the summary sees it."""

    state: ScopeState
    resources: tuple[ResourceView, ...] = ()
    # With an edge, the goals hold their logs from it on, and `sums` (progress.sums_before)
    # what each goal's logs before it add up to.
    edge: datetime | None = None
    sums: Mapping[tuple[str, str], tuple[float, ...]] = field(default_factory=dict)

    def progress(self, goal: GoalView, now: datetime) -> Progress:
        if self.edge is None:
            return goal_progress(goal, now)
        key = (goal.proposed_by, goal.id)
        return goal_progress(goal, now, Earlier(self.edge, self.sums.get(key, ())))


@dataclass(frozen=True, slots=True)
class Balance:
    """What one member gave and received, in the window."""

    member: str
    entries: int = 0
    checkins: int = 0
    replies_given: int = 0
    replies_received: int = 0
    resources: int = 0
    standing: str = ""  # "not yet admitted" for a newcomer (fold/trust.py)


@dataclass(frozen=True, slots=True)
class Win:
    when: datetime
    member: str
    text: str
    source: str  # "check-in" or "goal"
    standing: str = ""  # of the check-in it comes from


@dataclass(frozen=True, slots=True)
class Summary:
    me: str
    start: date
    today: date
    goals: tuple[tuple[GoalView, Progress], ...]
    activity: dict[date, int]  # entries, check-ins and progress logs per day, in the window
    moods: dict[str, tuple[float | None, ...]]  # per member: average mood per day, start→today
    balance: tuple[Balance, ...]  # by member id
    wins: tuple[Win, ...]  # newest first
    due: tuple[DueItem, ...] = field(default=())
    mood_average: dict[str, float] = field(default_factory=dict)  # mean of every answer given
    names: dict[str, str] = field(default_factory=dict)  # how to show a member, by member id

    def name(self, member: str) -> str:
        """How to show `member` (their display name, else their id)."""
        return self.names.get(member, member)

    def winners(self, win: Win) -> str:
        """Who a win is for, by name: a finished goal's is everyone's who took part
        (`Win.member` "alex, sam": member ids hold no comma)."""
        return ", ".join(self.name(m) for m in win.member.split(", "))

    @property
    def days(self) -> int:
        return (self.today - self.start).days + 1


class _Tally:
    """Counts for one summary window (mutable while summarising, never returned)."""

    def __init__(self, me: str, start: date, today: date, local: tzinfo | None) -> None:
        self.me, self.start, self.today, self.local = me, start, today, local
        self.activity: dict[date, int] = {}
        self.mood_days: dict[str, dict[date, list[int]]] = {}
        self.counts: dict[str, dict[str, int]] = {}
        self.wins: list[Win] = []
        self.standing: dict[str, str] = {}  # members all of whose records are only shown

    def day(self, moment: datetime) -> date:
        return moment.astimezone(self.local).date()

    def inside(self, moment: datetime) -> bool:
        return self.start <= self.day(moment) <= self.today

    def active_on(self, moment: datetime) -> None:
        if self.inside(moment):
            self.activity[self.day(moment)] = self.activity.get(self.day(moment), 0) + 1

    def count(self, member: str, key: str, moment: datetime) -> None:
        if self.inside(moment):
            mine = self.counts.setdefault(member, {})
            mine[key] = mine.get(key, 0) + 1

    def mood(self, member: str, moment: datetime, value: int | None) -> None:
        if value is not None and self.inside(moment):
            by_day = self.mood_days.setdefault(member, {})
            by_day.setdefault(self.day(moment), []).append(value)

    def newcomer(self, record: Record) -> None:
        """Mark the author of a newcomer's record (a newcomer's records are all shown only)."""
        if record.standing == NOT_ADMITTED:
            self.standing[record.author] = NOT_ADMITTED

    def replies(self, replies: Sequence[Reply], to: str) -> None:
        for reply in replies:
            self.newcomer(reply)
            if reply.author != to:
                self.count(reply.author, "given", reply.created)
                self.count(to, "received", reply.created)


def summarize(
    me: str,
    scopes: Sequence[SummaryScope],
    now: datetime,
    since: datetime | None = None,
    names: Mapping[str, str] | None = None,
) -> Summary:
    """The summary for `me` of the window from `since` to `now`; members are shown by
    `names` (display names), else by id."""
    today = now.date()
    start = min(since.astimezone(now.tzinfo).date() if since else today - DEFAULT_WINDOW, today)
    tally = _Tally(me, start, today, now.tzinfo)
    goals: list[tuple[GoalView, Progress]] = []
    for scope in scopes:
        _tally_scope(tally, scope)
        for goal in scope.state.goals:
            if me in goal.participants and goal.state != "withdrawn":
                goals.append((goal, scope.progress(goal, now)))
    days = [start + timedelta(days=i) for i in range((today - start).days + 1)]
    moods = {
        member: tuple(sum(by[d]) / len(by[d]) if d in by else None for d in days)
        for member, by in sorted(tally.mood_days.items())
    }
    mood_average = {
        member: sum(sum(v) for v in by.values()) / sum(len(v) for v in by.values())
        for member, by in sorted(tally.mood_days.items())
    }
    balance = tuple(
        Balance(
            member=member,
            entries=c.get("entries", 0),
            checkins=c.get("checkins", 0),
            replies_given=c.get("given", 0),
            replies_received=c.get("received", 0),
            resources=c.get("resources", 0),
            standing=tally.standing.get(member, ""),
        )
        for member, c in sorted(tally.counts.items())
    )
    wins = sorted(tally.wins, key=lambda w: w.when, reverse=True)
    goals.sort(key=lambda pair: (_STATE_ORDER.get(pair[0].state, 9), pair[0].title))
    return Summary(
        me=me,
        start=start,
        today=today,
        goals=tuple(goals),
        activity=tally.activity,
        moods=moods,
        balance=balance,
        wins=tuple(wins[:RECENT_WINS]),
        due=tuple(due_items(me, [s.state for s in scopes], now, names=names)),
        mood_average=mood_average,
        names=dict(names or {}),
    )


def _tally_scope(tally: _Tally, scope: SummaryScope) -> None:
    shared = scope.state.space is not None
    for member in scope.state.members:
        tally.counts.setdefault(member, {})
    for entry in scope.state.journal.entries:
        tally.newcomer(entry.entry)
        tally.active_on(entry.when)
        if shared:
            tally.count(entry.author, "entries", entry.when)
        if shared or entry.author == tally.me:
            tally.mood(entry.author, entry.when, entry.mood)
        tally.replies(entry.replies, entry.author)
    for view in scope.state.journal.checkins:
        checkin = view.checkin
        tally.newcomer(checkin)
        tally.active_on(checkin.created)
        tally.count(checkin.author, "checkins", checkin.created)
        if tally.inside(checkin.created):
            tally.wins += [
                Win(checkin.created, checkin.author, w, "check-in", checkin.standing)
                for w in checkin.wins
            ]
        if shared or checkin.author == tally.me:
            tally.mood(checkin.author, checkin.created, checkin.mood)
        tally.replies(view.replies, checkin.author)
    for resource in scope.resources:
        tally.newcomer(resource.resource)
        tally.count(resource.resource.author, "resources", resource.resource.created)
    for goal in scope.state.goals:
        for log in goal.logs:
            tally.active_on(log.when)
        if goal.state == "done":
            votes = [e.created for e in goal.history if isinstance(e, GoalComplete)]
            done_at = max(votes, default=goal.created)
            if tally.inside(done_at):
                tally.wins.append(Win(done_at, ", ".join(goal.active), goal.title, "goal"))


_STATE_ORDER = {"active": 0, "proposed": 1, "declined": 2, "done": 3}


def bucket_means(values: Sequence[float | None], buckets: int) -> list[float | None]:
    """Average `values` into at most `buckets` equal runs (for a sparkline of fixed width)."""
    if buckets <= 0 or not values:
        return []
    if len(values) <= buckets:
        return list(values)
    out: list[float | None] = []
    for i in range(buckets):
        part = [
            v
            for v in values[i * len(values) // buckets : (i + 1) * len(values) // buckets]
            if v is not None
        ]
        out.append(sum(part) / len(part) if part else None)
    return out


def heatmap_weeks(start: date, today: date, weeks: int) -> list[list[date | None]]:
    """Calendar columns (Monday first), the last `weeks` weeks up to today, oldest first.

    Days outside [start, today] are None, so the grid is always 7 rows by `weeks` columns.
    """
    last_monday = today - timedelta(days=today.weekday())
    columns = []
    for w in range(weeks - 1, -1, -1):
        monday = last_monday - timedelta(weeks=w)
        column: list[date | None] = []
        for d in range(7):
            day = monday + timedelta(days=d)
            column.append(day if start <= day <= today else None)
        columns.append(column)
    return columns


def activity_level(count: int, peak: int) -> int:
    """0 (nothing) to 4 (the busiest days), relative to the window's busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return min(4, 1 + (count * 4 - 1) // peak)
