"""One record root (the private journal, or a space): publish records, and read them through
its index.

This is the only code that decides where a record's file goes and how a write gets its logical
clock. Writing costs the same however long the history is: the next clock comes from a small
file in the cache (rebuilt from the index if the cache was deleted), never from reading the
history. Reading goes through `RecordIndex` (store/index.py), which SQL queries choose from.

The clock is a hybrid logical clock bounded by wall time (DESIGN §2.6): a write takes one more
than the highest clock seen, or the current time in milliseconds if that is larger. A record whose
clock is more than `MAX_AHEAD_MS` ahead of now is skipped as "from the future" and never
adopted, so no peer can push everyone's clocks past what readers accept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from peerlog.classes import dataclass
from peerlog.errors import Refused, StorageError, UsageError
from peerlog.records import Record
from peerlog.store.clock import DeviceClock
from peerlog.store.codec import (
    ConflictMarkers,
    NoKeyToSeal,
    check_conflict_markers,
    encode_record,
)
from peerlog.store.keys import DeviceKey
from peerlog.store.publish import fsync_dir, publish_new
from peerlog.store.scan import (
    MEMBERS,
    MISSING_ROOT,
    Problem,
    from_the_future,
    newest_month_dirs,
    newest_record_names,
    read_record,
    read_tree,
)

if TYPE_CHECKING:
    from peerlog.store.index import RecordIndex
    from peerlog.store.seal import Seal

# How far ahead of this machine's time a record's clock may be: a day covers devices whose clocks
# are set wrong by hours (or a time zone), and stays far from anything that could poison clocks.
MAX_AHEAD_MS = 24 * 3600 * 1000


@dataclass(slots=True)
class Loaded:
    """Every record of a root, and the files that were skipped."""

    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Trust:
    """A pure filter applied to every read before anything is folded (for a space: who may
    speak, fold/trust.py): the records that count, and problems describing the rest. `reads`
    are the record types it decides by: a record of any other type changes no verdict but its
    own, so the index judges each such record once, beside the deciders (store/index.py)."""

    apply: Callable[[list[Record]], tuple[list[Record], list[Problem]]]
    reads: tuple[type[Record], ...]
    # What else `apply` judges by (a space's founder): the index judges every record again
    # when it changes.
    basis: Callable[[], str]
    # What `apply` may mark a record it shows without counting with (its `standing`): the
    # index keeps which one in the record's verdict.
    standings: tuple[str, ...] = ()


class RecordStore:
    """Reads and writes the records under `root` following DESIGN §2."""

    def __init__(
        self,
        root: Path,
        cache_folder: Path,
        *,
        private: bool,
        durable: bool = True,
        now: datetime | None = None,
        within: Path | None = None,
        must_exist: bool = False,
        signer: DeviceKey | None = None,
        trust: Trust | None = None,
        seal: Seal | None = None,
    ) -> None:
        self.root = root
        self.seal = seal  # a sealed space or an encrypted journal (store/seal.py)
        self.now = now  # pinned "now" for demos and tests; else the wall clock
        # Writes never pass through a link below this folder (the space, or the home).
        self.within = root if within is None else within
        # A space's folder is never created here: missing, it is a drive not mounted (reads
        # give one "missing" problem, writes are refused).
        self.must_exist = must_exist
        self.signer = signer  # signs every record published; None only for generated data
        self.trust = trust
        self.durable = durable  # False only for sandboxes and generated data (no fsync)
        self.cache_folder = cache_folder
        self.clock = DeviceClock(cache_folder, durable=durable)
        self._index: RecordIndex | None = None
        self.file_mode = 0o600 if private else 0o644
        self.dir_mode = 0o700 if private else 0o755

    def clock_bound(self) -> int:
        """The highest clock a record may carry now (milliseconds since the epoch, plus a day)."""
        return clock_bound_at(self.now)

    def device_folder(self, member: str, device: str) -> Path:
        return self.root / MEMBERS / member / device

    def path_for(self, record: Record) -> Path:
        """Where `record` lives: its author's and device's folder, by UTC year and month."""
        created = record.created.astimezone(UTC)
        return (
            self.device_folder(record.author, record.device)
            / f"{created.year:04d}"
            / f"{created.month:02d}"
            / f"{record.id}.md"
        )

    @property
    def index(self) -> RecordIndex:
        """The index of this root (opened on first use: writing needs it only to rebuild a
        lost clock file)."""
        if self._index is None:
            from peerlog.store.index import RecordIndex

            self._index = RecordIndex(
                self.root,
                self.cache_folder,
                # Not a method of the store: the index would hold the store that holds it,
                # and its database would stay open until a garbage collection.
                bound=partial(clock_bound_at, self.now),
                must_exist=self.must_exist,
                trust=self.trust,
                seal=self.seal,
            )
        return self._index

    def publish(
        self,
        build: Callable[[int], Record],
        *,
        writer: tuple[str, str] | None = None,
        now: datetime | None = None,
    ) -> Record:
        """Give `build` the next logical clock, then publish the record it returns, atomically.

        The clock is one more than the highest this device has seen: its own (kept in the
        cache) and the newest record of every other device in the folder, which may have
        arrived by sync since the last read; or `now` in milliseconds, if that is larger.
        Clocks beyond `clock_bound` are never adopted. That peek reads at most one file per
        other device, so writing costs the same however long the history is. `writer` (member,
        device) names this device's own folder, which the cached clock already covers.

        The clock is reserved before the file is published, so a crash in between leaves a gap
        in the clocks, never a repeat.
        """
        return self.publish_many([build], writer=writer, now=now)[0]

    def publish_many(
        self,
        builds: Sequence[Callable[[int], Record]],
        *,
        writer: tuple[str, str] | None = None,
        progress: Callable[[int], None] | None = None,
        now: datetime | None = None,
    ) -> list[Record]:
        """Publish many records under one lock and one clock reservation (`publish`, and
        imports).

        Each file is still written atomically and fsynced; the folders are fsynced once at the
        end instead of after every file.
        """
        published: list[Record] = []
        folders: set[Path] = set()
        if self.seal is not None and not self.seal.keys:
            self.ready_to_seal(writer)  # (publish_as_me has done it, and looked for news)
        if self.must_exist and not self.root.is_dir():  # an unmounted drive: never create it
            raise StorageError(
                f"The folder {self.root} is missing: {MISSING_ROOT}.",
                hint="Is the drive mounted and the sync tool running? Nothing was saved.",
            )
        try:
            with self.clock.locked():
                bound = self.clock_bound()
                highest = self.clock.read()
                if highest is None or highest > bound:  # lost, or kept from a poisoned record
                    highest = self.index.highest_clock()  # only clocks within the bound
                others = (r.clock for r in self._newest_of_others(writer) if r.clock <= bound)
                seen = max([highest, *others])
                first = max(seen + 1, wall_ms(now) if now is not None else 0)
                # Never publish what readers would refuse: at the bound, clocks tie (ids order).
                first = min(first, bound - len(builds) + 1)
                self.clock.write(first + len(builds) - 1)
                sign = self.signer.sign if self.signer is not None else None
                for offset, build in enumerate(builds):
                    record = build(first + offset)
                    if self.signer is not None:
                        record = replace(record, key=self.signer.public)
                    path = self.path_for(record)
                    publish_new(
                        path,
                        _readable_bytes(record, sign, self.seal),
                        within=self.within,
                        file_mode=self.file_mode,
                        dir_mode=self.dir_mode,
                        durable=self.durable,
                        sync_folder=False,
                    )
                    folders.add(path.parent)
                    published.append(record)
                    if progress is not None:
                        progress(offset + 1)
                if self.durable:
                    for folder in folders:
                        fsync_dir(folder)
        except FileExistsError as exc:
            raise StorageError(f"A record named {exc.filename} already exists.") from None
        except OSError as exc:
            where = exc.filename or self.root
            raise StorageError(f"Could not write to {where}: {exc.strerror}.") from None
        finally:
            if published and self._index is not None:
                self._index.changed()
        return published

    def ready_to_seal(self, writer: tuple[str, str] | None = None) -> None:
        """Before writing into a sealed space: the keys this device holds, from what the last
        run learned (store/sealed_index.py), without reading the index; read again when there
        is none, or when another device's newest record is a membership record newer than what
        it was learned from (someone left, or was admitted, since): so a departure is seen by
        the first write after it arrived, at the cost of one file per device, read anyway."""
        seal = self.seal
        if seal is None or seal.learn_keys is None:
            return
        from peerlog.store.sealed_index import load_keys

        lost = not seal.keys and not load_keys(seal, self.cache_folder)
        if lost or any(
            r.type in seal.learn_from and r.clock > seal.learned_clock
            for r in self._newest_of_others(writer)
        ):
            self.index.refresh()

    def _newest_of_others(self, writer: tuple[str, str] | None) -> Iterator[Record]:
        """The newest record of each device folder but `writer`'s, read as it is asked for:
        a few directory listings and one file per device, however long the history."""
        for month in newest_month_dirs(self.root):
            if (month.member, month.device) != writer:
                for name in newest_record_names(month):
                    item = read_record(month, name, 0, self.seal)  # (its size checked as read)
                    if isinstance(item, Record):
                        yield item

    def read_from_disk(self) -> Loaded:
        """Every record read from its file now, never from the index, and what was skipped
        (`doctor`): the same checks as `load`, records from the future and trust among them."""
        records, problems = read_tree(self.root, self.must_exist, self.seal)
        if self.seal is not None:
            from peerlog.store.sealed_index import summed_up

            learn_from = [r for r in records if r.type in self.seal.learn_from]
            if self.seal.learn(learn_from):  # keys granted here: read what they open
                records, problems = read_tree(self.root, self.must_exist, self.seal)
            problems = summed_up(problems, self.seal)
        bound = self.clock_bound()
        problems += [
            from_the_future(self.path_for(r).relative_to(self.root).as_posix(), r.clock)
            for r in records
            if r.clock > bound
        ]
        records = [r for r in records if r.clock <= bound]
        if self.trust is not None:
            records, refused = self.trust.apply(records)
            problems += refused
        return Loaded(records, problems)

    def load(self, *, trusted: bool = True) -> Loaded:
        """Every record under the root and every skipped file, from the index (brought up to
        date with the folder first). Only the records that count (see `trust`), unless
        `trusted=False`."""
        loaded = Loaded(self.index.select(trusted=trusted), self.index.problems())
        highest = max((r.clock for r in loaded.records), default=0)
        if highest > (self.clock.read() or 0):
            try:
                with self.clock.locked():
                    if highest > (self.clock.read() or 0):
                        self.clock.write(highest)
            except OSError:
                pass  # the clock file is a cache: losing it costs one scan on the next write
        return loaded


def _readable_bytes(
    record: Record, sign: Callable[[bytes], str] | None, seal: Seal | None
) -> bytes:
    """The file for `record` (signed with `sign`, when given; sealed with `seal`, when it
    seals its type), refusing text every reader would take for a half-done git merge (peerlog
    never publishes a record it would itself refuse)."""
    try:
        data = encode_record(record, sign, seal)
    except NoKeyToSeal as exc:
        raise Refused(f"Nothing was saved: this is sealed, and {exc}.") from None
    try:
        check_conflict_markers(encode_record(record).decode("utf-8") if seal else data.decode())
    except ConflictMarkers:
        raise UsageError(
            "The text has lines that look like an unfinished git merge (a line starting "
            "<<<<<<< and a later one starting >>>>>>>); peerlog reads such a file as damaged.",
            hint="Indent or change those lines, and try again. Nothing was saved.",
        ) from None
    return data


def clock_bound_at(now: datetime | None) -> int:
    """The highest clock a record may carry at `now` (else the wall clock's now)."""
    return wall_ms(now if now is not None else datetime.now(UTC)) + MAX_AHEAD_MS


def wall_ms(moment: datetime) -> int:
    """A moment as a clock value: milliseconds since the Unix epoch."""
    return int(moment.timestamp() * 1000)
