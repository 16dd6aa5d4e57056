"""Progress with an injected "now": totals, cadences, consistency, runs, rest, time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from goal_support import T0, History

from peerlog.fold.goals import GoalView
from peerlog.fold.progress import WINDOW, Progress, goal_progress
from peerlog.records.goals import GoalProposal

PAIR = ("sam", "alex")
WEEK = timedelta(days=7)
MONDAY = T0  # 2026-11-02 09:00 UTC, a Monday: week 1 runs Nov 2–8, week 2 Nov 9–15, …
KOLKATA = timezone(timedelta(hours=5, minutes=30))
PACIFIC = timezone(timedelta(hours=-8))


def week(n: int, weekday: int = 0, hour: int = 12) -> datetime:
    """A moment in week n (1 = the week of T0); weekday 0 = Monday."""
    return MONDAY.replace(hour=hour) + (n - 1) * WEEK + timedelta(days=weekday)


def active(target: str, at: datetime = MONDAY) -> tuple[History, GoalProposal]:
    """A pair goal agreed at `at`."""
    h = History()
    goal = h.propose("sam", PAIR, target=target, at=at)
    h.accept("alex", goal, at=at)
    return h, goal


def log_week(h: History, goal: GoalProposal, n: int, times: int) -> None:
    for i in range(times):
        h.log(("sam", "alex")[i % 2], goal, 1, when=week(n, weekday=i % 7, hour=8 + i))


def progress(h: History, goal: GoalProposal, now: datetime) -> Progress:
    return goal_progress(h.view(goal), now)


# --- totals and milestones -----------------------------------------------------------------


def test_a_total_goal_sums_every_amount() -> None:
    h, goal = active("10 sessions")
    h.log("sam", goal, 2)
    h.log("alex", goal, 3.5)
    undone = h.log("alex", goal, 4)
    h.delete("alex", undone)
    h.log("sam", goal, 1, when=week(9))  # a log in any week counts toward a total
    p = progress(h, goal, week(2))
    assert p.kind == "total"
    assert p.total == 6.5
    assert p.fraction == pytest.approx(0.65)
    assert p.this_period is None
    assert p.periods == ()
    assert p.consistency is None
    assert p.run == 0
    assert not p.behind


def test_a_total_goal_never_shows_more_than_all_of_it() -> None:
    h, goal = active("3")
    h.log("sam", goal, 5)
    assert progress(h, goal, week(1, 3)).fraction == 1.0


def test_a_milestone_has_no_target_and_no_fraction() -> None:
    h, goal = active("")
    h.log("sam", goal, 1)
    p = progress(h, goal, week(1, 3))
    assert p.kind == "milestone"
    assert p.target is None
    assert p.fraction is None
    assert p.total == 1


# --- a weekly cadence ----------------------------------------------------------------------


def test_this_week_against_the_target() -> None:
    h, goal = active("3/week")
    log_week(h, goal, 1, 3)
    log_week(h, goal, 2, 1)
    h.log("sam", goal, 1, when=week(3, 0))
    h.log("alex", goal, 1, when=week(3, 1))
    now = week(3, 2)  # Wednesday of week 3
    p = progress(h, goal, now)
    assert p.kind == "cadence"
    assert p.this_period is not None
    assert p.this_period.start == date(2026, 11, 16)
    assert p.this_period.end == date(2026, 11, 23)
    assert p.this_period.amount == 2
    assert p.this_period.target == 3
    assert p.this_period.current
    assert not p.this_period.met and not p.this_period.missed
    assert p.fraction == pytest.approx(2 / 3)
    assert [x.start for x in p.periods] == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    assert [x.amount for x in p.periods] == [3, 1, 2]
    # the unfinished week counts only once it is met: week 1 met, week 2 missed
    assert p.consistency == pytest.approx(1 / 2)
    assert p.run == 0
    assert p.behind
    assert p.total == 6

    h.log("sam", goal, 1, when=week(3, 2, hour=7))
    p = progress(h, goal, now)
    assert p.this_period is not None and p.this_period.met
    assert p.consistency == pytest.approx(2 / 3)
    assert p.run == 1
    assert not p.behind


def test_a_missed_week_ends_the_run_but_the_weeks_before_stay_in_consistency() -> None:
    h, goal = active("3/week")
    for n in (1, 2, 3, 5, 6):
        log_week(h, goal, n, 3)
    log_week(h, goal, 4, 2)  # week 4: missed
    p = progress(h, goal, week(6, 4))
    assert [x.met for x in p.periods] == [True, True, True, False, True, True]
    assert [x.missed for x in p.periods] == [False, False, False, True, False, False]
    assert p.run == 2
    assert p.consistency == pytest.approx(5 / 6)


def test_an_unfinished_week_does_not_break_the_run() -> None:
    h, goal = active("3/week")
    for n in (1, 2, 3):
        log_week(h, goal, n, 3)
    p = progress(h, goal, week(4, 1))  # Tuesday of week 4, nothing logged yet
    assert p.run == 3
    assert p.consistency == 1.0
    assert p.behind


def test_a_rest_week_neither_breaks_nor_extends_the_run() -> None:
    h, goal = active("3/week")
    for n in (1, 2, 4):
        log_week(h, goal, n, 3)
    h.log("sam", goal, 1, when=week(3, 0))
    h.rest("alex", goal, week(3, 2).date(), week(3, 3).date())  # Wed–Thu of week 3
    p = progress(h, goal, week(5, 2))
    rested = p.periods[2]
    assert rested.rested and not rested.missed and not rested.met
    assert p.run == 3  # weeks 1, 2 and 4; the rest week is not one more
    assert p.consistency == 1.0  # 3 met of 3 counted: the rest week is not counted


def test_rest_turns_a_would_be_miss_into_rest() -> None:
    h, goal = active("3/week")
    log_week(h, goal, 1, 3)
    log_week(h, goal, 3, 3)
    without = progress(h, goal, week(4, 0))
    assert without.periods[1].missed
    assert without.consistency == pytest.approx(2 / 3)
    assert without.run == 1

    h.rest("sam", goal, week(2, 6).date(), week(2, 6).date())  # one day: the Sunday
    rested = progress(h, goal, week(4, 0))
    assert rested.periods[1].rested and not rested.periods[1].missed
    assert rested.consistency == 1.0
    assert rested.run == 2


def test_a_rest_that_spans_weeks_marks_each_of_them() -> None:
    h, goal = active("3/week")
    log_week(h, goal, 1, 3)
    h.rest("sam", goal, week(2, 5).date(), week(4, 1).date())  # Saturday week 2 to Tuesday week 4
    p = progress(h, goal, week(5, 0))
    assert [x.rested for x in p.periods] == [False, True, True, True, False]
    assert p.consistency == 1.0
    assert p.run == 1


def test_a_rest_in_a_week_that_was_met_counts_as_met() -> None:
    h, goal = active("3/week")
    log_week(h, goal, 1, 3)
    h.rest("sam", goal, week(1, 6).date(), week(1, 6).date())
    p = progress(h, goal, week(2, 3))
    assert p.periods[0].met and not p.periods[0].rested
    assert p.run == 1


def test_a_rest_in_the_current_week_means_not_behind() -> None:
    h, goal = active("3/week")
    h.rest("sam", goal, week(1, 1).date(), week(1, 1).date())
    p = progress(h, goal, week(1, 3))
    assert p.this_period is not None and p.this_period.rested
    assert not p.behind


def test_consistency_looks_at_the_last_twelve_weeks() -> None:
    h, goal = active("3/week")
    for n in range(1, 21):
        log_week(h, goal, n, 3 if n > 10 else 0)  # weeks 1–10 missed, 11–20 met
    p = progress(h, goal, week(21, 2))
    assert len(p.periods) == WINDOW
    assert p.periods[0].start == week(10).date()
    assert p.periods[-1].start == week(21).date()
    assert p.consistency == pytest.approx(10 / 11)  # week 10 missed, 11–20 met, 21 unfinished
    assert p.run == 10


def test_weeks_before_the_goal_became_active_are_not_counted() -> None:
    h = History()
    goal = h.propose("sam", PAIR, target="3/week", at=week(1))
    h.accept("alex", goal, at=week(3, 2))  # agreed on Wednesday of week 3
    log_week(h, goal, 3, 3)
    p = progress(h, goal, week(4, 2))
    assert h.view(goal).active_since == week(3, 2)
    assert [x.start for x in p.periods] == [week(3).date(), week(4).date()]
    assert p.consistency == 1.0
    assert p.run == 1


def test_a_proposed_goal_counts_from_its_proposal_and_is_never_behind() -> None:
    h = History()
    goal = h.propose("sam", PAIR, target="3/week", at=week(2, 3))
    p = progress(h, goal, week(4, 1))
    assert [x.start for x in p.periods] == [week(2).date(), week(3).date(), week(4).date()]
    assert not p.behind  # not active: nothing is expected yet


def test_a_late_participant_withdrawing_does_not_move_when_the_goal_became_active() -> None:
    """The goal became active when kim said yes (week 3); nobody could log before that. When kim
    later steps back, weeks 1–2 must not suddenly count as missed."""
    h = History()
    goal = h.propose("sam", ("sam", "alex", "kim"), target="3/week", at=week(1))
    h.accept("alex", goal, at=week(1, 1))
    h.accept("kim", goal, at=week(3, 2))
    log_week(h, goal, 3, 3)
    log_week(h, goal, 4, 3)
    before = progress(h, goal, week(5, 0, hour=11))
    assert before.consistency == 1.0
    assert before.periods[0].start == week(3).date()

    h.withdraw("kim", goal, at=week(5, 0, hour=10))
    view = h.view(goal)
    assert view.state == "active"
    after = goal_progress(view, week(5, 0, hour=11))
    assert [x.missed for x in after.periods] == [False, False, False]  # weeks 3, 4, 5
    assert after.consistency == 1.0
    assert after.run == 2
    assert view.active_since == week(3, 2)


def test_stepping_back_and_rejoining_does_not_erase_the_weeks_before() -> None:
    """alex withdraws on Tuesday of week 4 and rejoins on Wednesday: weeks 1–3 were met and
    stay met (README: a missed week never erases the ones before it; here none was missed)."""
    h, goal = active("3/week")
    for n in (1, 2, 3):
        log_week(h, goal, n, 3)
    h.withdraw("alex", goal, at=week(4, 1))
    h.accept("alex", goal, at=week(4, 2))
    log_week(h, goal, 4, 3)
    view = h.view(goal)
    assert view.state == "active" and view.withdrawn == ()
    p = goal_progress(view, week(5, 3))
    assert p.periods[0].start == week(1).date()
    assert p.run == 4
    assert p.consistency == 1.0
    assert view.active_since == MONDAY


# --- other cadences ------------------------------------------------------------------------


def test_a_daily_cadence() -> None:
    h, goal = active("1/day", at=datetime(2026, 11, 2, 7, 0, tzinfo=UTC))
    for day in (2, 3, 5, 6):
        h.log("sam", goal, 1, when=datetime(2026, 11, day, 20, 0, tzinfo=UTC))
    h.rest("alex", goal, date(2026, 11, 7), date(2026, 11, 7))
    now = datetime(2026, 11, 8, 9, 0, tzinfo=UTC)
    p = progress(h, goal, now)
    assert [x.start for x in p.periods] == [date(2026, 11, d) for d in range(2, 9)]
    assert all(x.end - x.start == timedelta(days=1) for x in p.periods)
    assert [x.met for x in p.periods] == [True, True, False, True, True, False, False]
    assert [x.missed for x in p.periods] == [False, False, True, False, False, False, False]
    assert p.periods[5].rested
    assert p.consistency == pytest.approx(4 / 5)
    assert p.run == 2  # the 5th and 6th; the rest day and today do not end it
    assert p.behind


def test_a_monthly_cadence_across_the_turn_of_the_year() -> None:
    h, goal = active("2/month", at=datetime(2026, 9, 20, 12, 0, tzinfo=UTC))
    for moment in ("2026-09-21", "2026-09-30", "2026-10-05", "2026-12-01", "2026-12-31"):
        h.log("sam", goal, 1, when=datetime.fromisoformat(moment + "T18:00:00+00:00"))
    h.log("alex", goal, 2, when=datetime(2027, 1, 3, 18, 0, tzinfo=UTC))
    p = progress(h, goal, datetime(2027, 1, 10, 12, 0, tzinfo=UTC))
    assert [(x.start, x.end) for x in p.periods] == [
        (date(2026, 9, 1), date(2026, 10, 1)),
        (date(2026, 10, 1), date(2026, 11, 1)),
        (date(2026, 11, 1), date(2026, 12, 1)),
        (date(2026, 12, 1), date(2027, 1, 1)),
        (date(2027, 1, 1), date(2027, 2, 1)),
    ]
    assert [x.amount for x in p.periods] == [2, 1, 0, 2, 2]
    assert [x.met for x in p.periods] == [True, False, False, True, True]
    assert p.consistency == pytest.approx(3 / 5)
    assert p.run == 2
    assert p.this_period is not None and p.this_period.current


def test_a_monthly_cadence_in_february_and_a_leap_year() -> None:
    h, goal = active("1/month", at=datetime(2028, 1, 31, 12, 0, tzinfo=UTC))
    h.log("sam", goal, 1, when=datetime(2028, 2, 29, 12, 0, tzinfo=UTC))
    p = progress(h, goal, datetime(2028, 3, 1, 12, 0, tzinfo=UTC))
    assert [(x.start, x.end) for x in p.periods] == [
        (date(2028, 1, 1), date(2028, 2, 1)),
        (date(2028, 2, 1), date(2028, 3, 1)),
        (date(2028, 3, 1), date(2028, 4, 1)),
    ]
    assert [x.amount for x in p.periods] == [0, 1, 0]


# --- time zones ----------------------------------------------------------------------------


def test_the_zone_of_now_decides_which_local_day_a_log_falls_on() -> None:
    h, goal = active("1/day", at=datetime(2026, 11, 2, 1, 0, tzinfo=UTC))
    late = datetime(2026, 11, 3, 23, 30, tzinfo=UTC)  # Tuesday night in London …
    h.log("sam", goal, 1, when=late)  # … Wednesday morning in Kolkata
    instant = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)
    in_utc = progress(h, goal, instant)
    in_kolkata = progress(h, goal, instant.astimezone(KOLKATA))
    by_day_utc = {x.start: x.amount for x in in_utc.periods}
    by_day_kolkata = {x.start: x.amount for x in in_kolkata.periods}
    assert by_day_utc[date(2026, 11, 3)] == 1
    assert by_day_utc[date(2026, 11, 4)] == 0
    assert by_day_kolkata[date(2026, 11, 3)] == 0
    assert by_day_kolkata[date(2026, 11, 4)] == 1
    assert in_kolkata.this_period is not None and in_kolkata.this_period.met
    assert in_utc.this_period is not None and not in_utc.this_period.met


def test_the_zone_of_now_decides_which_week_today_is_in() -> None:
    h, goal = active("3/week")
    sunday_night = datetime(2026, 11, 15, 23, 30, tzinfo=UTC)  # Monday 05:00 in Kolkata
    p_utc = progress(h, goal, sunday_night)
    p_kolkata = progress(h, goal, sunday_night.astimezone(KOLKATA))
    p_pacific = progress(h, goal, sunday_night.astimezone(PACIFIC))
    assert p_utc.this_period is not None and p_utc.this_period.start == date(2026, 11, 9)
    assert p_kolkata.this_period is not None and p_kolkata.this_period.start == date(2026, 11, 16)
    assert p_pacific.this_period is not None and p_pacific.this_period.start == date(2026, 11, 9)


def test_a_log_written_with_another_offset_is_counted_on_the_readers_day() -> None:
    h, goal = active("1/day", at=datetime(2026, 11, 2, 1, 0, tzinfo=UTC))
    # written in California on Tuesday evening: Wednesday in UTC
    h.log("alex", goal, 1, when=datetime(2026, 11, 3, 20, 0, tzinfo=PACIFIC))
    p = progress(h, goal, datetime(2026, 11, 5, 12, 0, tzinfo=UTC))
    assert {x.start: x.amount for x in p.periods}[date(2026, 11, 4)] == 1
    p = progress(h, goal, datetime(2026, 11, 5, 4, 0, tzinfo=PACIFIC))
    assert {x.start: x.amount for x in p.periods}[date(2026, 11, 3)] == 1


def test_a_log_at_midnight_opens_the_new_week_in_the_readers_zone() -> None:
    h, goal = active("2/week")
    monday = datetime(2026, 11, 9, tzinfo=KOLKATA)  # week 2 begins, in Kolkata
    h.log("sam", goal, 1, when=monday)  # the first moment of week 2
    h.log("alex", goal, 2, when=monday - timedelta(microseconds=1))  # the last of week 1
    h.log("sam", goal, 4, when=monday + WEEK)  # the first moment of week 3
    p = progress(h, goal, datetime(2026, 11, 16, 9, 0, tzinfo=KOLKATA))
    assert {x.start: x.amount for x in p.periods} == {
        date(2026, 11, 2): 2,
        date(2026, 11, 9): 1,
        date(2026, 11, 16): 4,
    }
    assert p.total == 7


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2)])
def test_amounts_add_up_exactly_in_any_order(order: tuple[int, int, int]) -> None:
    """0.6 + 0.1 + 0.1 is 0.8 in whatever order the logs were made or back-dated: the target
    of 0.8 is met, never missed by a rounding error."""
    h, goal = active("0.8/week")
    logs = [(0.6, week(2, 0)), (0.1, week(2, 1)), (0.1, week(2, 2))]
    for index in order:
        amount, when = logs[index]
        h.log("sam", goal, amount, when=when)
    p = progress(h, goal, week(2, 5))
    assert p.this_period is not None
    assert p.this_period.amount == 0.8 and p.this_period.met
    assert p.total == 0.8 and not p.behind


def test_progress_is_pure_same_inputs_same_answer() -> None:
    h, goal = active("3/week")
    log_week(h, goal, 1, 3)
    view: GoalView = h.view(goal)
    now = week(2, 3)
    assert goal_progress(view, now) == goal_progress(view, now)
