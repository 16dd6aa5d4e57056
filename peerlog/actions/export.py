"""The JSON export's parts (each journal's entries, and its record files for a backup), and
writing an export document to a file the user named."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from peerlog.actions.journal import JournalSession, view_of_each
from peerlog.errors import Refused, StorageError
from peerlog.store import Loaded, Problem, View
from peerlog.store.publish import publish_new, replace_private


def _json_parts(loaded: Loaded, space: Any) -> tuple[Any, ...]:
    from peerlog.fold import fold_journal
    from peerlog.render.export import entry_parts

    return entry_parts(fold_journal(loaded.records, space).entries)


# Every visible entry of one journal, rendered for the JSON export (see RecordStore.view): an
# export of an unchanged journal reads one file instead of folding and encoding every entry.
JSON_PARTS = View("export-json-2", _json_parts, tuple)


def json_export_parts(
    sessions: Sequence[JournalSession],
) -> tuple[list[str], list[str], list[tuple[JournalSession, Problem]]]:
    """Every visible entry of the journals as the JSON export holds it, newest first (the
    order of `merged_entries`), every record file of them (journal by journal), and the files
    that were skipped."""
    each, problems = view_of_each(sessions, JSON_PARTS)
    keyed: list[tuple[Any, str]] = [part for parts in each for part in parts]
    if len(sessions) > 1:
        keyed.sort(key=lambda item: item[0], reverse=True)
    return [text for _, text in keyed], [p for s in sessions for p in record_parts_of(s)], problems


def record_parts_of(session: JournalSession) -> list[str]:
    """Every record of one journal as its exact file (signature and all), but what its
    authors deleted, for the backup (`import peerlog` restores them). Read from disk on every
    export: a signed file cannot be made again from its parsed record."""
    from peerlog.fold.backup import backup_records
    from peerlog.render.export import record_parts
    from peerlog.store.restore import file_of

    texts = []
    linked: dict[Path, bool] = {}
    for record in backup_records(session.store.load().records):
        data = file_of(session.store, record, linked)
        if data is not None:
            texts.append(data.decode("utf-8"))
    return list(record_parts(session.space, texts))


def write_export(path: Path, document: str, *, force: bool) -> None:
    """Write `document` to `path` (mode 0600: an export holds private entries).

    An existing file is only replaced with `force`, so an export never overwrites by accident.
    """
    data = document.encode("utf-8")
    try:
        if force:
            replace_private(path, data, within=path.parent)
        else:
            publish_new(path, data, within=path.parent, file_mode=0o600, dir_mode=0o700)
    except FileExistsError:
        raise Refused(
            f"{path} already exists.", hint="Choose another --out, or pass --force to replace it."
        ) from None
    except OSError as exc:
        raise StorageError(f"Could not write {path}: {exc.strerror or exc}.") from None
