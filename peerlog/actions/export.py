"""The record files a JSON backup carries (each journal's, read from disk), and writing an
export document to a file the user named."""

from __future__ import annotations

from pathlib import Path

from peerlog.actions.journal import JournalSession
from peerlog.errors import Refused, StorageError
from peerlog.store.publish import publish_new, replace_private


def record_files_of(session: JournalSession) -> list[str]:
    """Every record of one journal as its exact file (signature and all), but what its
    authors deleted, for the backup (`import peerlog` restores them). Read from disk on every
    export, where the index says each record's file is: a signed file cannot be made again
    from its parsed record."""
    from peerlog.fold.backup import backup_records
    from peerlog.store.restore import file_of

    store = session.store
    found = store.index.with_paths()
    where = {id(record): path for record, path in found}
    texts = []
    linked: dict[str, bool] = {}
    for record in backup_records(record for record, _ in found):
        data = file_of(store, where[id(record)], record, linked)
        if data is not None:
            texts.append(data.decode("utf-8"))
    return texts


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
