"""Tolerant reading of a record tree: `members/<member>/<device>/<yyyy>/<mm>/<id>.md`.

Only names of that exact shape are ever parsed; temp files, conflict copies, editor backups and
anything else are skipped without being opened. Symlinks are never followed. A file that cannot
be read, is too large, is malformed or claims another author or device than its folder becomes a
`Problem` naming the file, never an exception. Owns no index (see `index.py`) and no output.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from peerlog.classes import dataclass
from peerlog.records import Record, is_device_id, is_member_id
from peerlog.store.codec import (
    ConflictMarkers,
    MalformedRecord,
    SealedRecord,
    TamperedRecord,
    Undecryptable,
    decode_record,
)

if TYPE_CHECKING:
    from peerlog.store.seal import Seal

MEMBERS = "members"
MAX_RECORD_BYTES = 1024 * 1024  # documented in docs/storage.md
RECORD_NAME_RE = re.compile(r"([0-7][0-9a-hjkmnp-tv-z]{25})\.md")
YEAR_RE = re.compile(r"\d{4}")
MONTH_RE = re.compile(r"(0[1-9]|1[0-2])")
MISSING_ROOT = "the folder is missing (an unmounted drive, or not synced here yet)"
_TOO_LARGE = f"it is larger than {MAX_RECORD_BYTES // 1024} KiB, the record limit"


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that was skipped, and why (in words a person can act on)."""

    path: str  # relative to the record root, with '/' separators
    reason: str
    # malformed | tampered | misplaced | too-large | symlink | unreadable | missing |
    # conflict-markers | sealed (no key for it) | undecryptable; and from the trust fold
    # (fold/trust.py): forged | waiting | revoked | unsigned
    kind: str = "malformed"


def from_the_future(path: str, clock: int) -> Problem:
    """A record whose clock is beyond the bound (store/record_store.py): not counted yet."""
    reason = (
        f"its logical clock ({clock}) is more than a day ahead of this machine's time, "
        "so it is not counted until then"
    )
    return Problem(path, reason, "future-clock")


@dataclass(frozen=True, slots=True)
class MonthDir:
    """One leaf folder of the tree, where records live."""

    rel: str  # "members/<m>/<d>/<yyyy>/<mm>"
    where: str  # its path (a `Path` only when asked for: a refresh lists every month)
    member: str
    device: str

    @property
    def path(self) -> Path:
        return Path(self.where)


def _subdirs(
    path: str | Path,
    pattern: re.Pattern[str] | None = None,
    blocked: list[Problem] | None = None,
    root: Path | None = None,
) -> list[os.DirEntry[str]]:
    """The folders in `path` (not links to one) whose names match `pattern`, by name; when
    `path` cannot be read, a problem is added to `blocked` (named below `root`)."""
    try:
        with os.scandir(path) as listing:
            entries = [e for e in listing if pattern is None or pattern.fullmatch(e.name)]
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:  # unreadable (permissions, a broken disk, a name too long)
        if blocked is not None and root is not None:
            reason = "this folder could not be read ({}); its records are not shown"
            rel = Path(path).relative_to(root).as_posix()  # (every path here is below it)
            blocked.append(Problem(rel, reason.format(exc.strerror or exc), "unreadable"))
        return []
    found = []
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                found.append(entry)
        except OSError:
            continue
    return sorted(found, key=lambda entry: entry.name)


def _device_dirs(
    root: Path, blocked: list[Problem] | None = None
) -> Iterator[tuple[str, str, os.DirEntry[str]]]:
    """(member, device, folder) for each valid device folder under `root`, by name; folders
    that cannot be read are added to `blocked`.

    Never follows a link out of the folder, even at the top."""
    if (root / MEMBERS).is_symlink():
        return
    for member in _subdirs(root / MEMBERS, None, blocked, root):
        if not is_member_id(member.name):
            continue
        for device in _subdirs(member.path, None, blocked, root):
            if is_device_id(device.name):
                yield member.name, device.name, device


def month_dirs(root: Path, blocked: list[Problem] | None = None) -> list[tuple[MonthDir, int]]:
    """Every record folder under `root` and its modification time, members and devices by
    name, months in order; folders that cannot be read are added to `blocked`. One directory
    read per year and one stat per month, no file read (every view reads this first, to know
    whether it still holds)."""
    found: list[tuple[MonthDir, int]] = []
    for member, device, device_dir in _device_dirs(root, blocked):
        for year in _subdirs(device_dir.path, YEAR_RE, blocked, root):
            prefix = f"{MEMBERS}/{member}/{device}/{year.name}/"
            for month in _subdirs(year.path, MONTH_RE, blocked, root):
                try:
                    mtime_ns = month.stat(follow_symlinks=False).st_mtime_ns
                except OSError:
                    continue
                found.append((MonthDir(prefix + month.name, month.path, member, device), mtime_ns))
    return found


