"""The HTML report: one self-contained page (inline CSS and SVG, no scripts, no network).

Every piece of user text goes through the sanitiser and `html.escape`, and a Content Security
Policy forbids scripts and remote loads outright, so partner text can never become markup.
Rich-free.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from peerlog.fold import EntryView
from peerlog.fold.summary import Summary, activity_level, bucket_means, heatmap_weeks
from peerlog.records.mood import mood_label
from peerlog.records.tags import tag_label
from peerlog.render.journal import format_when
from peerlog.render.sanitize import clean_terminal_text

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"
LEVEL_COLOURS = ("#ebedf0", "#c6e48b", "#7bc96f", "#239a3b", "#196127")
CSS = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 56rem; margin: 2rem auto; padding: 0 1rem;
       color: #1f2328; }
h1 { font-size: 1.6rem; margin-bottom: 0; } h2 { font-size: 1.15rem; margin-top: 2rem;
       border-bottom: 1px solid #d0d7de; }
.dim { color: #656d76; } .goal { margin: .6rem 0; } .state { font-weight: 600; }
.bar { background: #eaeef2; border-radius: 4px; height: .6rem; width: 20rem; max-width: 100%; }
.bar > span { display: block; height: 100%; border-radius: 4px; background: #2da44e; }
table { border-collapse: collapse; } td, th { padding: .2rem .8rem .2rem 0; text-align: left; }
.entry { border-left: 3px solid #d0d7de; padding: .2rem 0 .2rem .8rem; margin: 1rem 0; }
.entry p { white-space: pre-wrap; margin: .3rem 0; } .reply { margin-left: 1.2rem; }
.year { display: block; margin: .4rem 0; } svg text { font: 10px system-ui, sans-serif;
       fill: #656d76; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print { body { margin: 0; } .entry, .goal, svg { break-inside: avoid; } }
"""


def _t(text: str) -> str:
    """User text, inert: control characters removed, then HTML-escaped."""
    return html.escape(clean_terminal_text(text), quote=True)


def html_report(
    summary: Summary, entries: Sequence[EntryView], *, title: str, now: datetime
) -> str:
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_t(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_t(title)}</h1>",
        f'<p class="dim">{summary.start.isoformat()} to {summary.today.isoformat()} · '
        f"made {now.astimezone().strftime('%Y-%m-%d %H:%M')} by peerlog</p>",
        _goals(summary),
        "<h2>Activity</h2>",
        _heatmap_svg(summary),
        "<h2>Mood</h2>",
        _moods(summary),
        "<h2>Balance</h2>",
        _balance(summary),
        "<h2>Recent wins</h2>",
        _wins(summary),
        "<h2>Entries</h2>",
        _entries(entries, summary),
        "</body></html>\n",
    ]
    return "\n".join(parts)


def _goals(summary: Summary) -> str:
    rows = ["<h2>Goals</h2>"]
    if not summary.goals:
        return rows[0] + '<p class="dim">No goals yet.</p>'
    from peerlog.render.goals import progress_summary

    for goal, progress in summary.goals:
        share = progress.fraction or 0.0
        where = f' <span class="dim">in {_t(goal.space)}</span>' if goal.space else ""
        rows.append(
            f'<div class="goal"><strong>{_t(goal.title)}</strong>{where} '
            f'<span class="dim">·</span> <span class="state">{_t(goal.state)}</span>'
            f'<div class="bar"><span style="width:{share * 100:.0f}%"></span></div>'
            f'<div class="dim">{_t(progress_summary(goal, progress))}</div></div>'
        )
    return "\n".join(rows)


def _heatmap_svg(summary: Summary) -> str:
    """One row of weeks per calendar year (so a long history wraps instead of running off the
    page), with month and weekday labels and a legend that survive printing."""
    peak = max(summary.activity.values(), default=0)
    rows = []
    for year in range(summary.start.year, summary.today.year + 1):
        first = max(summary.start, date(year, 1, 1))
        last = min(summary.today, date(year, 12, 31))
        rows.append(_year_svg(summary, year, first, last, peak))
    legend = " ".join(
        f'<svg width="10" height="10"><rect width="10" height="10" rx="2" fill="{c}"/></svg>'
        for c in LEVEL_COLOURS
    )
    return "\n".join(rows) + f'<p class="dim">Less {legend} more</p>'


