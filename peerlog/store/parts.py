"""Many files read at once by forked copies of this process: what a cold index build spends.

A cold read of a ten-year space opens, parses and checks the signature of 15,000 files, all of
it CPU in one process (libsodium's Ed25519 check is a third of it, TOML another). Threads do
not help: each small call releases and takes back the GIL, and two threads spent more time
fighting over it than they saved (3.0 s of `summary --space` cold became 4.1 s). So the work
is split by processes instead: `os.fork` copies of this one (Linux only; elsewhere, and with
one CPU, everything is read here) each read a share and send back what they found, pickled, a
chunk at a time, through a pipe only they and this process hold. This process meanwhile takes
each result in order as it arrives (the index writes it), so its own work overlaps theirs.

A copy never touches the index or any output: it reads files, writes to its pipe and leaves
with `os._exit`, so nothing of this process (open databases, buffered output, `atexit`) runs
twice. If a copy fails in any way (killed, out of memory, a short message), what it did not
send is read here: the answer is always that of reading every file in this process, in order.
Owns no record format (`read` is given) and no index.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, cast

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")
R = TypeVar("R")

FORK_FROM = 500  # fewer files are read in this process: forking costs more than it saves
MAX_PARTS = 4  # at most this many copies read at once
CHUNK = 100  # results a copy sends at a time


def parts() -> int:
    """How many copies share the reading: one per CPU this process may use, at most
    `MAX_PARTS`; one (read here) where forking is not offered (not Linux) or not safe
    (another thread runs, and could hold a lock the copy would wait for forever)."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return min(cpus, MAX_PARTS)


def read_each(items: Sequence[T], read: Callable[[T], R]) -> Generator[R, None, None]:
    """`read(item)` of each item, in order. At least `FORK_FROM` items are shared out among
    `parts()` copies, made at once, before the first result is asked for; fewer are read
    here, one as each is asked for. Closing it ends the copies still reading."""
    count = parts() if len(items) >= FORK_FROM else 1
    if count == 1:
        return (read(item) for item in items)
    bounds = [len(items) * n // count for n in range(count + 1)]
    shares = [items[bounds[n] : bounds[n + 1]] for n in range(count)]
    copies = _Copies()
    for share in shares:
        copies.start(share, read)
    reading = _in_order(copies, shares, read)
    next(reading)  # into its `try` now: closing it, even before a result, ends the copies
    return reading


def _in_order(
    copies: _Copies, shares: list[Sequence[T]], read: Callable[[T], R]
) -> Generator[R, None, None]:
    try:
        yield cast(R, None)  # the start, taken by read_each: not a result
        for number, share in enumerate(shares):
            done = 0
            for chunk in copies.chunks(number):
                if done + len(chunk) > len(share):
                    copies.end(number)
                    break  # more than it was given: not ours to trust
                yield from chunk
                done += len(chunk)
            yield from map(read, share[done:])  # what the copy did not send
    finally:
        copies.stop()


class _Copies:
    """The copies made, their pipes, and what each has sent that was not yet taken."""

    def __init__(self) -> None:
        self.pids: list[int | None] = []
        self.pipes: list[Connection | None] = []  # reading ends, None once closed
        self.sent: list[deque[list[Any]]] = []

    def start(self, share: Sequence[T], read: Callable[[T], R]) -> None:
        """Make a copy reading `share` (a copy that cannot be made sends nothing)."""
        from multiprocessing.connection import Pipe  # 18 ms: only a cold build shares out

        pid: int | None = None
        pipe: Connection | None = None
        try:
            readable, writable = Pipe(duplex=False)
        except OSError:
            pass
        else:
            try:
                pid = os.fork()
            except OSError:
                readable.close()
            else:
                if pid == 0:
                    self._copy(share, read, readable, writable)  # never returns
                pipe = readable
            writable.close()
        self.pids.append(pid)
        self.pipes.append(pipe)
        self.sent.append(deque())

    def _copy(
        self, share: Sequence[T], read: Callable[[T], R], readable: Connection, writable: Connection
    ) -> NoReturn:
        """The copy: read, send a chunk at a time, leave without running anything of the
        parent's."""
        status = 1
        try:
            for pipe in [readable, *self.pipes]:  # the others' pipes are not this one's to hold
                if pipe is not None:
                    pipe.close()
            for start in range(0, len(share), CHUNK):
                writable.send([read(item) for item in share[start : start + CHUNK]])
            status = 0
        finally:
            os._exit(status)

    def chunks(self, number: int) -> Iterator[list[Any]]:
        """Each chunk copy `number` sent, in order, until it ends; meanwhile what the others
        send is kept, so that none waits on a full pipe."""
        sent = self.sent[number]
        while sent or self.pipes[number] is not None:
            if sent:
                yield sent.popleft()
            else:
                self._receive()

    def _receive(self) -> None:
        """Take a chunk from each copy that has sent one; close the pipe of each that has
        ended (or sent a part of a chunk, or one damaged on the way)."""
        from multiprocessing.connection import wait

        ready = wait([pipe for pipe in self.pipes if pipe is not None])
        for number, pipe in enumerate(self.pipes):
            if pipe is None or pipe not in ready:
                continue
            try:
                chunk = pipe.recv()  # from our own copy, by our own pipe
            except Exception:
                chunk = None
            if isinstance(chunk, list):
                self.sent[number].append(chunk)
            else:
                self.end(number)

    def end(self, number: int) -> None:
        """Close copy `number`'s pipe, and end and reap the copy (killed, if it still runs)."""
        pipe, pid = self.pipes[number], self.pids[number]
        if pipe is not None:
            pipe.close()
            self.pipes[number] = None
        if pid is not None:
            with contextlib.suppress(OSError):  # (one that has left waits to be reaped)
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            self.pids[number] = None

    def stop(self) -> None:
        """End every copy still running (the reader stopped early), and close its pipe."""
        for number in range(len(self.pids)):
            self.end(number)
