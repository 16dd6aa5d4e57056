"""The JSON export assembled from per-entry parts (what the cache keeps) is byte for byte the
document written in one piece: `dumps` of {"format", "exported", "entries"}."""

from __future__ import annotations

import json
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from unit_support import T0, entry, revision

from peerlog.fold import fold_journal
from peerlog.render.export import entry_parts, export_json, json_document
from peerlog.render.json import dumps, entry_json

HOSTILE = '[bold]x[/] \x1b[2J\u202eevil\u200b\n\n  indented\tline \\ " \u2028 日本 #tag'


def whole_document(views: list, now=T0) -> str:  # type: ignore[no-untyped-def, type-arg]
    return dumps(
        {
            "format": 1,
            "exported": now.isoformat(),
            "entries": [entry_json(v, history=True) for v in views],
        }
    )


def test_no_entries_is_the_empty_document() -> None:
    assert json_document([], now=T0) == whole_document([])
    assert json.loads(json_document([], now=T0))["entries"] == []


def test_edited_entries_with_hostile_text_come_out_exactly_as_in_one_piece() -> None:
    first = entry(HOSTILE, clock=1, tags=("calm",), mood=4)
    second = entry("plain", clock=2, created=T0 + timedelta(hours=1))
    edited = revision(first, "rewritten\nwith \x07 bell", clock=3, tags=("x",), mood=2)
    views = fold_journal([first, second, edited], None).entries
    document = export_json(views, now=T0)
    assert document == whole_document(views)
    data = json.loads(document)
    assert [e["id"] for e in data["entries"]] == [second.id, first.id]
    assert data["entries"][1]["history"][0]["text"] == HOSTILE
    assert "\x1b" not in document and "\u202e" not in document  # still inert on a terminal


def test_parts_are_keyed_by_the_merge_order_of_entries() -> None:
    records = [entry(f"e{n}", clock=n, created=T0 + timedelta(minutes=n)) for n in range(4)]
    views = fold_journal(records, None).entries
    parts = entry_parts(views)
    assert [key for key, _ in parts] == [v.sort_key() for v in views]
    assert [json.loads(text)["id"] for _, text in parts] == [v.id for v in views]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=40), st.integers(0, 10_000), st.one_of(st.none(), st.integers(1, 5))
        ),
        max_size=6,
    )
)
def test_any_entries_assemble_to_the_one_piece_document(
    specs: list[tuple[str, int, int | None]],
) -> None:
    records = [
        entry(body, clock=n + 1, created=T0 + timedelta(minutes=minutes), mood=mood)
        for n, (body, minutes, mood) in enumerate(specs)
    ]
    views = fold_journal(records, None).entries
    assert export_json(views, now=T0) == whole_document(views)
