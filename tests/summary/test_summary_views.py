"""The dashboard at 40, 80 and 120 columns, without colour, and the HTML report."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta

import pytest
from rich.console import Console
from summary_support import NOW, cadence_goal, checkin, day, entry, log, reply, scope

from peerlog.fold.summary import summarize
from peerlog.render.html import html_report
from peerlog.render.summary import print_summary

SECTIONS = ("Goals", "Activity", "Mood", "Balance", "Recent wins", "What is waiting for you")
HOSTILE = (
    "<script>alert(1)</script> [bold]x[/] \x1b[2J\x1b]0;title\x07 \x9b31m \u202eevil\u202c "
    '<img src=x onerror=alert(2)> &amp; "quoted"'
)


def a_busy_summary(text: str = "a good day", *, year: bool = False) -> object:
    today = NOW.date()
    goal = cadence_goal(NOW - timedelta(days=60))
    records = [*goal]
    for back in range(60):
        moment = day(today - timedelta(days=back), hour=9)
        if back % 2 == 0:
            records.append(entry("alex", moment, mood=1 + back % 5, text=text))
        if back % 3 == 0:
            records.append(checkin("sam", moment, mood=3, wins=(text,)))
        if back % 2 == 1:
            records.append(log("sam", goal[0], moment))
    records.append(reply("sam", day(today), records[-1]))
    since = NOW - timedelta(days=365) if year else None
    return summarize("sam", [scope(records)], NOW, since=since)


def render(width: int, *, color: bool = False, text: str = "a good day", year: bool = False) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        color_system="truecolor" if color else None,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
    )
    print_summary(console, a_busy_summary(text, year=year), "space pair")  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize("width", [40, 80, 120])
def test_every_section_is_present_and_no_line_exceeds_the_width(width: int) -> None:
    output = render(width)
    for section in SECTIONS:
        assert section in output
    for line in output.splitlines():
        assert len(line) <= width, f"{len(line)} > {width}: {line!r}"


@pytest.mark.parametrize("width", [40, 80, 120])
def test_colour_output_fits_too(width: int) -> None:
    output = render(width, color=True)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert "\x1b[" in output  # it really was coloured
    assert all(len(line) <= width for line in plain.splitlines())


def test_without_colour_there_are_no_escape_codes_and_levels_still_differ() -> None:
    output = render(80)
    assert "\x1b" not in output
    heat = [line for line in output.splitlines() if line.startswith(("Mo ", "Sa "))]
    assert any(ch in "░▒▓█" for line in heat for ch in line)


def test_wider_terminals_show_more_weeks_of_a_long_window() -> None:
    def columns(width: int) -> int:
        row = next(line for line in render(width, year=True).splitlines() if line.startswith("Mo"))
        return sum(1 for ch in row[3:] if ch in "·░▒▓█")  # one level mark a week

    assert columns(40) == 40 - 3  # one cell a week when two do not fit
    assert 52 <= columns(80) <= 53  # a full year fits 80 columns
    assert 52 <= columns(120) <= 53


def test_partner_text_is_inert_in_the_dashboard() -> None:
    output = render(100, text=HOSTILE)
    assert "\x1b" not in output and "\x9b" not in output and "\u202e" not in output
    assert "[bold]x[/]" in output  # shown literally, not as markup


def test_html_report_escapes_partner_text() -> None:
    summary = a_busy_summary(HOSTILE)
    page = html_report(summary, [], title="Space <pair>", now=NOW)  # type: ignore[arg-type]
    assert "<script>" not in page and "onerror=alert" not in page.replace(
        "onerror=alert(2)&gt;", ""
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page
    assert "Space &lt;pair&gt;" in page
    assert "\x1b" not in page and "\u202e" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert html.unescape("&lt;script&gt;") == "<script>"
