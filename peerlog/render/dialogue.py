"""Human views of check-ins, resources, what is due, and help-now."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.text import Text

from peerlog.fold.due import DueItem
from peerlog.fold.journal import CheckinView
from peerlog.fold.resources import ResourceView
from peerlog.records.mood import mood_label
from peerlog.records.tags import tag_label
from peerlog.render.console import safe_line, safe_text
from peerlog.render.due import due_lines
from peerlog.render.journal import STANDING_STYLE, format_when, print_replies, standing_mark

NOT_A_SERVICE = (
    "peerlog is not a crisis or clinical service. It sends no alerts and never reads your "
    "words for warning signs. If you are in danger or thinking of harming yourself, contact your "
    "local emergency number now."
)


def _where(space: str | None) -> str:
    return space or "private"


def print_checkin(
    console: Console,
    view: CheckinView,
    *,
    short_id: str | None = None,
    names: Mapping[str, str] | None = None,
) -> None:
    """A check-in with its parts and its replies (members by display name, where given)."""
    checkin = view.checkin
    head = Text(format_when(checkin.created), style="bold")
    head.append("  ")
    head.append(short_id or checkin.id, style="cyan")
    head.append("  ")
    head.append_text(safe_line((names or {}).get(checkin.author, checkin.author), style="magenta"))
    head.append(standing_mark(checkin.standing), style=STANDING_STYLE)
    head.append(" in ", style="dim")
    head.append_text(safe_line(_where(view.space), style="magenta"))
    head.append("  check-in", style="dim")
    console.print(head)
    if checkin.mood is not None:
        console.print(Text(f"  feeling {mood_label(checkin.mood)}", style="green"))
    for label, items in (("went well", checkin.wins), ("is hard", checkin.struggles)):
        for item in items:
            line = Text(f"  {label}: ", style="dim")
            line.append_text(safe_line(item))
            console.print(line)
    for label, value in (("needs", checkin.need), ("can offer", checkin.offer)):
        if value:
            line = Text(f"  {label}: ", style="dim")
            line.append_text(safe_line(value))
            console.print(line)
    if checkin.body:
        note = safe_text(checkin.body)
        note.pad_left(2)
        console.print(note)
    print_replies(console, view.replies, names)


def print_checkin_list(
    console: Console,
    views: Sequence[CheckinView],
    short_ids: Mapping[str, str],
    names: Mapping[str, str] | None = None,
) -> None:
    if not views:
        console.print(Text("No check-ins yet. `peerlog checkin` starts one."))
        return
    for view in views:
        print_checkin(console, view, short_id=short_ids.get(view.id), names=names)
        console.print()


def print_resources(
    console: Console,
    views: Sequence[ResourceView],
    short_ids: Mapping[str, str],
    names: Mapping[str, str] | None = None,
) -> None:
    """The library, newest first; members are shown by `names` (display names), where given."""
    shown = names or {}
    if not views:
        console.print(Text("No resources yet. Share one with `peerlog resource add TITLE`."))
        return
    for view in views:
        resource = view.resource
        line = Text(short_ids.get(view.id, view.id), style="cyan")
        line.append("  ")
        line.append_text(safe_line(resource.title, style="bold"))
        line.append("  from ", style="dim")
        line.append_text(safe_line(shown.get(resource.author, resource.author), style="magenta"))
        line.append(standing_mark(resource.standing), style=STANDING_STYLE)
        line.append(" in ", style="dim")
        line.append_text(safe_line(_where(view.space), style="magenta"))
        console.print(line)
        if resource.url:
            console.print(Text("  ") + safe_line(resource.url, style="underline"))
        if resource.tags:
            tags = safe_line(" ".join(tag_label(t) for t in resource.tags), style="yellow")
            console.print(Text("  ") + tags)
        if resource.body:
            note = safe_text(resource.body)
            note.pad_left(2)
            console.print(note)
        if view.helped_by:
            helped = Text("  helped: ", style="green")
            helpers = ", ".join(shown.get(m, m) for m in view.helped_by)
            helped.append_text(safe_line(helpers, style="green"))
            console.print(helped)


def print_due(console: Console, items: Sequence[DueItem], *, brief: bool = False) -> None:
    for line in due_lines(items, brief=brief):
        console.print(line.to_text())


def print_help_now(console: Console, contacts: Sequence[str]) -> None:
    console.print(Text(NOT_A_SERVICE))
    console.print()
    if not contacts:
        console.print(
            Text(
                "You have not added any contacts yet. Add people or services you trust:\n"
                '  peerlog help-now --add "Sam (friend): +44 7700 900123"',
                style="dim",
            )
        )
        return
    console.print(Text("People and services you chose to reach out to:", style="bold"))
    for number, contact in enumerate(contacts, start=1):
        console.print(Text(f"  {number}. ") + safe_line(contact))
