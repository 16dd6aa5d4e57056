"""The pure summary computations, with an injected now: no clock, no files."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from summary_support import (
    NOW,
    cadence_goal,
    checkin,
    day,
    entry,
    log,
    reply,
    resource,
    scope,
)

from peerlog.fold.summary import (
    activity_level,
    bucket_means,
    heatmap_weeks,
    summarize,
)
from peerlog.render.summary import sparkline

TODAY = NOW.date()


def test_activity_counts_entries_checkins_and_logs_per_local_day() -> None:
    goal = cadence_goal(NOW - timedelta(days=30))
    records = [
        entry("sam", day(TODAY)),
        entry("alex", day(TODAY)),
        checkin("alex", day(TODAY - timedelta(days=1))),
        log("sam", goal[0], day(TODAY - timedelta(days=1))),
        entry("sam", day(TODAY - timedelta(days=200))),  # outside the 12-week window
        *goal,
    ]
    summary = summarize("sam", [scope(records)], NOW)
    assert summary.activity == {TODAY: 2, TODAY - timedelta(days=1): 2}
    assert summary.start == TODAY - timedelta(weeks=12)


def test_since_moves_the_window() -> None:
    records = [entry("sam", day(TODAY - timedelta(days=200)))]
    summary = summarize("sam", [scope(records)], NOW, since=NOW - timedelta(days=365))
    assert summary.activity == {TODAY - timedelta(days=200): 1}
    assert summary.days == 366


def test_balance_counts_what_each_gave_and_received() -> None:
    a = entry("sam", day(TODAY))
    c = checkin("alex", day(TODAY))
    records = [
        a,
        c,
        reply("alex", day(TODAY), a),
        reply("sam", day(TODAY), c),
        reply("sam", day(TODAY), c),
        reply("sam", day(TODAY), a),  # a reply to oneself is not "given"
        resource("alex", day(TODAY)),
    ]
    summary = summarize("sam", [scope(records)], NOW)
    by_member = {b.member: b for b in summary.balance}
    assert [b.member for b in summary.balance] == ["alex", "sam"]  # by id, never ranked
    assert by_member["sam"].entries == 1 and by_member["sam"].replies_given == 2
    assert by_member["sam"].replies_received == 1
    assert by_member["alex"].checkins == 1 and by_member["alex"].resources == 1
    assert by_member["alex"].replies_given == 1 and by_member["alex"].replies_received == 2


def test_private_entries_count_as_activity_but_not_as_sharing() -> None:
    summary = summarize("sam", [scope([entry("sam", day(TODAY))], space=None)], NOW)
    assert summary.activity == {TODAY: 1}
    assert summary.balance[0].entries == 0


def test_moods_are_mine_everywhere_and_a_partners_only_where_shared() -> None:
    private = scope([entry("sam", day(TODAY), mood=2)], space=None)
    shared = scope(
        [entry("alex", day(TODAY), mood=4), checkin("sam", day(TODAY), mood=4)], space="pair"
    )
    summary = summarize("sam", [private, shared], NOW)
    assert summary.moods["sam"][-1] == 3.0  # average of 2 and 4 on the same day
    assert summary.moods["alex"][-1] == 4.0
    assert all(v is None for v in summary.moods["alex"][:-1])
    assert len(summary.moods["sam"]) == summary.days


def test_a_partners_private_moods_never_appear() -> None:
    # Another member's entries can only be in a private journal by mistake; still never shown.
    summary = summarize("sam", [scope([entry("alex", day(TODAY), mood=1)], space=None)], NOW)
    assert "alex" not in summary.moods


def test_wins_from_checkins_newest_first() -> None:
    records = [
        checkin("alex", day(TODAY - timedelta(days=2)), wins=("walked",)),
        checkin("sam", day(TODAY), wins=("cooked", "slept")),
    ]
    summary = summarize("sam", [scope(records)], NOW)
    assert [(w.member, w.text) for w in summary.wins] == [
        ("sam", "cooked"),
        ("sam", "slept"),
        ("alex", "walked"),
    ]


def test_goal_consistency_and_run_reach_the_summary() -> None:
    start = NOW - timedelta(weeks=4, days=NOW.weekday())
    goal = cadence_goal(start)
    logs = [
        log("sam", goal[0], start + timedelta(weeks=w, days=d))
        for w in range(4)
        for d in (range(3) if w != 1 else range(1))  # week 1 missed
    ]
    summary = summarize("sam", [scope([*goal, *logs])], NOW)
    ((view, progress),) = summary.goals
    assert view.state == "active"
    assert progress.consistency == pytest.approx(3 / 4)
    assert progress.run == 2


def test_due_items_are_part_of_the_summary() -> None:
    proposal = cadence_goal(NOW - timedelta(days=1))[0]  # proposed by sam, not yet accepted
    summary = summarize("alex", [scope([proposal])], NOW)
    assert [item.kind for item in summary.due] == ["answer-goal"]


def test_heatmap_is_seven_rows_by_weeks_with_days_outside_the_window_empty() -> None:
    start = date(2026, 11, 4)  # a Wednesday
    grid = heatmap_weeks(start, TODAY, weeks=3)
    assert len(grid) == 3 and all(len(column) == 7 for column in grid)
    assert grid[0][:2] == [None, None]  # Monday and Tuesday before the window
    assert grid[0][2] == start
    assert grid[-1][TODAY.weekday()] == TODAY
    assert grid[-1][6] is None  # Sunday after today
    assert all(d is None or d.weekday() == row for col in grid for row, d in enumerate(col))


@pytest.mark.parametrize(
    ("count", "peak", "level"),
    [(0, 5, 0), (1, 8, 1), (2, 8, 1), (3, 8, 2), (5, 8, 3), (8, 8, 4), (1, 1, 4), (3, 0, 0)],
)
def test_activity_levels(count: int, peak: int, level: int) -> None:
    assert activity_level(count, peak) == level


def test_sparkline_values() -> None:
    assert sparkline([1.0, 3.0, 5.0, None]) == "▁▅█ "
    assert bucket_means([1.0, 3.0, None, 5.0], 2) == [2.0, 5.0]
    assert bucket_means([None, None], 1) == [None]
    assert bucket_means([1.0, 2.0], 5) == [1.0, 2.0]


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.none() | st.floats(1, 5), max_size=400),
    buckets=st.integers(1, 120),
)
def test_bucket_means_never_exceed_the_width_and_stay_in_range(
    values: list[float | None], buckets: int
) -> None:
    out = bucket_means(values, buckets)
    assert len(out) <= buckets
    assert all(v is None or 1 <= v <= 5 for v in out)
    assert len(sparkline(out)) == len(out)