def newest_month_dirs(root: Path) -> list[MonthDir]:
    """For each device folder under `root`, its newest month folder (where its newest records
    are). Costs a few directory listings per device, however long the history."""
    found: list[MonthDir] = []
    for member, device, device_dir in _device_dirs(root):
        for year in reversed(_subdirs(device_dir.path, YEAR_RE)):
            months = _subdirs(year.path, MONTH_RE)
            if months:
                rel = f"{MEMBERS}/{member}/{device}/{year.name}/{months[-1].name}"
                found.append(MonthDir(rel, months[-1].path, member, device))
                break
    return found


def newest_record_names(month: MonthDir) -> list[str]:
    """The record files with the newest time in their id (normally one; several when written
    in the same millisecond) in a month folder, unread."""
    try:
        names = [e.name for e in os.scandir(month.where) if RECORD_NAME_RE.fullmatch(e.name)]
    except OSError:
        return []
    newest = max(names, default="")[:10]  # the first ten characters of an id are its time
    return [name for name in names if name.startswith(newest)]


def record_files(month: MonthDir) -> list[tuple[str, int, int]]:
    """(name, size, mtime_ns) of each record-shaped regular file in a month folder (none when
    it cannot be read: `doctor` names such a folder)."""
    try:
        entries = list(os.scandir(month.where))
    except OSError:
        return []
    files = []
    for entry in entries:
        if not RECORD_NAME_RE.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
            files.append((entry.name, info.st_size, info.st_mtime_ns))
    return files


def read_record(
    month: MonthDir, name: str, size: int, seal: Seal | None = None
) -> Record | Problem:
    """Read and check one record file (opening it with `seal`'s keys, if it is sealed);
    every failure becomes a Problem."""
    rel = f"{month.rel}/{name}"
    if size > MAX_RECORD_BYTES:
        return Problem(rel, _TOO_LARGE, "too-large")
    path = os.path.join(month.where, name)
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError as exc:
        if os.path.islink(path):
            return Problem(rel, "it is a symbolic link; records must be plain files", "symlink")
        return Problem(rel, f"it could not be opened ({exc.strerror})", "unreadable")
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return Problem(rel, "it is not a regular file", "unreadable")
        data = _read_at_most(fd, MAX_RECORD_BYTES + 1)
    except OSError as exc:
        return Problem(rel, f"it could not be read ({exc.strerror})", "unreadable")
    finally:
        os.close(fd)
    if len(data) > MAX_RECORD_BYTES:
        return Problem(rel, _TOO_LARGE, "too-large")
    try:
        # (the plain call stays as it was: what counts decodes wraps it)
        record = decode_record(data) if seal is None else decode_record(data, seal)
    except MalformedRecord as exc:
        kind = next((k for cls, k in _KINDS if isinstance(exc, cls)), "malformed")
        return Problem(rel, str(exc), kind)
    return check_placement(record, month, name, rel)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_KINDS = (  # the problem a file is, by what decoding it raised
    (TamperedRecord, "tampered"),
    (SealedRecord, "sealed"),
    (Undecryptable, "undecryptable"),
    (ConflictMarkers, "conflict-markers"),
)


def _read_at_most(fd: int, limit: int) -> bytes:
    """Up to `limit` bytes of an open file, read without a buffered file object (a cold
    read opens every record: 15,000 of them in a ten-year space)."""
    chunks, size = [], 0
    while size < limit:
        chunk = os.read(fd, limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def check_placement(record: Record, month: MonthDir, name: str, rel: str) -> Record | Problem:
    """A record must sit in its own author's and device's folder, under its own id."""
    if record.id + ".md" != name:
        return Problem(rel, f"its id {record.id} does not match its file name", "misplaced")
    if record.author != month.member:
        return Problem(
            rel,
            f"it claims to be written by '{record.author}' but is in '{month.member}'s folder",
            "misplaced",
        )
    if record.device != month.device:
        return Problem(
            rel, f"it claims device '{record.device}' but is in '{month.device}'", "misplaced"
        )
    return record


def read_tree(
    root: Path, must_exist: bool = True, seal: Seal | None = None
) -> tuple[list[Record], list[Problem]]:
    """Every record under `root` read from disk now, and every file or folder skipped: what
    `doctor` checks, never what any cache remembers."""
    if must_exist and not root.is_dir():
        return [], [Problem(".", MISSING_ROOT, "missing")]
    records: list[Record] = []
    problems: list[Problem] = []
    for month, _mtime in month_dirs(root, problems):
        for name, size, _file_mtime in record_files(month):
            item = read_record(month, name, size, seal)
            if isinstance(item, Problem):
                problems.append(item)
            else:
                records.append(item)
    return records, problems
