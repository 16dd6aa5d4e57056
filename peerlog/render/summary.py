"""The terminal dashboard: goals, activity heatmap, mood trend, balance, wins, what is due.

Every section fits the console's width (tested at 40, 80 and 120 columns) and stays readable
without colour: heatmap levels and goal states use distinct characters and words, not only hues.
"""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.text import Text

from peerlog.fold.summary import Summary, activity_level, bucket_means, heatmap_weeks
from peerlog.render.console import safe_line
from peerlog.render.due import due_lines
from peerlog.render.goals import STATE_STYLE, progress_bar, progress_summary
from peerlog.render.journal import STANDING_STYLE, plural, standing_mark

LEVEL_CHARS = "·░▒▓█"
LEVEL_STYLES = ("dim", "green", "green", "bold green", "bold bright_green")
SPARKS = "▁▂▃▄▅▆▇█"
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
NAME_CELLS = 24  # a longer display name is cut in the mood rows, so the sparklines keep room


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title, style="bold underline"))


def sparkline(values: list[float | None], low: float = 1.0, high: float = 5.0) -> str:
    """Mood values (1-5) as spark characters; a gap where there is no value."""
    out = []
    for value in values:
        if value is None:
            out.append(" ")
        else:
            share = (min(max(value, low), high) - low) / (high - low)
            out.append(SPARKS[round(share * (len(SPARKS) - 1))])
    return "".join(out)


def print_summary(console: Console, summary: Summary, scope_label: str) -> None:
    width = console.width
    console.print(
        Text.assemble(("peerlog summary", "bold"), safe_line(f" · {scope_label}", style="dim"))
    )
    console.print(Text(f"{summary.start.isoformat()} to {summary.today.isoformat()}", style="dim"))
    _goals(console, summary, width)
    _heatmap(console, summary, width)
    _moods(console, summary, width)
    _balance(console, summary)
    _wins(console, summary)
    _heading(console, "What is waiting for you")
    for line in due_lines(summary.due, brief=True):
        console.print(line.to_text())


def _goals(console: Console, summary: Summary, width: int) -> None:
    _heading(console, "Goals")
    if not summary.goals:
        console.print(Text("No goals yet: peerlog goal propose TITLE", style="dim"))
        return
    bar_width = max(10, min(30, width - 4))  # plus a 2-space indent
    for goal, progress in summary.goals:
        space = goal.space
        where = Text.assemble((" in ", "dim"), safe_line(space, style="magenta")) if space else ""
        state = (f"{goal.state} ", STATE_STYLE.get(goal.state, ""))
        console.print(Text.assemble(state, safe_line(goal.title, style="bold"), where))
        current = progress.this_period
        if goal.state == "active" and progress.target is not None:
            done = current.amount if current else progress.total
            console.print(progress_bar(done, progress.target.amount, bar_width))
        by = goal.shown_terms.by
        details = progress_summary(goal, progress, summary.names)
        details += f" · by {by.date().isoformat()}" if by is not None else ""
        console.print(Text.assemble("  ", safe_line(details, style="dim")))


