"""Putting record files back from a backup (`peerlog import peerlog`): exact bytes, each where
peerlog files its record (its author's and device's folder, the month of its `created`).

Owns only bytes on disk: the caller has decoded and checked every record (`decode_record`)
before anything here runs. Never overwrites a file: one that is already there with the same
bytes is simply there; one with other bytes under the same name is reported, not replaced.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from peerlog.classes import dataclass
from peerlog.errors import StorageError
from peerlog.records import Record
from peerlog.store.publish import fsync_dir, publish_new, read_plain_file
from peerlog.store.record_store import RecordStore
from peerlog.store.scan import MAX_RECORD_BYTES


@dataclass(frozen=True, slots=True)
class RestorePlan:
    """What restoring into one store would do, worked out without writing anything."""

    store: RecordStore
    todo: tuple[tuple[Record, bytes], ...]  # files to write
    already: int  # files already there with the same bytes
    clashes: tuple[str, ...]  # files already there with other bytes (relative paths)


def plan_restore(store: RecordStore, copies: Sequence[tuple[Record, bytes]]) -> RestorePlan:
    todo: list[tuple[Record, bytes]] = []
    clashes: list[str] = []
    already = 0
    seen: set[Path] = set()
    for record, data in copies:
        path = store.path_for(record)
        if path in seen:
            continue  # the same record twice in one backup
        seen.add(path)
        existing = b"" if _linked(path, store.within) else _existing(path)
        if existing is None:
            todo.append((record, data))
        elif existing == data:
            already += 1
        else:
            clashes.append(path.relative_to(store.root).as_posix())
    return RestorePlan(store, tuple(todo), already, tuple(clashes))


def _linked(path: Path, within: Path) -> bool:
    """Whether a folder between `within` and `path` is a symbolic link (where publishing
    refuses to write: found here, before anything is written, it is reported as a clash)."""
    try:
        parts = path.parent.relative_to(within).parts
    except ValueError:
        return True
    current = within
    for part in parts:
        current = current / part
        if current.is_symlink():
            return True
    return False


def _existing(path: Path) -> bytes | None:
    try:
        if path.is_symlink():
            return b""  # never the same bytes: reported as a clash, never followed
        with path.open("rb") as handle:
            return handle.read(MAX_RECORD_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"Could not read {path}: {exc.strerror}.") from None


def file_of(
    store: RecordStore, path: str, record: Record, linked: dict[str, bool] | None = None
) -> bytes | None:
    """The exact bytes of `record`'s file at `path` (below the store's root, as the index
    keeps it: signature and all), for a backup; None when that file is missing, a link,
    passes through one, or names another record. `linked` remembers which folders were
    found to pass through a link, so a folder is checked once.

    The file is not parsed again (a backup of ten thousand records would pay for every parse
    and signature twice): its envelope lines must name this record, and `import peerlog`
    checks every file as a reader would before it writes anything."""
    folder = path.rpartition("/")[0]
    linked = {} if linked is None else linked
    if folder not in linked:
        linked[folder] = _linked(store.root / path, store.within)
    if linked[folder]:
        return None
    try:
        data = read_plain_file(f"{store.root}/{path}", MAX_RECORD_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_RECORD_BYTES or not _names(data, record):
        return None
    return data


def _names(data: bytes, record: Record) -> bool:
    """Whether a record file's front matter names `record`'s id, author and device."""
    end = data.find(b"\n+++")  # searched in place: a split copies the whole file
    if end < 0:
        end = len(data)
    return (
        data.find(f'\nid = "{record.id}"'.encode(), 0, end) >= 0
        and data.find(f'\nauthor = "{record.author}"'.encode(), 0, end) >= 0
        and data.find(f'\ndevice = "{record.device}"'.encode(), 0, end) >= 0
    )


def carry_out(plan: RestorePlan) -> int:
    """Write the plan's files (atomic, create-only), then make the store's next clock follow
    the restored records. Returns how many files were written."""
    store = plan.store
    folders: set[Path] = set()
    try:
        with store.clock.locked():
            for record, data in plan.todo:
                path = store.path_for(record)
                publish_new(
                    path,
                    data,
                    within=store.within,
                    file_mode=store.file_mode,
                    dir_mode=store.dir_mode,
                    durable=store.durable,
                    sync_folder=False,
                )
                folders.add(path.parent)
            highest = max((record.clock for record, _ in plan.todo), default=0)
            if highest > (store.clock.read() or 0):
                store.clock.write(highest)
            if store.durable:
                for folder in folders:
                    fsync_dir(folder)
    except FileExistsError as exc:
        raise StorageError(f"A record named {exc.filename} appeared while restoring.") from None
    except OSError as exc:
        raise StorageError(
            f"Could not write to {exc.filename or store.root}: {exc.strerror}."
        ) from None
    finally:
        if plan.todo:
            store.index.changed()  # look at the folders again before the next read
    return len(plan.todo)
