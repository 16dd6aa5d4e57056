"""A cache of parsed records, per record root, in the user cache dir (DESIGN §2.5).

Records are immutable, so a parsed record stays valid as long as its file is there with the same
size and mtime. Whole month folders are reused when the folder's mtime has not changed since a
scan that happened well after it (the "racily clean" rule git uses, so coarse file-system clocks
cannot hide a new file). The cache can be deleted at any time: the next run rebuilds it.

The index is a pickle read by an unpickler that only accepts peerlog's record classes and
datetimes, so a tampered cache cannot run code. Never lives in a space; never holds anything a
scan cannot recompute.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import field
from pathlib import Path
from typing import Any

from peerlog import __version__
from peerlog.classes import dataclass
from peerlog.store.publish import LinkRefused, ensure_dir, replace_private
from peerlog.store.scan import Problem

CACHE_FORMAT = 6
RACY_NS = 3_000_000_000  # a folder changed less than 3 s before its scan is re-listed next time
INDEX_NAME = "records.pickle"
VIEWS_DIR = "views"
CLOCK_NAME = "clock"
LOCK_NAME = "lock"

_ALLOWED = {
    ("peerlog.records.model", "Entry"),
    ("peerlog.records.model", "Revision"),
    ("peerlog.records.model", "Deletion"),
    ("peerlog.records.model", "Reply"),
    ("peerlog.records.model", "Profile"),
    ("peerlog.records.model", "UnknownRecord"),
    *(
        ("peerlog.records.goals", name)
        for name in (
            "GoalProposal",
            "GoalAmend",
            "GoalAccept",
            "GoalDecline",
            "GoalLog",
            "GoalRest",
            "GoalComplete",
            "GoalReopen",
            "GoalWithdraw",
        )
    ),
    *(("peerlog.records.dialogue", n) for n in ("Checkin", "Agreement", "Resource", "Helped")),
    *(
        ("peerlog.records.membership", n)
        for n in ("Admission", "DeviceApproval", "DeviceRevocation", "Vouch", "Leave")
    ),
    ("peerlog.store.scan", "Problem"),
    ("peerlog.store.cache", "MonthEntry"),
    ("peerlog.store.cache", "SlicedMonth"),
    ("datetime", "datetime"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
    ("datetime", "date"),
    ("datetime", "time"),
    ("copyreg", "__newobj__"),
    ("copyreg", "_reconstructor"),
    ("builtins", "object"),
}


def _safe_load(handle: io.BufferedReader, extra: frozenset[tuple[str, str]] = frozenset()) -> Any:
    import pickle  # only reads pay for it; the write path never loads the index

    allowed = _ALLOWED | extra if extra else _ALLOWED

    class SafeUnpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if (module, name) not in allowed:
                raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
            return super().find_class(module, name)

    return SafeUnpickler(handle).load()


@dataclass(slots=True)
class MonthEntry:
    """What one scan of a month folder found."""

    mtime_ns: int
    scanned_ns: int
    files: dict[str, tuple[int, int, Any]] = field(default_factory=dict)  # name -> size, mtime, R|P

    def trusted(self, mtime_ns: int) -> bool:
        return mtime_ns == self.mtime_ns and self.scanned_ns - mtime_ns > RACY_NS


@dataclass(frozen=True, slots=True)
class SlicedMonth:
    """A month folder in a view's slices, packed: what its files are (names, sizes, mtimes)
    and the items the view reads, kept by name. Any other file is a record of a type the view
    does not read, and its id is its name less ".md". Reading a month costs three strings and
    a small dict however many files it holds; only a month that changed is unpacked."""

    mtime_ns: int
    scanned_ns: int
    names: str  # one per line, in the order of `sizes` and `mtimes`
    sizes: bytes  # signed 64-bit integers in the machine's order (the cache never travels)
    mtimes: bytes
    kept: dict[str, Any]  # name -> Record | Problem

    def trusted(self, mtime_ns: int) -> bool:
        return mtime_ns == self.mtime_ns and self.scanned_ns - mtime_ns > RACY_NS

    def file_names(self) -> list[str]:
        return self.names.split("\n") if self.names else []

    @classmethod
    def pack(cls, entry: MonthEntry) -> SlicedMonth:
        from array import array

        files = entry.files
        return cls(
            entry.mtime_ns,
            entry.scanned_ns,
            "\n".join(files),
            array("q", [size for size, _, _ in files.values()]).tobytes(),
            array("q", [mtime for _, mtime, _ in files.values()]).tobytes(),
            {name: item for name, (_, _, item) in files.items() if not isinstance(item, str)},
        )

    def unpack(self) -> MonthEntry:
        """The month as the index holds it (other records as their ids)."""
        from array import array

        sizes, mtimes = array("q", self.sizes), array("q", self.mtimes)
        kept = self.kept
        return MonthEntry(
            self.mtime_ns,
            self.scanned_ns,
            {
                name: (size, mtime, kept[name] if name in kept else name[:-3])
                for name, size, mtime in zip(self.file_names(), sizes, mtimes, strict=True)
            },
        )


def _slices_well_formed(months: object) -> bool:
    """The outer shape of a view's slices: month -> SlicedMonth, its parts of their types and
    of one length."""
    return isinstance(months, dict) and all(
        isinstance(rel, str)
        and isinstance(entry, SlicedMonth)
        and type(entry.mtime_ns) is int
        and type(entry.scanned_ns) is int
        and type(entry.names) is str
        and type(entry.sizes) is bytes
        and type(entry.mtimes) is bytes
        and isinstance(entry.kept, dict)
        and len(entry.sizes) == len(entry.mtimes) == 8 * len(entry.file_names())
        for rel, entry in months.items()
    )


def _months_well_formed(months: object) -> bool:
    """The outer shape of an index: month -> MonthEntry with a dict of files."""
    return isinstance(months, dict) and all(
        isinstance(rel, str)
        and isinstance(entry, MonthEntry)
        and type(entry.mtime_ns) is int
        and type(entry.scanned_ns) is int
        and isinstance(entry.files, dict)
        for rel, entry in months.items()
    )


def _well_formed(months: object) -> bool:
    """The whole shape of an index: the outer shape, and every file a parsed record or a
    Problem with its size and mtime."""
    from peerlog.records import Record

    if not _months_well_formed(months):
        return False
    assert isinstance(months, dict)
    return all(
        isinstance(name, str)
        and isinstance(item, tuple)
        and len(item) == 3
        and isinstance(item[0], int)
        and isinstance(item[1], int)
        and isinstance(item[2], Record | Problem)
        for entry in months.values()
        for name, item in entry.files.items()
    )


class RecordCache:
    """The on-disk index for one record root."""

    def __init__(self, folder: Path, *, durable: bool = True) -> None:
        self.folder = folder
        self.within = folder.parent  # the cache root: no link below it is ever written through
        self.durable = durable
        self.months: dict[str, MonthEntry] = {}
        self.dirty = False
        self._lock_depth = 0  # the lock is re-entrant for the thread holding it
        self._lock_owner: int | None = None

    def load(self) -> None:
        try:
            with open(self.folder / INDEX_NAME, "rb") as handle:
                payload = _safe_load(io.BufferedReader(handle))
        except (OSError, EOFError):
            return
        except Exception:  # a corrupt or foreign cache is simply rebuilt
            self.dirty = True
            return
        if (
            isinstance(payload, dict)
            and payload.get("format") == CACHE_FORMAT
            and payload.get("version") == __version__
            and _well_formed(payload.get("months"))
        ):
            self.months = payload["months"]
        else:
            self.dirty = True  # a cache of another shape is rebuilt, never trusted

    def save(self) -> None:
        if not self.dirty:
            return
        import pickle

        payload = {"format": CACHE_FORMAT, "version": __version__, "months": self.months}
        # A cache that cannot be written costs speed, never data (and never a command).
        with contextlib.suppress(OSError, LinkRefused, RecursionError, pickle.PicklingError):
            # Not fsynced: an index torn by a crash fails to load and is rebuilt by one scan.
            data = pickle.dumps(payload, protocol=5)
            replace_private(self.folder / INDEX_NAME, data, within=self.within, durable=False)
        self.dirty = False

    def forget(self) -> None:
        """Drop every parsed record and view (a file changed in place: read them all again)."""
        import shutil

        self.months = {}
        self.dirty = True
        self.save()
        shutil.rmtree(self.folder / VIEWS_DIR, ignore_errors=True)

    def view_path(self, name: str) -> Path:
        return self.folder / VIEWS_DIR / f"{name}.pickle"

    def _made_for_path(self, name: str) -> Path:
        return self.folder / VIEWS_DIR / f"{name}.made-for"

    def load_view(
        self, name: str, classes: frozenset[tuple[str, str]], made_for: object
    ) -> tuple[list[Problem], object] | None:
        """A view saved for exactly `made_for` (folders, name and key): (problems, value), or
        None. Unpickled with the record classes and `classes` allowed, nothing else.

        `made_for` is also kept beside the view, as bytes, so a view saved for other folders
        (the usual case right after a write) is passed over without unpickling its value."""
        import pickle

        try:
            kept_for = self._made_for_path(name).read_bytes()
            if kept_for != pickle.dumps(made_for, protocol=5):
                return None
            with open(self.view_path(name), "rb") as handle:
                payload = _safe_load(io.BufferedReader(handle), classes)
        except OSError:
            return None
        except Exception:  # a corrupt view, or one of foreign types, is recomputed
            return None
        if not (
            isinstance(payload, tuple)
            and len(payload) == 5
            and payload[0] == CACHE_FORMAT
            and payload[1] == __version__
            and payload[2] == made_for
            and isinstance(payload[3], list)
            and all(isinstance(p, Problem) for p in payload[3])
        ):
            return None
        return payload[3], payload[4]

    def save_view(
        self, name: str, made_for: object, problems: list[Problem], value: object
    ) -> None:
        import pickle

        payload = (CACHE_FORMAT, __version__, made_for, problems, value)
        with contextlib.suppress(OSError, LinkRefused, RecursionError, pickle.PicklingError):
            ensure_dir(self.folder / VIEWS_DIR, 0o700, within=self.within)
            data = pickle.dumps(payload, protocol=5)
            # Never fsynced: a view torn by a crash fails to load and is simply recomputed.
            replace_private(self.view_path(name), data, within=self.within, durable=False)
            replace_private(
                self._made_for_path(name),
                pickle.dumps(made_for, protocol=5),
                within=self.within,
                durable=False,
            )

    def slices_path(self, name: str) -> Path:
        return self.folder / VIEWS_DIR / f"{name}.slices.pickle"

    def load_slices(
        self, name: str, classes: frozenset[tuple[str, str]]
    ) -> tuple[dict[str, SlicedMonth], bool] | None:
        """A view's slices of the index (see RecordStore.view), and whether every file name
        in them was unique when they were saved; or None."""
        try:
            with open(self.slices_path(name), "rb") as handle:
                payload = _safe_load(io.BufferedReader(handle), classes)
        except OSError:
            return None
        except Exception:  # corrupt or foreign: the view is computed from a full read
            return None
        if (
            isinstance(payload, tuple)
            and len(payload) == 4
            and payload[0] == CACHE_FORMAT
            and payload[1] == __version__
            and _slices_well_formed(payload[2])
            and type(payload[3]) is bool
        ):
            return payload[2], payload[3]  # kept items: checked as they are read
        return None

    def save_slices(self, name: str, months: dict[str, SlicedMonth], unique: bool) -> None:
        import pickle

        with contextlib.suppress(OSError, LinkRefused, RecursionError, pickle.PicklingError):
            ensure_dir(self.folder / VIEWS_DIR, 0o700, within=self.within)
            data = pickle.dumps((CACHE_FORMAT, __version__, months, unique), protocol=5)
            replace_private(self.slices_path(name), data, within=self.within, durable=False)

    def read_clock(self) -> int | None:
        try:
            return int((self.folder / CLOCK_NAME).read_text("ascii").strip())
        except (OSError, ValueError):
            return None

    def write_clock(self, value: int) -> None:
        data = f"{value}\n".encode("ascii")
        replace_private(self.folder / CLOCK_NAME, data, within=self.within, durable=self.durable)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold this root's write lock (a local file lock; never in a space).

        Re-entrant: a scan started while publishing (the clock file was lost) must not wait
        for the lock its own caller holds.
        """
        if self._lock_depth and self._lock_owner == threading.get_ident():
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        ensure_dir(self.folder, 0o700, within=self.within)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.folder / LOCK_NAME, flags, 0o600)
        try:
            try:
                import fcntl
            except ImportError:  # Windows: writes stay atomic, clocks may tie (ids break ties)
                self._lock_depth, self._lock_owner = 1, threading.get_ident()
                try:
                    yield
                finally:
                    self._lock_depth, self._lock_owner = 0, None
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._lock_depth, self._lock_owner = 1, threading.get_ident()
            try:
                yield
            finally:
                self._lock_depth, self._lock_owner = 0, None
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def now_ns() -> int:
    return time.time_ns()


__all__ = ["MonthEntry", "Problem", "RecordCache", "now_ns"]
