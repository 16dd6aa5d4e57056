"""Many files read at once by forked copies of this process: what a cold index build spends.

A cold read of a ten-year space opens, parses and checks the signature of 15,000 files, all of
it CPU in one process (libsodium's Ed25519 check is a third of it, TOML another). Threads do
not help: each small call releases and takes back the GIL, and two threads spent more time
fighting over it than they saved (3.0 s of `summary --space` cold became 4.1 s). So the work
is split by processes instead: `os.fork` copies of this one (Linux only; elsewhere, and with
one CPU, everything is read here) each read a share and send back what they found, pickled,
through a pipe only they and this process hold; this process reads the first share itself.

A copy never touches the index or any output: it reads files, writes to its pipe and leaves
with `os._exit`, so nothing of this process (open databases, buffered output, `atexit`) runs
twice. If a copy fails in any way (killed, out of memory, a short message), its share is read
here again: the answer is always that of reading every file in this process, in order.
Owns no record format (`read` is given) and no index.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

FORK_FROM = 500  # fewer files are read in this process: forking costs more than it saves
MAX_PARTS = 4  # at most this many processes read at once, this one included


def parts() -> int:
    """How many processes share the reading: one per CPU this process may use, at most
    `MAX_PARTS`; one where forking is not offered (not Linux) or not safe (another thread
    runs, and could hold a lock the copy would wait for forever)."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return min(cpus, MAX_PARTS)


def read_all(items: Sequence[T], read: Callable[[T], R]) -> list[R]:
    """`[read(item) for item in items]`, in order; at least `FORK_FROM` items are shared out
    among `parts()` processes."""
    count = parts() if len(items) >= FORK_FROM else 1
    if count == 1:
        return [read(item) for item in items]
    bounds = [len(items) * n // count for n in range(count + 1)]
    shares = [items[bounds[n] : bounds[n + 1]] for n in range(count)]
    copies = [_fork(share, read) for share in shares[1:]]
    found = [read(item) for item in shares[0]]
    for share, copy in zip(shares[1:], copies, strict=True):
        found += _collect(copy, share, read)
    return found


def _fork(share: Sequence[T], read: Callable[[T], R]) -> tuple[int, int] | None:
    """(pid, the pipe's reading end) of a copy reading `share`; None if none could be made."""
    try:
        readable, writable = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(readable)
        os.close(writable)
        return None
    if pid == 0:  # the copy: read, send, leave without running anything of the parent's
        status = 1
        try:
            import pickle

            os.close(readable)
            data = pickle.dumps([read(item) for item in share], pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writable, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(writable)
    return pid, readable


def _collect(copy: tuple[int, int] | None, share: Sequence[T], read: Callable[[T], R]) -> list[R]:
    """What `copy` read of `share`, or `share` read here if the copy did not send it whole."""
    if copy is not None:
        import pickle

        pid, readable = copy
        with os.fdopen(readable, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        try:  # from our own copy, by our pipe
            found: list[R] = pickle.loads(data) if status == 0 else []  # noqa: S301
        except Exception:  # cut short
            found = []
        if len(found) == len(share):
            return found
    return [read(item) for item in share]
