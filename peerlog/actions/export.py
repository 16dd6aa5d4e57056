"""What an export without filters reads (every journal's records, from the index, folded once,
and the record files a JSON backup carries, read from disk), and writing an export document
to a file the user named. Renders nothing (render/export.py writes the document)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from peerlog.actions.journal import JournalSession
from peerlog.classes import dataclass
from peerlog.errors import Refused, StorageError
from peerlog.fold import EntryView
from peerlog.records import Record
from peerlog.store.publish import publish_new, replace_private


@dataclass(frozen=True, slots=True)
class Everything:
    """Every journal read whole: the entries they show, newest first, and, per journal, its
    records with the path of each one's file (below the journal's root)."""

    entries: list[EntryView]
    found: list[tuple[JournalSession, list[tuple[Record, str]]]]

    def record_files(self) -> Iterator[tuple[str | None, str]]:
        """(space or None, file text) of every record a backup holds: each journal's records
        as their exact files (signature and all), but what their authors deleted (`import
        peerlog` restores them). Read from disk where the index says each file is (a signed
        file cannot be made again from its parsed record), as they are asked for: a backup of
        thousands of records never holds all their files at once."""
        from peerlog.fold.backup import backup_records
        from peerlog.store.restore import file_of

        for session, found in self.found:
            where = {id(record): path for record, path in found}
            linked: dict[str, bool] = {}
            for record in backup_records(record for record, _ in found):
                data = file_of(session.store, where[id(record)], record, linked)
                try:
                    text = data.decode("utf-8") if data is not None else None
                except UnicodeDecodeError:
                    text = None  # changed since it was read (`doctor` says so): not its file
                if text is not None:
                    yield session.space, text


def read_everything(sessions: Sequence[JournalSession]) -> Everything:
    """Each journal's records from its index (one read), folded once: the entries a listing
    of everything shows, in the same order (newest first), and what their backup carries."""
    from peerlog.fold import fold_journal

    entries: list[EntryView] = []
    found = []
    for session in sessions:
        records = session.store.index.with_paths()
        found.append((session, records))
        entries += fold_journal((r for r, _ in records), space=session.space).entries
    entries.sort(key=EntryView.sort_key, reverse=True)
    return Everything(entries, found)


def write_export(path: Path, document: Iterable[str], *, force: bool) -> None:
    """Write `document` (its pieces, in order) to `path` (mode 0600: an export holds private
    entries).

    An existing file is only replaced with `force`, so an export never overwrites by accident.
    """
    data = "".join(document).encode("utf-8")
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