def _heatmap(console: Console, summary: Summary, width: int) -> None:
    _heading(console, "Activity")
    wanted = (summary.days + 6) // 7 + 1
    # Two cells a week while they fit, else one: a full year fits 80 columns too.
    cell = 2 if wanted * 2 <= width - 3 else 1
    weeks = max(1, min(wanted, (width - 3) // cell))
    grid = heatmap_weeks(summary.start, summary.today, weeks)
    peak = max(summary.activity.values(), default=0)
    console.print(
        Text("   " + _month_labels(grid, cell), style="dim"), no_wrap=True, overflow="crop"
    )
    for row in range(7):
        line = Text(f"{WEEKDAYS[row]} ", style="dim")
        for column in grid:
            day = column[row]
            if day is None:
                line.append(" " * cell)
                continue
            level = activity_level(summary.activity.get(day, 0), peak)
            line.append(LEVEL_CHARS[level] + " " * (cell - 1), style=LEVEL_STYLES[level])
        console.print(line, no_wrap=True, overflow="crop")
    total = sum(summary.activity.values())
    days = sum(1 for v in summary.activity.values() if v)
    written = f"{plural(total, 'thing')} written or logged on {plural(days, 'day')}."
    legend = Text(f"{written} Less ", style="dim")
    for level, char in enumerate(LEVEL_CHARS):
        legend.append(char, style=LEVEL_STYLES[level])
    legend.append(" more", style="dim")
    console.print(legend)


def _month_labels(grid: list[list[date | None]], cell: int) -> str:
    """Month names over the week columns in which each month begins (when they fit)."""
    labels = [" "] * (len(grid) * cell + 3)
    free, named = 0, False
    for index, column in enumerate(grid):
        first = next((d for d in column if d is not None and d.day <= 7), None)
        known = [d for d in column if d is not None]
        if not named and known and first is None:
            first = known[0]  # the window starts mid-month: name that month too
        named = named or bool(known)
        at = index * cell
        if first is None or at < free:
            continue
        name = first.strftime("%b")
        labels[at : at + len(name)] = name
        free = at + len(name) + 1
    return "".join(labels).rstrip()


def _moods(console: Console, summary: Summary, width: int) -> None:
    _heading(console, "Mood")
    if not summary.moods:
        console.print(Text("No moods in this window (add --mood when you write).", style="dim"))
        return
    # Names as shown (sanitised), padded to the widest in terminal cells: one axis fits all.
    shown = {m: safe_line(summary.name(m), style="magenta") for m in summary.moods}
    for text in shown.values():
        text.truncate(NAME_CELLS, overflow="ellipsis")
    label = max(t.cell_len for t in shown.values()) + 1
    room = max(4, width - label - 12)
    spark_width = 0
    for member, values in summary.moods.items():
        spark = sparkline(bucket_means(list(values), room))
        spark_width = len(spark)
        line = shown[member]
        line.append(" " * (label - line.cell_len + 1))
        line.append(spark, style="cyan")  # every row the same days, so one axis fits all
        if member in summary.mood_average:
            line.append(f" avg {summary.mood_average[member]:.1f}", style="dim")
        console.print(line, no_wrap=True, overflow="crop")
    first, last = summary.start.strftime("%d %b"), summary.today.strftime("%d %b")
    gap = max(1, spark_width - len(first) - len(last))
    axis = Text(" " * (label + 1) + first + " " * gap + last, style="dim")
    console.print(axis, no_wrap=True, overflow="crop")


def _balance(console: Console, summary: Summary) -> None:
    _heading(console, "Balance")
    if not summary.balance:
        console.print(Text("Nothing shared in this window.", style="dim"))
        return
    for b in summary.balance:
        shared = (
            f": shared {plural(b.entries, 'entry', 'entries')}, "
            f"{plural(b.checkins, 'check-in')}, {plural(b.resources, 'resource')}; "
            f"gave {plural(b.replies_given, 'reply', 'replies')}, "
            f"received {plural(b.replies_received, 'reply', 'replies')}"
        )
        name = safe_line(summary.name(b.member), style="magenta")
        console.print(Text.assemble(name, (standing_mark(b.standing), STANDING_STYLE), shared))


def _wins(console: Console, summary: Summary) -> None:
    _heading(console, "Recent wins")
    if not summary.wins:
        console.print(Text("Wins from check-ins and finished goals show here.", style="dim"))
        return
    for win in summary.wins:
        who = f" ({summary.winners(win)}, {win.when.date().isoformat()})"
        mark = (standing_mark(win.standing), STANDING_STYLE)
        text, who_text = safe_line(win.text), safe_line(who, style="dim")
        console.print(Text.assemble(("★ ", "yellow"), text, who_text, mark))
