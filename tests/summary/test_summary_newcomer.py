"""The summary as a newcomer reads it: the mood average is the mean of the answers, the heatmap
has month labels and uses the width it has, a running period is not shown as a miss. (`sam` is
the CLI after `init`, from tests/conftest.py.)"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

NOW = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)  # a Saturday


def _write(sam: Any, mood: int, at: datetime) -> None:
    result = sam("write", f"mood {mood}", "--mood", str(mood), now=at)
    assert result.exit_code == 0, result.stderr


def test_mood_average_is_the_mean_of_every_answer(sam: Any) -> None:
    for hour, mood in enumerate((3, 3, 4, 1, 4)):
        _write(sam, mood, NOW - timedelta(hours=5 - hour))
    _write(sam, 1, NOW - timedelta(days=3))

    out = sam("summary", now=NOW).stdout
    data = sam("summary", "--json", now=NOW).stdout

    assert "avg 2.7" in out  # (3+3+4+1+4+1) / 6, not the mean of the two days (2.0)
    assert "avg 2.0" not in out
    assert '"moods"' in data


def test_mood_rows_share_one_axis_with_the_window_dates(sam: Any) -> None:
    _write(sam, 4, NOW - timedelta(days=2))

    out = sam("summary", now=NOW, env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("Sam "))

    axis = lines[row + 1]
    assert axis.strip().startswith("29 Aug") and axis.rstrip().endswith("21 Nov"), axis
    assert len(axis.rstrip()) <= 80


def test_heatmap_has_month_labels(sam: Any) -> None:
    _write(sam, 4, NOW)

    out = sam("summary", now=NOW, env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    monday = next(i for i, line in enumerate(lines) if line.startswith("Mo "))

    assert re.findall(r"[A-Z][a-z]{2}", lines[monday - 1]) == ["Aug", "Sep", "Oct", "Nov"]


@pytest.mark.parametrize(("columns", "cell"), [(120, 2), (80, 1)])
def test_a_full_year_fits_the_width(sam: Any, columns: int, cell: int) -> None:
    _write(sam, 4, NOW - timedelta(days=360))
    _write(sam, 4, NOW)

    out = sam("summary", "--since", "1 year ago", now=NOW, env={"COLUMNS": str(columns)}).stdout
    lines = out.splitlines()
    monday = next(i for i, line in enumerate(lines) if line.startswith("Mo "))
    rows = lines[monday : monday + 7]

    assert all(len(row.rstrip()) <= columns for row in rows)
    weeks = (len(rows[0].rstrip()) - 3 + cell - 1) // cell
    assert weeks >= 52, rows[0]
    labels = re.findall(r"[A-Z][a-z]{2}", lines[monday - 1])
    assert labels[0] == "Nov" and labels[-1] == "Nov", labels
    assert len(labels) >= (13 if cell == 2 else 12), labels  # one may give way to its neighbour


def test_a_running_week_of_a_cadence_goal_is_not_shown_as_a_miss(sam: Any) -> None:
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    proposed = sam("goal", "propose", "Walk", "--target", "3/week", now=monday)
    goal = re.search(r"Proposed goal ([0-9a-z]{26})", proposed.stdout)
    assert goal, proposed.stdout
    for week in range(3):
        for day in (1, 2, 3):
            at = monday + timedelta(weeks=week, days=day)
            assert sam("goal", "log", goal[1], now=at).exit_code == 0

    next_monday = monday + timedelta(weeks=3)
    out = " ".join(sam("summary", now=next_monday).stdout.split())

    assert "this week 0/3 so far · met in 3 of the last 3 weeks · a run of 3" in out