def _year_svg(summary: Summary, year: int, first: date, last: date, peak: int) -> str:
    cell, gap, left, top = 11, 2, 28, 14
    weeks = (last - (first - timedelta(days=first.weekday()))).days // 7 + 1
    grid = heatmap_weeks(first, last, weeks)
    parts = [f'<text x="0" y="{top - 4}">{year}</text>']
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        parts.append(f'<text x="0" y="{top + row * (cell + gap) + cell - 2}">{name}</text>')
    month = None
    for x, column in enumerate(grid):
        for y, day in enumerate(column):
            if day is None:
                continue
            if day.day == 1 or (x == 0 and month is None):
                month = day.month
                parts.append(
                    f'<text x="{left + x * (cell + gap)}" y="{top - 4}">{day.strftime("%b")}</text>'
                )
            count = summary.activity.get(day, 0)
            colour = LEVEL_COLOURS[activity_level(count, peak)]
            parts.append(
                f'<rect x="{left + x * (cell + gap)}" y="{top + y * (cell + gap)}" '
                f'width="{cell}" height="{cell}" rx="2" fill="{colour}">'
                f"<title>{day.isoformat()}: {count}</title></rect>"
            )
    width, height = left + weeks * (cell + gap), top + 7 * (cell + gap)
    return (
        f'<svg class="year" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="activity by day in {year}">{"".join(parts)}</svg>'
    )


def _moods(summary: Summary) -> str:
    if not summary.moods:
        return '<p class="dim">No moods in this window.</p>'
    rows = []
    for member, values in summary.moods.items():
        points = bucket_means(list(values), 120)
        xy = [(30 + i * 4, (5 - v) * 10 + 6) for i, v in enumerate(points) if v is not None]
        coords = [f"{x},{y:.1f}" for x, y in xy]
        dots = "".join(f'<circle cx="{x}" cy="{y:.1f}" r="2" fill="#0969da"/>' for x, y in xy)
        mean = summary.mood_average.get(member)
        average = f"average {mean:.1f}" if mean is not None else ""
        rows.append(
            f"<div><strong>{_t(summary.name(member))}</strong> "
            f'<svg xmlns="http://www.w3.org/2000/svg" width="520" height="52" role="img" '
            f'aria-label="mood of {_t(summary.name(member))}, 1 rough to 5 great">'
            '<text x="0" y="10">5 great</text><text x="0" y="50">1 rough</text>'
            '<line x1="28" y1="6" x2="28" y2="46" stroke="#d0d7de"/>'
            f'<polyline fill="none" stroke="#0969da" '
            f'stroke-width="2" points="{" ".join(coords)}"/>{dots}</svg> '
            f'<span class="dim">{average}</span></div>'
        )
    return "\n".join(rows)


def _balance(summary: Summary) -> str:
    if not summary.balance:
        return '<p class="dim">Nothing shared in this window.</p>'
    head = (
        "<table><tr><th>member</th><th>entries</th><th>check-ins</th><th>resources</th>"
        "<th>replies given</th><th>replies received</th></tr>"
    )
    rows = [
        f"<tr><td>{_t(summary.name(b.member))}</td><td>{b.entries}</td><td>{b.checkins}</td>"
        f"<td>{b.resources}</td><td>{b.replies_given}</td><td>{b.replies_received}</td></tr>"
        for b in summary.balance
    ]
    return head + "".join(rows) + "</table>"


def _wins(summary: Summary) -> str:
    if not summary.wins:
        return '<p class="dim">Wins from check-ins and finished goals show here.</p>'
    items = [
        f'<li>{_t(w.text)} <span class="dim">({_t(summary.winners(w))}, '
        f"{w.when.date()})</span></li>"
        for w in summary.wins
    ]
    return "<ul>" + "".join(items) + "</ul>"


def _entries(entries: Sequence[EntryView], summary: Summary) -> str:
    if not entries:
        return '<p class="dim">No entries in this window.</p>'
    blocks = []
    for view in entries:
        meta = [format_when(view.when), _t(summary.name(view.author))]
        if view.starred:
            meta.insert(0, "★ starred")
        if view.space:
            meta.append(f"in {_t(view.space)}")
        if view.mood is not None:
            meta.append(f"mood {mood_label(view.mood)}")
        if view.tags:
            meta.append(_t(" ".join(tag_label(t) for t in view.tags)))
        replies = "".join(
            f'<div class="reply"><span class="dim">↳ {_t(summary.name(r.author))}, '
            f"{r.created.astimezone().strftime('%d %b %H:%M')}</span><p>{_t(r.body)}</p></div>"
            for r in view.replies
        )
        blocks.append(
            f'<div class="entry"><div class="dim">{" · ".join(meta)}</div>'
            f"<p>{_t(view.text)}</p>{replies}</div>"
        )
    return "\n".join(blocks)
