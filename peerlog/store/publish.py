"""Atomic, create-only file writes that never pass through a link (DESIGN §2.4).

A record is written to a dot-named temp file in its final directory, flushed and fsynced, then
published with a hard link that fails rather than overwrite, and the directory is fsynced. Readers
and sync engines never see a partial record, and nothing peerlog publishes can replace a file.

Every writer names the folder it writes `within` (a space, the home, the cache folder): each
folder below it is opened one component at a time, never through a symbolic link (`O_NOFOLLOW`
and `dir_fd`, so a link swapped in while writing is refused too), and the file is made in the
folder that was opened. A link on the way is a StorageError (exit 7); nothing is written.
Small files are read the same careful way (`read_plain_file`). Owns nothing but bytes on disk:
knows no record types, no Rich, no Typer.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from peerlog.errors import StorageError

# Temp names that readers skip and sync engines ignore: a dot-name (Syncthing and git get an
# ignore pattern in the space), `.~` prefix (ignored by Dropbox), `.part` suffix (ignored by
# Nextcloud/ownCloud clients).
TEMP_PREFIX = ".~peerlog-"
TEMP_SUFFIX = ".part"

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
# Where the platform cannot open relative to a folder (Windows), each component is checked
# with lstat instead and files are opened by path.
_AT = os.open in os.supports_dir_fd and os.mkdir in os.supports_dir_fd


def is_temp_name(name: str) -> bool:
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


class NotARegularFile(OSError):
    """A FIFO, socket or device where a plain file belongs."""


def read_plain_file(path: Path | str, limit: int) -> bytes:
    """Up to `limit` bytes of the plain file `path`, never through a link and never blocking:
    a FIFO planted under its name would otherwise wait forever for a writer. Raises OSError
    (NotARegularFile for anything but a plain file)."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotARegularFile("it is not a plain file (a named pipe, socket or device)")
        return handle.read(limit)


class LinkRefused(StorageError):
    """A write would have gone through a symbolic link."""


def _refuse(path: Path, within: Path) -> LinkRefused:
    return LinkRefused(
        f"Refused to write through {path}: it is a symbolic link or not a folder, and peerlog "
        f"never writes through links inside {within}.",
        hint="Nothing was written. Run `peerlog doctor` to see where it points, then replace "
        "it with a plain folder (or remove it) if you did not make it.",
    )


def _make_root(root: Path, mode: int) -> None:
    """Create `root` and its missing parents with `mode`; where it sits is the user's choice."""
    missing: list[Path] = []
    probe = root
    while not probe.is_dir():
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=mode)
            os.chmod(directory, mode)  # mkdir's mode is masked by the umask
        fsync_dir(directory.parent)


@contextlib.contextmanager
def open_folder(folder: Path, *, within: Path, mode: int) -> Iterator[int | None]:
    """The folder `folder`, reached from `within` without following a link and created (with
    `mode`) where missing: yields its descriptor (None where the platform has no `dir_fd`)."""
    try:
        parts = folder.relative_to(within).parts
    except ValueError:
        raise StorageError(f"Refused to write {folder}: it is outside {within}.") from None
    _make_root(within, mode)
    if not _AT:
        _check_by_path(within, parts, mode)
        yield None
        return
    fd = os.open(within, _DIRECTORY)
    try:
        current = within
        for part in parts:
            current = current / part
            fd = _step(fd, current, mode, within)
        yield fd
    finally:
        os.close(fd)


def _step(parent: int, path: Path, mode: int, within: Path) -> int:
    """Open (creating it if missing) the folder `path`, a name in the open `parent`, and close
    `parent`; on failure `parent` stays open (its caller closes it)."""
    name, created = path.name, False
    while True:
        try:
            child = os.open(name, _DIRECTORY | _NOFOLLOW, dir_fd=parent)
            break
        except FileNotFoundError:
            if created:
                raise
            with contextlib.suppress(FileExistsError):  # made meanwhile by another writer
                os.mkdir(name, mode, dir_fd=parent)
                created = True
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                raise _refuse(path, within) from None
            raise
    try:
        if created:
            os.fchmod(child, mode)  # mkdir's mode is masked by the umask
            with contextlib.suppress(OSError):
                os.fsync(parent)
    except OSError:
        os.close(child)
        raise
    os.close(parent)
    return child


