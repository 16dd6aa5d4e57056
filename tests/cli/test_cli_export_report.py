"""The HTML report and the Markdown export: the whole history by default, a heatmap that wraps
by year, labelled scales, and times in the reader's zone as `list` shows them."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from cli_support import Peerlog, write

NOW = datetime(2026, 11, 21, 10, 15, tzinfo=UTC)


def test_html_export_covers_the_whole_history_by_default(sam: Peerlog) -> None:
    write(sam, "two years back", now=NOW - timedelta(days=700))
    write(sam, "this week", now=NOW)

    page = sam("export", "--format", "html", now=NOW).stdout

    assert "two years back" in page and "this week" in page
    assert f"{(NOW - timedelta(days=700)).date().isoformat()} to 2026-11-21" in page
    years = re.findall(r'aria-label="activity by day in (\d{4})"', page)
    assert years == ["2024", "2025", "2026"]  # one row of weeks per year, not one long strip
    widths = [int(w) for w in re.findall(r'<svg class="year"[^>]* width="(\d+)"', page)]
    assert max(widths) < 800


def test_html_export_with_since_keeps_to_the_range(sam: Peerlog) -> None:
    write(sam, "long ago", now=NOW - timedelta(days=400))
    write(sam, "lately", now=NOW - timedelta(days=3))

    page = sam("export", "--format", "html", "--since", "2 weeks ago", now=NOW).stdout

    assert "lately" in page and "long ago" not in page
    assert re.findall(r'aria-label="activity by day in (\d{4})"', page) == ["2026"]


def test_html_report_labels_its_scales_and_separates_state_from_title(sam: Peerlog) -> None:
    write(sam, "good day", "--mood", "4", now=NOW)
    sam("goal", "propose", "Walk", "--target", "3/week", now=NOW)

    page = sam("export", "--format", "html", now=NOW).stdout

    assert ">5 great</text>" in page and ">1 rough</text>" in page
    assert ">Nov</text>" in page and ">Mon</text>" in page
    assert "print-color-adjust: exact" in page
    assert re.search(r"<strong>Walk</strong>.*?·</span> <span class=\"state\">active</span>", page)


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()


def test_markdown_and_html_times_are_in_the_readers_zone(sam: Peerlog, new_york: None) -> None:
    write(sam, "late in London", now=datetime(2026, 11, 21, 2, 30, tzinfo=UTC))

    listed = sam("list", now=NOW).stdout
    markdown = sam("export", "--format", "markdown", now=NOW).stdout
    page = sam("export", "--format", "html", now=NOW).stdout

    assert "Fri 20 Nov 2026 21:30" in listed  # 02:30 UTC is 21:30 the day before in New York
    assert "Friday 20 November 2026, 21:30" in markdown
    assert "Fri 20 Nov 2026 21:30" in page


class _EntryHeads(HTMLParser):
    """The text of each entry's heading line (`<div class="entry"><div class="dim">…`)."""

    def __init__(self) -> None:
        super().__init__()
        self.heads: list[str] = []
        self.depth = 0  # >0 inside an entry's heading
        self.in_entry = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "div" and classes == "entry":
            self.in_entry = True
        elif tag == "div" and classes == "dim" and self.in_entry and not self.depth:
            self.depth = 1
            self.heads.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth = 0
            self.in_entry = False

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.heads[-1] += data


@pytest.mark.parametrize(
    ("zone", "listed", "heading", "stamp"),
    [
        (
            "America/New_York",
            "Fri 20 Nov 2026 21:30",
            "Friday 20 November 2026, 21:30",
            "05:15 -0500",
        ),
        (
            "Asia/Kolkata",
            "Sat 21 Nov 2026 08:00",
            "Saturday 21 November 2026, 08:00",
            "15:45 +0530",
        ),
    ],
)
def test_export_times_are_the_ones_list_shows_in_the_readers_zone(
    sam: Peerlog,
    monkeypatch: pytest.MonkeyPatch,
    zone: str,
    listed: str,
    heading: str,
    stamp: str,
) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    write(sam, "written at 02:30 UTC", now=datetime(2026, 11, 21, 2, 30, tzinfo=UTC))

    shown = sam("list", now=NOW).stdout
    markdown = sam("export", "--format", "markdown", now=NOW).stdout
    parser = _EntryHeads()
    parser.feed(sam("export", "--format", "html", now=NOW).stdout)

    assert shown.startswith(listed)
    assert f"\n## {heading}\n" in markdown
    assert f"Exported 2026-11-21 {stamp}, 1 entry." in markdown
    assert len(parser.heads) == 1
    assert parser.heads[0].startswith(f"{listed} · Sam")
