"""Human views of the journal: the list, one entry (or a check-in's replies), tags.

All of them are lines (`render.lines`), so the everyday commands never import Rich's console.
Partner text goes in only through the sanitiser (`Line.add_safe`, `text_lines`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from peerlog.records.mood import mood_label
from peerlog.records.tags import tag_label
from peerlog.render.lines import Line, Terminal, cells, text_lines

if TYPE_CHECKING:
    from peerlog.fold import EntryView
    from peerlog.records import Reply

STANDING_STYLE = "bold red"  # the mark of a record shown without counting (fold/trust.py)
RULE_STYLE = "green"  # Rich's rule line is bright green


def standing_mark(standing: str) -> str:
    """The mark after an author's name: " (not yet admitted)", " (unsigned)", or nothing."""
    return f" ({standing})" if standing else ""


def format_when(moment: datetime) -> str:
    return moment.astimezone().strftime("%a %d %b %Y %H:%M")


def plural(count: int, one: str, many: str | None = None) -> str:
    """`count` and the noun for it: "1 entry", "2 entries" (`many`, else `one` with an s)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _headline(
    view: EntryView, short_id: str, *, show_author: bool, names: Mapping[str, str] | None = None
) -> Line:
    line = Line(format_when(view.when), "bold").add("  ").add(short_id, "cyan")
    if view.starred:
        line.add("  ★", "yellow")
    if show_author:
        author = (names or {}).get(view.author, view.author)
        line.add("  ").add_safe(author, "magenta").add(standing_mark(view.standing), STANDING_STYLE)
        line.add(" in ", "dim").add_safe(view.space or "private", "magenta")
    if view.mood is not None:
        line.add("  ").add(f"mood {mood_label(view.mood)}", "green")
    if view.edited:
        line.add("  (edited)", "dim")
    if view.tags:
        line.add("  ").add_safe(" ".join(tag_label(t) for t in view.tags), "yellow")
    return line


def print_entry_list(
    terminal: Terminal,
    views: Sequence[EntryView],
    short_ids: Mapping[str, str],
    *,
    show_author: bool = False,
    footer: Line | None = None,
    names: Mapping[str, str] | None = None,
) -> None:
    """Newest first: a headline, then the entry's first line, cut to the terminal's width;
    `footer` (if any) under a page cut short (an empty listing is worded by `render.scope`).

    Everything is written at once: per-entry writes cost more than everything else when
    thousands of entries match.
    """
    lines = []
    for view in views:
        short = short_ids.get(view.id, view.id)
        lines.append(_headline(view, short, show_author=show_author, names=names))
        first = next((line for line in view.text.splitlines() if line.strip()), "")
        lines.append(Line("  ").add_safe(first.strip()).fit(terminal.width))
    if footer is not None:
        lines.append(footer)
    terminal.write(lines)


def print_entry(
    terminal: Terminal,
    view: EntryView,
    *,
    history: bool = False,
    names: Mapping[str, str] | None = None,
) -> None:
    """One entry in full, wrapped to the terminal; with `history`, every earlier version too.
    Members are shown by `names` (display names), where given."""
    width = terminal.width
    lines = [_headline(view, view.id, show_author=True, names=names)]
    if view.edited:
        last = format_when(view.current.created)
        edits = len(view.versions) - 1
        times = "once" if edits == 1 else f"{edits} times"
        lines.append(Line(f"edited {times}, last on {last}", "dim"))
    lines += [Line(), *text_lines(view.text, width)]
    if history and view.edited:
        for number, version in enumerate(view.versions[:-1], start=1):
            label = "original" if number == 1 else f"version {number}"
            title = f"{label}, written {format_when(version.created)}"
            lines += [Line(), rule(title, width), *text_lines(version.text, width)]
    if view.replies:
        lines += [Line(), *reply_lines(view.replies, width, names)]
    terminal.write(lines)


def reply_lines(
    replies: Sequence[Reply], width: int, names: Mapping[str, str] | None = None
) -> list[Line]:
    """Replies in order, each under a line naming who wrote it and when, its text indented."""
    shown = names or {}
    lines = []
    for reply in replies:
        head = Line("  ↳ ", "dim").add_safe(shown.get(reply.author, reply.author), "magenta")
        head.add(standing_mark(reply.standing), STANDING_STYLE)
        head.add(f"  {format_when(reply.created)}  {reply.id}", "dim")
        lines += [head, *text_lines(reply.body, width, indent="    ")]
    return lines


def rule(title: str, width: int) -> Line:
    """A rule across `width` with `title` (our own text) in the middle, as Rich's
    `Console.rule` draws it."""
    if width < 5:
        return Line("─" * width, RULE_STYLE)
    text = Line(title, "dim").fit(width - 4)
    room = width - cells(text.plain) - 2
    line = Line("─" * (room // 2) + " ", RULE_STYLE)
    line.pieces += text.pieces
    return line.add(" " + "─" * (room - room // 2), RULE_STYLE)


def print_tags(terminal: Terminal, pairs: Sequence[tuple[str, int]]) -> None:
    if not pairs:
        terminal.write([Line("No tags yet. Add them with --tag or #word in the text.", "dim")])
        return
    width = max(len(str(count)) for _, count in pairs)
    terminal.write(
        Line(f"{count:>{width}}  ").add_safe(tag_label(tag), "yellow") for tag, count in pairs
    )
