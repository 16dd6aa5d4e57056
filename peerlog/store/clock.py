"""This device's clock file and write lock for one record root, in the user cache dir.

The clock file remembers the highest logical clock this device has seen, so a write never reads
the history; losing it costs one scan on the next write. The lock is a local file lock (never in
a space) held while a clock is reserved and its records are published. Owns nothing else.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from peerlog.store.publish import ensure_dir, replace_private

CLOCK_NAME = "clock"
LOCK_NAME = "lock"


class DeviceClock:
    """The clock file and write lock kept in `folder`."""

    def __init__(self, folder: Path, *, durable: bool = True) -> None:
        self.folder = folder
        self.within = folder.parent  # the cache root: no link below it is ever written through
        self.durable = durable
        self._lock_depth = 0  # the lock is re-entrant for the thread holding it
        self._lock_owner: int | None = None

    def read(self) -> int | None:
        try:
            return int((self.folder / CLOCK_NAME).read_text("ascii").strip())
        except (OSError, ValueError):
            return None

    def write(self, value: int) -> None:
        data = f"{value}\n".encode("ascii")
        replace_private(self.folder / CLOCK_NAME, data, within=self.within, durable=self.durable)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold this root's write lock.

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
            # Windows has no fcntl: writes stay atomic, clocks may tie (ids break ties).
            with contextlib.suppress(ImportError):
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX)
            self._lock_depth, self._lock_owner = 1, threading.get_ident()
            try:
                yield
            finally:
                self._lock_depth, self._lock_owner = 0, None
        finally:
            os.close(fd)  # which releases the lock
