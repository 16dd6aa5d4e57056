"""Export documents: Markdown for people, JSON for programs. Rich-free."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from peerlog.fold import EntryView
from peerlog.records.mood import mood_label
from peerlog.records.tags import tag_label
from peerlog.render.json import dumps, entry_json, indented_json
from peerlog.render.sanitize import escape_for_json_output

# An entry as it stands in the export's list: (its EntryView.sort_key, its JSON text).
EntryPart = tuple[tuple[datetime, int, str], str]
_ITEM_INDENT = "\n    "  # entries sit two levels deep: {"entries": [ ... ]}


def export_json(views: Sequence[EntryView], *, now: datetime) -> str:
    """Every entry with its full history, newest first."""
    return json_document([text for _, text in entry_parts(views)], now=now)


def entry_parts(views: Sequence[EntryView]) -> tuple[EntryPart, ...]:
    """Each entry's JSON (with its full history) as `json_document` places it, keyed for
    merging journals. Rendering them is most of an export's work; the parts of one journal
    are kept in the cache between exports (actions/export.py)."""
    return tuple(
        (
            view.sort_key(),
            escape_for_json_output(indented_json(entry_json(view, history=True))).replace(
                "\n", _ITEM_INDENT
            ),
        )
        for view in views
    )


def json_document(
    parts: Sequence[str], *, now: datetime, records: Sequence[str] | None = None
) -> str:
    """The JSON export around entries rendered by `entry_parts`, newest first, and (for a
    backup) the record files rendered by `record_parts`: exactly what `dumps` makes of
    {"format", "exported", "entries"[, "records"]}. (JSON text holds newlines only between
    values, so indenting an item's lines places it one level deeper.)"""
    head = {"format": 1, "exported": now.isoformat(), "entries": []}
    pieces = [dumps(head).removesuffix("[]\n}\n"), *_items(parts)]
    if records is not None:
        pieces += [',\n  "records": ', *_items(records)]
    pieces.append("\n}\n")
    return "".join(pieces)  # joined once: an export of thousands of entries is megabytes


def _items(parts: Sequence[str]) -> list[str]:
    if not parts:
        return ["[]"]
    return ["[", _ITEM_INDENT, ("," + _ITEM_INDENT).join(parts), "\n  ]"]


def record_parts(space: str | None, files: Sequence[str]) -> tuple[str, ...]:
    """Each record file's text as the backup's "records" list holds it: {"space", "file"},
    exactly as `indented_json` writes that object (two plain values, each encoded by the
    standard library's encoder; JSON text holds no newline, so none needs indenting)."""
    head = f'{{{_ITEM_INDENT}  "space": {indented_json(space)},{_ITEM_INDENT}  "file": '
    return tuple(
        escape_for_json_output(f"{head}{indented_json(text)}{_ITEM_INDENT}}}") for text in files
    )


def export_markdown(views: Sequence[EntryView], *, now: datetime, title: str) -> str:
    """A readable Markdown document, one section per entry, newest first."""
    count = "1 entry" if len(views) == 1 else f"{len(views)} entries"
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
