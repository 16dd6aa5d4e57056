"""Human views of the journal: the list, one entry, tags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from rich.console import Console
from rich.text import Text

from peerlog.fold import EntryView, Version
from peerlog.records import Reply
from peerlog.records.mood import mood_label
from peerlog.records.tags import tag_label
from peerlog.render.console import print_lines, safe_line, safe_text


def format_when(moment: datetime) -> str:
    return moment.astimezone().strftime("%a %d %b %Y %H:%M")


def _headline(view: EntryView, short_id: str, *, show_author: bool) -> Text:
    line = Text()
    line.append(format_when(view.when), style="bold")
    line.append("  ")
    line.append(short_id, style="cyan")
    if show_author:
        line.append("  ")
        line.append_text(safe_line(view.author, style="magenta"))
        line.append(" in ", style="dim")
        line.append_text(safe_line(view.space or "private", style="magenta"))
    if view.mood is not None:
        line.append("  ")
        line.append(f"mood {mood_label(view.mood)}", style="green")
    if view.edited:
        line.append("  (edited)", style="dim")
    if view.tags:
        line.append("  ")
        line.append_text(safe_line(" ".join(tag_label(t) for t in view.tags), style="yellow"))
    return line


def print_entry_list(
    console: Console,
    views: Sequence[EntryView],
    short_ids: Mapping[str, str],
    *,
    show_author: bool = False,
) -> None:
    """Newest first: a headline, then the entry's first line, cut to the terminal's width.

    The whole list is one Text printed once: per-entry prints cost more than everything else
    when thousands of entries match.
    """
    if not views:
        console.print(Text("No entries match.", style="dim"))
        return
    width = console.width
    lines = []
    for view in views:
        lines.append(_headline(view, short_ids.get(view.id, view.id), show_author=show_author))
        first = next((line for line in view.text.splitlines() if line.strip()), "")
        preview = safe_line(first.strip())
        preview.pad_left(2)
        preview.truncate(width, overflow="ellipsis")
        lines.append(preview)
    print_lines(console, lines)


def print_entry(console: Console, view: EntryView, *, history: bool = False) -> None:
    """One entry in full; with `history`, every earlier version too."""
    console.print(_headline(view, view.id, show_author=True))
    if view.edited:
        last = format_when(view.current.created)
        edits = len(view.versions) - 1
        times = "once" if edits == 1 else f"{edits} times"
        console.print(Text(f"edited {times}, last on {last}", style="dim"))
    console.print()
    console.print(safe_text(view.text))
    if history and view.edited:
        for number, version in enumerate(view.versions[:-1], start=1):
            _print_version(console, number, version)
    if view.replies:
        console.print()
        print_replies(console, view.replies)


def print_replies(console: Console, replies: Sequence[Reply]) -> None:
    """Replies in order, each under a line naming who wrote it and when."""
    for reply in replies:
        head = Text("  ↳ ", style="dim")
        head.append_text(safe_line(reply.author, style="magenta"))
        head.append(f"  {format_when(reply.created)}  {reply.id}", style="dim")
        console.print(head)
        body = safe_text(reply.body)
        body.pad_left(4)
        console.print(body)


def _print_version(console: Console, number: int, version: Version) -> None:
    console.print()
    label = "original" if number == 1 else f"version {number}"
    console.rule(Text(f"{label}, written {format_when(version.created)}", style="dim"))
    console.print(safe_text(version.text))


def print_tags(console: Console, pairs: Sequence[tuple[str, int]]) -> None:
    if not pairs:
        console.print(Text("No tags yet. Add them with --tag or #word in the text.", style="dim"))
        return
    width = max(len(str(count)) for _, count in pairs)
    for tag, count in pairs:
        line = Text(f"{count:>{width}}  ")
        line.append_text(safe_line(tag_label(tag), style="yellow"))
        console.print(line)
