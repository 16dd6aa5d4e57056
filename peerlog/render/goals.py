"""Human views of goals: the list, one goal in full. Balance and progress, never a score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.text import Text

from peerlog.fold.goals import GoalView, TermsView
from peerlog.fold.progress import Progress
from peerlog.records import Record
from peerlog.records.goals import (
    GoalAccept,
    GoalAmend,
    GoalComplete,
    GoalDecline,
    GoalLog,
    GoalProposal,
    GoalReopen,
    GoalRest,
    GoalWithdraw,
)
from peerlog.render.console import safe_line, safe_text
from peerlog.render.journal import format_when, plural

STATE_STYLE = {
    "proposed": "yellow",
    "declined": "red",
    "active": "green",
    "done": "bold green",
    "withdrawn": "dim",
}
PERIOD_WORD = {"day": "today", "week": "this week", "month": "this month"}
# What the history says of the events that carry no terms or amounts (by their type), and of
# those followed by their reason, when they give one.
_EVENT_WORDS = {GoalComplete.TYPE: "says it is done", GoalReopen.TYPE: "reopened it"}
_REASON_WORDS = {GoalDecline.TYPE: "declined", GoalWithdraw.TYPE: "withdrew"}


def _people(members: Sequence[str], names: Mapping[str, str] | None) -> str:
    """Members by display name (`names`), else by id, joined with commas."""
    return ", ".join((names or {}).get(m, m) for m in members)


def progress_summary(
    goal: GoalView, progress: Progress, names: Mapping[str, str] | None = None
) -> str:
    """A short encouraging line: where this period stands, consistency, run."""
    if goal.state in ("proposed", "declined"):
        waiting = _people(goal.waiting_for, names)
        return f"waiting for {waiting}" if waiting else goal.state
    if goal.state in ("done", "withdrawn"):
        return f"{goal.state}; {progress.total:g} logged in all"
    if progress.kind == "milestone":
        return "milestone"
    target = progress.target
    assert target is not None
    if progress.kind == "total":
        return f"{progress.total:g} of {target.amount:g} {target.unit}".rstrip()
    current = progress.this_period
    assert current is not None and target.period is not None
    so_far = "" if current.met else " so far"  # the period is still running: not a miss
    parts = [f"{PERIOD_WORD[target.period]} {current.amount:g}/{target.amount:g}{so_far}"]
    counted = [p for p in progress.periods if p.met or p.missed]
    if counted:
        met = sum(1 for p in counted if p.met)
        parts.append(f"met in {met} of the last {plural(len(counted), target.period)}")
    if progress.run:
        parts.append(f"a run of {progress.run}")
    return " · ".join(parts)


def print_goal_list(
    console: Console,
    goals: Sequence[tuple[GoalView, Progress]],
    short_ids: Mapping[str, str],
    names: Mapping[str, str] | None = None,
) -> None:
    if not goals:
        console.print(Text("No goals yet. Propose one with `peerlog goal propose TITLE`."))
        return
    for goal, progress in goals:
        target = goal.shown_terms.target_text
        line = Text.assemble(
            (short_ids.get(goal.id, goal.id), "cyan"),
            "  ",
            (f"{goal.state:<9}", STATE_STYLE.get(goal.state, "")),
            "  ",
            safe_line(goal.title, style="bold"),
            Text.assemble("  ", safe_line(f"({target})", style="dim")) if target else "",
            ("  in ", "dim"),
            safe_line(goal.space or "private", style="magenta"),
        )
        console.print(line)
        detail = safe_line(progress_summary(goal, progress, names), style="dim")
        detail.pad_left(2)
        console.print(detail, no_wrap=True, overflow="ellipsis")


def _terms_lines(
    terms: TermsView, label: str, names: Mapping[str, str] | None = None
) -> list[Text]:
    lines = [Text(label, style="bold")]
    for key, value in (
        ("title", terms.title),
        ("target", terms.target_text or "none (a milestone)"),
        ("why", terms.why),
        ("by", format_when(terms.by) if terms.by else ""),
    ):
        if value:
            lines.append(Text.assemble((f"  {key}: ", "dim"), safe_line(value)))
    agreed = _people(terms.accepted_by, names) or "nobody yet"
    lines.append(Text.assemble(("  agreed by: ", "dim"), safe_line(agreed)))
    for member, reason in terms.declined_by:
        declined = _people([member], names) + (f" ({reason})" if reason else "")
        lines.append(Text.assemble(("  declined by: ", "dim"), safe_line(declined)))
    return lines


def print_goal(
    console: Console,
    goal: GoalView,
    progress: Progress,
    names: Mapping[str, str] | None = None,
) -> None:
    """One goal in full; members are shown by `names` (display names), where given."""
    console.print(safe_line(goal.title, style="bold"))
    where = f"in space {goal.space}" if goal.space else "in your private journal"
    proposer, when = _people([goal.proposed_by], names), format_when(goal.created)
    head = (f"{goal.id}  {where}, proposed by ", safe_line(proposer), f" on {when}")
    console.print(Text.assemble(*head, style="dim"))
    state = Text.assemble("state: ", (goal.state, STATE_STYLE.get(goal.state, "")))
    if goal.waiting_for:
        state += safe_line(f" (new terms wait for {_people(goal.waiting_for, names)})")
    if goal.state == "active" and goal.completion_votes:
        state += safe_line(f" ({_people(goal.completion_votes, names)} said it is done)")
    console.print(state)
    withdrew = f" (withdrew: {_people(goal.withdrawn, names)})" if goal.withdrawn else ""
    people = safe_line(_people(goal.active, names))
    console.print(Text.assemble("participants: ", people, safe_line(withdrew, style="dim")))
    console.print()
    if goal.terms is not None:
        for line in _terms_lines(goal.terms, "Terms in force", names):
            console.print(line)
    for terms in goal.pending:
        label = "Proposed terms" if goal.terms is None else "Proposed change (old terms stand)"
        for line in _terms_lines(terms, label, names):
            console.print(line)
    console.print()
    _print_progress(console, goal, progress, names)
    console.print()
    console.print(Text("History", style="bold"))
    from rich.table import Table  # only a goal's own page lays out a table

    table = Table.grid(padding=(0, 2))
    for event in goal.history:
        table.add_row(
            Text(format_when(event.created), style="dim"),
            safe_line(_people([event.author], names), style="magenta"),
            safe_text(describe_event(event, names)),
        )
    console.print(table)


def _print_progress(
    console: Console, goal: GoalView, progress: Progress, names: Mapping[str, str] | None
) -> None:
    console.print(Text("Progress", style="bold"))
    target = progress.target
    if progress.kind == "milestone" or target is None:
        console.print(Text(f"  a milestone; {progress.total:g} logged so far"))
        return
    if progress.kind == "total":
        console.print(Text(f"  {progress.total:g} of {target.amount:g}"))
        console.print(progress_bar(progress.total, target.amount, 30))
        return
    current = progress.this_period
    assert current is not None and target.period is not None
    # This period's count, once; a goal still waiting names who it waits for.
    console.print(Text.assemble("  ", safe_line(progress_summary(goal, progress, names))))
    console.print(progress_bar(current.amount, target.amount, 30))
    marks = Text("  ")
    for period in progress.periods:
        if period.met:
            marks.append("● ", style="green")
        elif period.rested:
            marks.append("◌ ", style="blue")
        elif period.current:
            marks.append("○ ", style="dim")
        else:
            marks.append("· ", style="dim")
    console.print(marks)
    console.print(Text("  ● met  ◌ rest  · not this time  ○ in progress", style="dim"))


def progress_bar(done: float, total: float, width: int) -> Text:
    """A bar of `width` cells: filled and empty cells differ in shape, not only in colour."""
    filled = 0 if total <= 0 else round(min(1.0, max(0.0, done / total)) * width)
    bar = Text("  ")
    bar.append("█" * filled, style="green")
    bar.append("░" * (width - filled), style="dim")
    return bar


def describe_event(event: Record, names: Mapping[str, str] | None = None) -> str:
    """One line for the history: what happened, in plain words."""
    if isinstance(event, GoalProposal):
        return f"proposed it for {_people(event.participants, names)}"
    if isinstance(event, GoalAmend):
        return f"proposed new terms: {event.title}" + (f" ({event.target})" if event.target else "")
    if isinstance(event, GoalAccept):
        return f"agreed (terms {event.terms[:10]})"
    if isinstance(event, GoalLog):
        note = f": {event.body}" if event.body else ""
        return f"logged {event.amount:g} on {event.when.date().isoformat()}{note}"
    if isinstance(event, GoalRest):
        return f"rests {event.start.isoformat()} to {event.until.isoformat()}"
    if event.type in _REASON_WORDS:
        return _REASON_WORDS[event.type] + (f": {event.body}" if event.body else "")
    return _EVENT_WORDS.get(event.type, event.type)
