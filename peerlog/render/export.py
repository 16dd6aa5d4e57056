"""Export documents: Markdown for people, JSON for programs. Rich-free."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from peerlog.fold import EntryView
from peerlog.records.mood import mood_label
from peerlog.records.tags import tag_label
from peerlog.render.journal import plural
from peerlog.render.json import dumps, entry_json
from peerlog.render.sanitize import escape_for_json_output


def export_json(
    views: Sequence[EntryView],
    *,
    now: datetime,
    records: Iterable[tuple[str | None, str]] | None = None,
) -> Iterator[str]:
    """The JSON export, line by line: {"format", "exported", "entries"[, "records"]} with
    every entry (with its full history, newest first) and, for a backup, every record file
    ({"space", "file"}). Each entry and each record is one compact line of its list, so the
    document stays readable and diffable, and the standard library's C encoder writes it
    (indented, it is pure Python: about twice the time for the same entries)."""
    head = dumps({"format": 1, "exported": now.isoformat()})
    yield head.removesuffix("\n}\n") + ',\n  "entries": '
    yield from _items(entry_json(view, history=True) for view in views)
    if records is not None:
        yield ',\n  "records": '
        yield from _items({"space": space, "file": text} for space, text in records)
    yield "\n}\n"


# The standard library's C encoder (it is used when nothing is indented), escaped as `dumps` is.
_ITEM = json.JSONEncoder(ensure_ascii=False)


def _items(values: Iterable[object]) -> Iterator[str]:
    """A JSON list two spaces in, one value on each line."""
    empty = True
    for value in values:
        yield ("[\n    " if empty else ",\n    ") + escape_for_json_output(_ITEM.encode(value))
        empty = False
    yield "[]" if empty else "\n  ]"


def export_markdown(views: Sequence[EntryView], *, now: datetime, title: str) -> str:
    """A readable Markdown document, one section per entry, newest first."""
    count = plural(len(views), "entry", "entries")
    stamp = now.astimezone().strftime("%Y-%m-%d %H:%M %z")  # the reader's zone, as the entries
    parts = [f"# {title}\n\nExported {stamp}, {count}.\n"]
    for view in views:
        when = view.when.astimezone().strftime("%A %d %B %Y, %H:%M")  # the reader's zone
        details = [f"id `{view.id}`"]
        if view.starred:
            details.append("★ starred")
        if view.mood is not None:
            details.append(f"mood {mood_label(view.mood)}")
        if view.tags:
            details.append(" ".join(tag_label(t) for t in view.tags))
        if view.edited:
            details.append(f"edited {len(view.versions) - 1}×")
        parts.append(f"\n## {when}\n\n*{' · '.join(details)}*\n\n{view.text}\n")
    return "".join(parts)