def _check_by_path(within: Path, parts: tuple[str, ...], mode: int) -> None:
    current = within
    for part in parts:
        current = current / part
        with contextlib.suppress(FileExistsError):
            current.mkdir(mode=mode)
        if current.is_symlink() or not current.is_dir():
            raise _refuse(current, within)


def ensure_dir(path: Path, mode: int, *, within: Path) -> None:
    """Create `path` below `within` (never through a link) with `mode`."""
    with open_folder(path, within=within, mode=mode):
        pass


def fsync_dir(path: Path) -> None:
    """Make a directory's new entries durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, _DIRECTORY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    os.close(fd)


def _at(folder: int | None, path: Path, name: str) -> str:
    """`name` relative to the open `folder`, or the whole path where there is none."""
    return name if folder is not None else str(path / name)


_CREATE_ONLY = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW


@contextlib.contextmanager
def _staged(
    path: Path, data: bytes, within: Path, file_mode: int, dir_mode: int, durable: bool, sync: bool
) -> Iterator[tuple[int | None, str, str]]:
    """`data` in a temp file beside `path`: yields (the folder, the temp's name and `path`'s,
    both relative to the folder) for the caller to put it in place; the temp file is removed
    afterwards, and the folder synced when all went well."""
    with open_folder(path.parent, within=within, mode=dir_mode) as folder:
        temp = _at(folder, path.parent, f"{TEMP_PREFIX}{os.urandom(8).hex()}{TEMP_SUFFIX}")
        fd = os.open(temp, _CREATE_ONLY, 0o600, dir_fd=folder)
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
            yield folder, temp, _at(folder, path.parent, path.name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp, dir_fd=folder)
        if durable and sync:
            if folder is None:
                fsync_dir(path.parent)
            else:
                with contextlib.suppress(OSError):
                    os.fsync(folder)


def publish_new(
    path: Path,
    data: bytes,
    *,
    within: Path,
    file_mode: int = 0o644,
    dir_mode: int = 0o755,
    durable: bool = True,
    sync_folder: bool = True,
) -> None:
    """Write `data` to `path`, which must not exist yet. Raises FileExistsError if it does,
    and LinkRefused (a StorageError) if a folder between `within` and `path` is a link.

    `sync_folder=False` leaves the folder's fsync to the caller (who syncs it once for many).

    `durable=False` skips the fsyncs: only for sandboxes and generated test data, where a
    crash loses nothing of value (the tour, benchmarks).
    """
    staged = _staged(path, data, within, file_mode, dir_mode, durable, sync_folder)
    with staged as (folder, temp, target):
        try:
            os.link(temp, target, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
        except FileExistsError:
            raise
        except OSError:
            # Some file systems (FAT, some network mounts) have no hard links: fall back to
            # a create-only rename, still refusing to overwrite.
            claim = os.open(target, _CREATE_ONLY, 0o600, dir_fd=folder)
            os.close(claim)  # claims the name so a concurrent writer cannot
            os.replace(temp, target, src_dir_fd=folder, dst_dir_fd=folder)


def replace_private(path: Path, data: bytes, *, within: Path, durable: bool = True) -> None:
    """Atomically replace a private file in the home or cache (config, cache index): 0600.
    A link at `path` itself is replaced, never followed."""
    with _staged(path, data, within, 0o600, 0o700, durable, True) as (folder, temp, target):
        os.replace(temp, target, src_dir_fd=folder, dst_dir_fd=folder)
