"""Progress that encourages: totals, and for cadence goals this period, consistency and runs.

A missed period never erases what came before: consistency is a share of recent periods, the run
is the current streak, and rest days turn a would-be miss into rest. Pure: "now" is passed in and
fixes both the current period and the time zone that days are counted in.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from math import fsum
from typing import NamedTuple

from peerlog.classes import dataclass
from peerlog.fold.goals import GoalView
from peerlog.records.goals import Target

WINDOW = 12


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # exclusive
    amount: float
    target: float
    current: bool  # the period that contains now (not over yet)
    rested: bool  # not met, but a rest day falls in it: not a miss

    @property
    def met(self) -> bool:
        return self.amount >= self.target

    @property
    def missed(self) -> bool:
        return not self.met and not self.rested and not self.current


@dataclass(frozen=True, slots=True)
class Progress:
    kind: str  # milestone | total | cadence
    target: Target | None
    total: float  # everything logged, retractions excluded
    this_period: Period | None
    periods: tuple[Period, ...]  # up to WINDOW, oldest first, the current one last
    consistency: float | None  # share of counted periods that were met
    run: int  # periods met in a row up to now (rest does not break it)
    behind: bool  # a cadence goal whose current period is not met yet

    @property
    def fraction(self) -> float | None:
        """Share of the target: the total for totals, this period for cadences."""
        if self.target is None:
            return None
        done = self.this_period.amount if self.this_period else self.total
        return min(1.0, done / self.target.amount)


def _midnight(day: date, zone: tzinfo | None) -> float:
    """The moment `day` begins in `zone` (None: the system's time zone), as POSIX time."""
    return datetime.combine(day, time(), tzinfo=zone).timestamp()


def period_start(day: date, period: str) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def next_period(start: date, period: str) -> date:
    if period == "week":
        return start + timedelta(days=7)
    if period == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def previous_period(start: date, period: str) -> date:
    return period_start(start - timedelta(days=1), period)


class Earlier(NamedTuple):
    """What a goal's counted logs dated before `edge` add up to, as floats whose exact sum it
    is (`exact_sum`): its total, without reading those logs again."""

    edge: datetime
    parts: tuple[float, ...] = ()


def goal_progress(goal: GoalView, now: datetime, earlier: Earlier | None = None) -> Progress:
    """How a goal is going, as of `now` (whose time zone decides what "today" is). With
    `earlier`, the logs dated before its edge count by its sum, and no period may start before
    the edge (`detail_edge`).

    A log counts on the day its moment falls on in `now`'s time zone, so a period holds the
    logs from its first midnight up to the next period's: found by bisecting the logs in time
    order, however many there are. Amounts are added exactly (`math.fsum`), so the order logs
    were made in never decides whether a target is met (0.6 + 0.1 + 0.1 is 0.8).
    """
    logs = goal.logs if earlier is None else [log for log in goal.logs if log.when >= earlier.edge]
    points = sorted((log.when.timestamp(), log.amount) for log in logs)
    parts = earlier.parts if earlier else ()
    terms = goal.terms or goal.shown_terms
    target = terms.target
    total = fsum((*parts, *(amount for _, amount in points))) if points or parts else 0
    if target is None or target.period is None:
        kind = "milestone" if target is None else "total"
        return Progress(kind, target, total, None, (), None, 0, False)
    period = target.period
    local = now.tzinfo
    today = now.astimezone(local).date()
    begun = (goal.active_since or goal.created).astimezone(local).date()
    first = period_start(begun, period)
    starts = [period_start(today, period)]
    while len(starts) < WINDOW and previous_period(starts[-1], period) >= first:
        starts.append(previous_period(starts[-1], period))
    rest_days = [(r.start, r.until) for r in goal.rests]
    times = [moment for moment, _ in points]
    periods = []
    for start in reversed(starts):
        end = next_period(start, period)
        low = bisect_left(times, _midnight(start, local))
        high = bisect_left(times, _midnight(end, local), low)
        amount = fsum(amount for _, amount in points[low:high]) if high > low else 0
        rested = any(s < end and u >= start for s, u in rest_days) and amount < target.amount
        periods.append(Period(start, end, amount, target.amount, start == starts[0], rested))
    counted = [p for p in periods if p.met or p.missed]
    met = sum(1 for p in counted if p.met)
    run = 0
    for p in reversed(periods):
        if p.met:
            run += 1
        elif p.missed:
            break
    current = periods[-1]
    return Progress(
        kind="cadence",
        target=target,
        total=total,
        this_period=current,
        periods=tuple(periods),
        consistency=met / len(counted) if counted else None,
        run=run,
        behind=goal.state == "active" and not current.met and not current.rested,
    )


def detail_edge(now: datetime, since: datetime | None = None) -> datetime:
    """The first midnight of the month a year before this one (or of `since`'s month, when
    earlier): every period progress shows, and every day of a window from `since`, starts on
    or after it. It stays the same for a month, so a sum of the logs before it is kept."""
    local = now.tzinfo
    first = now.astimezone(local).date().replace(day=1)
    first = first.replace(year=first.year - 1)
    if since is not None:
        first = min(first, since.astimezone(local).date().replace(day=1))
    return datetime.combine(first, time(), tzinfo=local)


def exact_sum(values: Iterable[float]) -> tuple[float, ...]:
    """Floats whose exact sum is the exact sum of `values` (the partials `math.fsum` keeps:
    Shewchuk's algorithm), so that adding more to them later is exact too."""
    partials: list[float] = []
    for x in values:
        i = 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            high = x + y
            low = y - (high - x)
            if low:
                partials[i] = low
                i += 1
            x = high
        partials[i:] = [x]
    return tuple(partials)


def sums_before(
    goals: Iterable[GoalView], edge: datetime
) -> dict[tuple[str, str], tuple[float, ...]]:
    """Each goal's (proposer, id) and the exact sum of its counted logs dated before `edge`
    (`Earlier.parts`); goals with none are left out."""
    found = {}
    for goal in goals:
        before = [log.amount for log in goal.logs if log.when < edge]
        if before:
            found[(goal.proposed_by, goal.id)] = exact_sum(before)
    return found
