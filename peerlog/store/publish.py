"""Atomic, create-only file writes (DESIGN §2.4).

A record is written to a dot-named temp file in its final directory, flushed and fsynced, then
published with a hard link that fails rather than overwrite, and the directory is fsynced. Readers
and sync engines never see a partial record, and nothing peerlog publishes can replace a file.
Owns nothing but bytes on disk: knows no record types, no Rich, no Typer.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

# Temp names that readers skip and sync engines ignore: a dot-name (Syncthing and git get an
# ignore pattern in the space), `.~` prefix (ignored by Dropbox), `.part` suffix (ignored by
# Nextcloud/ownCloud clients).
TEMP_PREFIX = ".~peerlog-"
TEMP_SUFFIX = ".part"


def is_temp_name(name: str) -> bool:
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


def ensure_dir(path: Path, mode: int) -> None:
    """Create `path` and its missing parents with `mode` (and fsync each new directory's parent)."""
    missing: list[Path] = []
    probe = path
    while not probe.is_dir():
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=mode)
            os.chmod(directory, mode)  # mkdir's mode is masked by the umask
        fsync_dir(directory.parent)


def fsync_dir(path: Path) -> None:
    """Make a directory's new entries durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def publish_new(
    path: Path,
    data: bytes,
    *,
    file_mode: int = 0o644,
    dir_mode: int = 0o755,
    durable: bool = True,
    sync_folder: bool = True,
) -> None:
    """Write `data` to `path`, which must not exist yet. Raises FileExistsError if it does.

    `sync_folder=False` leaves the folder's fsync to the caller (who syncs it once for many).

    `durable=False` skips the fsyncs: only for sandboxes and generated test data, where a
    crash loses nothing of value (the tour, benchmarks).
    """
    ensure_dir(path.parent, dir_mode)
    temp = path.parent / f"{TEMP_PREFIX}{os.urandom(8).hex()}{TEMP_SUFFIX}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fchmod(fd, file_mode)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, path)
        except FileExistsError:
            raise
        except OSError:
            # Some file systems (FAT, some network mounts) have no hard links: fall back to a
            # create-only rename, still refusing to overwrite.
            _publish_without_link(temp, path)
            return
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    if durable and sync_folder:
        fsync_dir(path.parent)


def _publish_without_link(temp: Path, path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)  # claims the name so a concurrent writer cannot
    os.replace(temp, path)
    fsync_dir(path.parent)


def replace_private(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Atomically replace a private file in the home or cache (config, cache index): 0600."""
    ensure_dir(path.parent, 0o700)
    temp = path.parent / f"{TEMP_PREFIX}{os.urandom(8).hex()}{TEMP_SUFFIX}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    if durable:
        fsync_dir(path.parent)
