"""Human views of check-ins, resources and help-now.

Check-ins are lines (`render.lines`), so `show` and `checkin list` never import Rich's console;
the other views print with Rich, imported inside them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from peerlog.records.mood import mood_label
from peerlog.records.tags import tag_label
from peerlog.render.journal import STANDING_STYLE, format_when, reply_lines, standing_mark
from peerlog.render.lines import Line, Terminal, text_lines

if TYPE_CHECKING:
    from rich.console import Console

    from peerlog.fold.journal import CheckinView
    from peerlog.fold.resources import ResourceView

NOT_A_SERVICE = (
    "peerlog is not a crisis or clinical service. It sends no alerts and never reads your "
    "words for warning signs. If you are in danger or thinking of harming yourself, contact your "
    "local emergency number now."
)


def print_checkin(
    terminal: Terminal, view: CheckinView, *, names: Mapping[str, str] | None = None
) -> None:
    """A check-in with its parts and its replies (members by display name, where given)."""
    terminal.write(checkin_lines(view, terminal.width, names=names))


def checkin_lines(
    view: CheckinView,
    width: int,
    *,
    short_id: str | None = None,
    names: Mapping[str, str] | None = None,
) -> list[Line]:
    checkin = view.checkin
    head = Line(format_when(checkin.created), "bold").add("  ").add(short_id or checkin.id, "cyan")
    head.add("  ").add_safe((names or {}).get(checkin.author, checkin.author), "magenta")
    head.add(standing_mark(checkin.standing), STANDING_STYLE)
    head.add(" in ", "dim").add_safe(view.space or "private", "magenta").add("  check-in", "dim")
    lines = [head]
    if checkin.mood is not None:
        lines.append(Line(f"  feeling {mood_label(checkin.mood)}", "green"))
    for label, items in (("went well", checkin.wins), ("is hard", checkin.struggles)):
        lines += [Line(f"  {label}: ", "dim").add_safe(item) for item in items]
    for label, value in (("needs", checkin.need), ("can offer", checkin.offer)):
        if value:
            lines.append(Line(f"  {label}: ", "dim").add_safe(value))
    if checkin.body:
        lines += text_lines(checkin.body, width, indent="  ")
    return lines + reply_lines(view.replies, width, names)


def print_checkin_list(
    terminal: Terminal,
    views: Sequence[CheckinView],
    short_ids: Mapping[str, str],
    names: Mapping[str, str] | None = None,
) -> None:
    """Each check-in, then an empty line (an empty listing is worded by `render.scope`)."""
    lines = []
    for view in views:
        lines += checkin_lines(view, terminal.width, short_id=short_ids.get(view.id), names=names)
        lines.append(Line())
    terminal.write(lines)


def print_resources(
    console: Console,
    views: Sequence[ResourceView],
    short_ids: Mapping[str, str],
    names: Mapping[str, str] | None = None,
) -> None:
    """The library, newest first (an empty one is worded by `render.scope`); members are shown
    by `names` (display names), where given."""
    from rich.text import Text

    from peerlog.render.console import safe_line, safe_text

    shown = names or {}
    for view in views:
        resource = view.resource
        line = Text.assemble(
            (short_ids.get(view.id, view.id), "cyan"),
            "  ",
            safe_line(resource.title, style="bold"),
            ("  from ", "dim"),
            safe_line(shown.get(resource.author, resource.author), style="magenta"),
            (standing_mark(resource.standing), STANDING_STYLE),
            (" in ", "dim"),
            safe_line(view.space or "private", style="magenta"),
        )
        console.print(line)
        if resource.url:
            console.print(Text.assemble("  ", safe_line(resource.url, style="underline")))
        if resource.tags:
            tags = safe_line(" ".join(map(tag_label, resource.tags)), style="yellow")
            console.print(Text.assemble("  ", tags))
        if resource.body:
            note = safe_text(resource.body)
            note.pad_left(2)
            console.print(note)
        if view.helped_by:
            helpers = ", ".join(shown.get(m, m) for m in view.helped_by)
            console.print(Text.assemble(("  helped: ", "green"), safe_line(helpers, style="green")))


def print_help_now(console: Console, contacts: Sequence[str]) -> None:
    from rich.text import Text

    from peerlog.render.console import safe_line

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
        console.print(Text.assemble(f"  {number}. ", safe_line(contact)))
