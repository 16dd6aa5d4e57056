"""One record root (the private journal, or a space): publish records, load them all.

This is the only code that decides where a record's file goes and how a write gets its logical
clock. Writing costs the same however long the history is: the next clock comes from a small
file in the cache (rebuilt by one scan if the cache was deleted), never from reading the history.

The clock is a hybrid logical clock bounded by wall time (DESIGN §2.6): a write takes one more
than the highest clock seen, or the current time in milliseconds if that is larger. A record whose
clock is more than `MAX_AHEAD_MS` ahead of now is skipped as "from the future" and never
adopted, so no peer can push everyone's clocks past what readers accept.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from peerlog.classes import dataclass
from peerlog.errors import StorageError, UsageError
from peerlog.records import Record
from peerlog.records.ids import prefix_months
from peerlog.store.cache import MonthEntry, RecordCache, SlicedMonth, now_ns
from peerlog.store.codec import ConflictMarkers, check_conflict_markers, encode_record
from peerlog.store.keys import DeviceKey
from peerlog.store.publish import fsync_dir, publish_new
from peerlog.store.scan import (
    MEMBERS,
    MISSING_ROOT,
    MonthDir,
    Problem,
    files_starting_with,
    month_dirs,
    newest_month_dirs,
    newest_record_names,
    read_record,
    read_tree,
    record_files,
)

# How far ahead of this machine's time a record's clock may be: a day covers devices whose clocks
# are set wrong by hours (or a time zone), and stays far from anything that could poison clocks.
MAX_AHEAD_MS = 24 * 3600 * 1000

# Rewriting the whole index costs about as much as reading this many record files: right after
# a write (one new file in a large journal) the next reads read that file again rather than
# rewrite the index; a burst of new files (a first sync) is saved at once.
UNSAVED_READS_RATIO = 64
# Saving a view's slices (packed: a few strings per month) costs about as much as reading this
# many record files again.
REREAD_COST = 16


@dataclass(slots=True)
class Loaded:
    """Everything a scan found: good records, and the files that were skipped."""

    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # True when every month folder was scanned well after it last changed, so an unchanged
    # mtime later means unchanged contents.
    settled: bool = False


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Trust:
    """A pure filter applied to every load before anything is folded (for a space: who may
    speak, fold/trust.py): the records that count, and problems describing the rest. `reads`
    are the record types it decides by, kept in every view's slices."""

    apply: Callable[[list[Record]], tuple[list[Record], list[Problem]]]
    reads: tuple[type[Record], ...]

    def __call__(self, loaded: Loaded) -> Loaded:
        kept, problems = self.apply(loaded.records)
        return Loaded(kept, [*loaded.problems, *problems], loaded.settled)


# View files this process used from the cache. Only a view's type is checked when it is loaded;
# should its contents turn out wrong (tampered with, or saved by a build whose view had another
# shape), the command fails once and the command line forgets them (`forget_served_views`).
SERVED_VIEWS: list[Path] = []


def forget_served_views() -> None:
    """Delete the cached views this process used (they are recomputed on the next read)."""
    for path in SERVED_VIEWS:
        with contextlib.suppress(OSError):
            path.unlink()
    SERVED_VIEWS.clear()


def view_classes(*names: str) -> frozenset[tuple[str, str]]:
    """("module", "Class") pairs from dotted names, for `View.classes`."""
    return frozenset((name.rpartition(".")[0], name.rpartition(".")[2]) for name in names)


@dataclass(frozen=True, slots=True)
class View(Generic[T]):
    """A value computed from all the records of one root, such as the newest entries or the
    tag counts. `RecordStore.view` keeps it in the cache, with the month folders it was
    computed from, and reuses it until one of them changes: a command that needs only the view
    then reads one small file instead of every record.

    `compute` must be a pure function of the records (and of the `key` the view is asked for
    with); `kind` is the type of its value, checked on every load; `classes` are the
    (module, name) pairs, beyond the record classes, that its pickle may hold.

    A view whose value depends only on some record types names them in `reads`. Its *slices*
    are kept too: each month folder's file names, with the records it reads and nothing of the
    others. When a folder changes (a write, a file arriving by sync), the view is computed
    again from its slices, reading only the new files, instead of from every record.
    """

    name: str  # its file name in the cache: change it when the value's shape changes
    compute: Callable[[Loaded, Any], T]
    kind: type
    classes: frozenset[tuple[str, str]] = frozenset()
    reads: tuple[type[Record], ...] | None = None  # None: it may depend on every record


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
    ) -> None:
        self.root = root
        self.now = now  # pinned "now" for demos and tests; else the wall clock
        # Writes never pass through a link below this folder (the space, or the home).
        self.within = root if within is None else within
        # A space's folder is never created here: missing, it is a drive not mounted (reads
        # give one "missing" problem, writes are refused).
        self.must_exist = must_exist
        self.signer = signer  # signs every record published; None only for generated data
        self.trust = trust
        self.durable = durable  # False only for sandboxes and generated data (no fsync)
        self.cache = RecordCache(cache_folder, durable=durable)
        self._unsaved_reads = 0  # files read in unsettled folders during this load
        self.file_mode = 0o600 if private else 0o644
        self.dir_mode = 0o700 if private else 0o755

    def _missing(self) -> bool:
        return self.must_exist and not self.root.is_dir()

    def clock_bound(self) -> int:
        """The highest clock a record may carry now (milliseconds since the epoch, plus a day)."""
        moment = self.now if self.now is not None else datetime.now(UTC)
        return wall_ms(moment) + MAX_AHEAD_MS

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

    def may_hold(self, id_prefix: str) -> bool | None:
        """Whether a record whose id starts with `id_prefix` can be here: False when no file
        with such a name is where peerlog files it (its month), None when the prefix does not
        say where to look. Costs a few directory reads."""
        months = prefix_months(id_prefix)
        if months is None:
            return None
        return files_starting_with(self.root, id_prefix, months)

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
        if self._missing():  # an unmounted drive: never create its mount point
            raise StorageError(
                f"The folder {self.root} is missing: {MISSING_ROOT}.",
                hint="Is the drive mounted and the sync tool running? Nothing was saved.",
            )
        try:
            with self.cache.locked():
                bound = self.clock_bound()
                highest = self.cache.read_clock()
                if highest is None or highest > bound:  # lost, or kept from a poisoned record
                    self.cache.write_clock(0)
                    self.load()
                    highest = self.cache.read_clock() or 0
                seen = max(highest, self._newest_other_clock(writer, bound))
                first = max(seen + 1, wall_ms(now) if now is not None else 0)
                # Never publish what readers would refuse: at the bound, clocks tie (ids order).
                first = min(first, bound - len(builds) + 1)
                self.cache.write_clock(first + len(builds) - 1)
                for offset, build in enumerate(builds):
                    record = build(first + offset)
                    sign = None
                    if self.signer is not None:
                        record = replace(record, key=self.signer.public)
                        sign = self.signer.sign
                    path = self.path_for(record)
                    publish_new(
                        path,
                        _readable_bytes(record, sign),
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
        return published

    def _newest_other_clock(self, writer: tuple[str, str] | None, bound: int) -> int:
        highest = 0
        for month in newest_month_dirs(self.root):
            if (month.member, month.device) == writer:
                continue
            for name in newest_record_names(month):
                try:
                    size = (month.path / name).lstat().st_size
                except OSError:
                    continue
                item = read_record(month, name, size)
                if not isinstance(item, Problem) and item.clock <= bound:
                    highest = max(highest, item.clock)
        return highest

    def view(self, view: View[T], key: object = None) -> tuple[T, list[Problem]]:
        """`view.compute(records, key)` and the skipped files, from the cache when no month
        folder has changed since it was computed; else computed from a full load (and kept
        for next time once every folder has settled)."""
        blocked: list[Problem] = []
        months = month_dirs(self.root, blocked)
        if blocked or self._missing():  # say so every time: never from the cache
            everything = self.load()
            return view.compute(everything, key), everything.problems
        made_for = (tuple((month.rel, mtime) for month, mtime in months), view.name, key)
        saved = self.cache.load_view(view.name, view.classes, made_for)
        if saved is not None:
            problems, value = saved
            if isinstance(value, view.kind):
                SERVED_VIEWS.append(self.cache.view_path(view.name))
                return cast(T, value), problems
        loaded = self._load_slices(view, months) if view.reads is not None else None
        if loaded is not None:  # as `load` gives them: bounded, then only what counts
            loaded = self._bounded(loaded)
            if self.trust is not None:
                loaded = self.trust(loaded)
        else:
            loaded = self.load(months)
            reads = self._reads(view)
            if reads is not None:
                # Kept even when a folder has just changed: that month is not trusted, so it
                # is listed again next time, reusing what was read of it.
                slices = _slices_of(self.cache.months, reads)
                self.cache.save_slices(view.name, slices, _names_unique(slices))
        value = view.compute(loaded, key)
        if loaded.settled:  # loaded from exactly the folders `made_for` names
            self.cache.save_view(view.name, made_for, loaded.problems, value)
        return value, loaded.problems

    def _reads(self, view: View[Any]) -> tuple[type[Record], ...] | None:
        """The record types a view's slices keep: those it reads, and those trust needs."""
        if view.reads is None or self.trust is None:
            return view.reads
        return (*view.reads, *self.trust.reads)

    def _load_slices(self, view: View[Any], months: list[tuple[MonthDir, int]]) -> Loaded | None:
        """The records `view` reads (and every skipped file), from its slices of the index,
        reading only files that are new since; None when it has no slices to start from."""
        reads = self._reads(view)
        saved = self.cache.load_slices(view.name, view.classes)
        if saved is None or reads is None:
            return None
        slices, unique = saved
        SERVED_VIEWS.append(self.cache.slices_path(view.name))
        loaded = Loaded(settled=True)
        fresh: dict[str, SlicedMonth] = {}
        changed = False
        arrived: list[tuple[str, str]] = []  # (month, name) of each file read: new or changed
        for month, mtime_ns in months:
            sliced = slices.get(month.rel)
            if sliced is None or not sliced.trusted(mtime_ns):
                before = sliced.unpack() if sliced is not None else None
                entry, read = _scan_month(month, mtime_ns, before, reads)
                arrived += [(month.rel, name) for name in read]
                loaded.settled = loaded.settled and entry.trusted(mtime_ns)
                changed = True
                sliced = SlicedMonth.pack(entry)
            fresh[month.rel] = sliced
            for item in sliced.kept.values():
                if isinstance(item, Problem):
                    loaded.problems.append(item)
                elif isinstance(item, Record):
                    loaded.records.append(item)
                else:  # not what this code saves: computed from a full read instead
                    return None
        if unique and arrived:
            # Names are all one length (an id and ".md"), so finding one in another month's
            # list of names is finding that very name there.
            unique = not any(
                name in other.names
                for rel, name in arrived
                for other_rel, other in fresh.items()
                if other_rel != rel
            )
        if not unique:
            if _claimed_twice(fresh):
                # Two files claim one id, one of a type the view does not read: which one
                # counts is decided among all the records, so only a full read folds it as
                # every machine does.
                return None
            unique = _names_unique(fresh)
        # Saved once settled, or once saving costs less than reading again what was read: a
        # month that changed moments ago is saved untrusted, and listed again next time.
        worth_it = loaded.settled or len(arrived) >= REREAD_COST
        if fresh.keys() != slices.keys() or (changed and worth_it):
            self.cache.save_slices(view.name, fresh, unique)
        return loaded

    def read_from_disk(self) -> Loaded:
        """Every record read from its file now, never from the cache, and what was skipped
        (`doctor`): the same checks as `load`, trust included."""
        records, problems = read_tree(self.root, self.must_exist)
        loaded = self._bounded(Loaded(records=records, problems=problems))
        return loaded if self.trust is None else self.trust(loaded)

    def remembered(self) -> list[Record]:
        """The records the cache holds, as they were first read, without looking at the disk
        (`doctor` compares them with the files as they are now)."""
        self.cache.load()
        return [
            item
            for entry in self.cache.months.values()
            for _size, _mtime, item in entry.files.values()
            if isinstance(item, Record)
        ]

    def load(
        self, months: list[tuple[MonthDir, int]] | None = None, *, trusted: bool = True
    ) -> Loaded:
        """All records under the root, reusing the cache for folders that have not changed.
        `months` is what `month_dirs` just found, when the caller has it. Only the records
        that count (see `trust`), unless `trusted=False`."""
        loaded = Loaded(settled=True)
        if self._missing():
            loaded.problems.append(Problem(".", MISSING_ROOT, "missing"))
            return loaded
        if months is None:
            months = month_dirs(self.root, loaded.problems)
        self.cache.load()
        present: set[str] = set()
        for month, mtime_ns in months:
            present.add(month.rel)
            entry = self.cache.months.get(month.rel)
            if entry is None or not entry.trusted(mtime_ns):
                entry = self._rescan(month, mtime_ns, entry)
                loaded.settled = loaded.settled and entry.trusted(mtime_ns)
            for _size, _mtime, item in entry.files.values():
                if isinstance(item, Problem):
                    loaded.problems.append(item)
                else:
                    loaded.records.append(item)
        stale = self.cache.months.keys() - present
        loaded = self._bounded(loaded)
        highest = max((r.clock for r in loaded.records), default=0)
        for rel in stale:
            del self.cache.months[rel]
        if stale or self._unsaved_reads * UNSAVED_READS_RATIO >= len(loaded.records):
            self.cache.dirty = True
        self._unsaved_reads = 0
        self.cache.save()
        known = self.cache.read_clock() or 0
        if highest > known:
            self._remember_clock(highest)
        return loaded if self.trust is None or not trusted else self.trust(loaded)

    def _bounded(self, loaded: Loaded) -> Loaded:
        """`loaded` without the records whose clock is beyond `clock_bound` (reported instead).
        Checked on every read, not cached: such a record counts once its time has come."""
        bound = self.clock_bound()
        if all(r.clock <= bound for r in loaded.records):
            return loaded
        kept: list[Record] = []
        problems = list(loaded.problems)
        for record in loaded.records:
            if record.clock <= bound:
                kept.append(record)
            else:
                problems.append(
                    Problem(
                        _rel_path(self, record),
                        f"its logical clock ({record.clock}) is more than a day ahead of this "
                        "machine's time, so it is not counted until then",
                        "future-clock",
                    )
                )
        return Loaded(records=kept, problems=problems, settled=loaded.settled)

    def _rescan(self, month: MonthDir, mtime_ns: int, old: MonthEntry | None) -> MonthEntry:
        fresh, read = _scan_month(month, mtime_ns, old, None)
        self.cache.months[month.rel] = fresh
        if _worth_saving(old, fresh, mtime_ns):
            if fresh.trusted(mtime_ns):
                self.cache.dirty = True
            else:
                # A folder that changed moments ago is listed again next time anyway, so the
                # index is rewritten for it only when that saves more than it costs (below).
                self._unsaved_reads += max(len(read), 1)
        return fresh

    def _remember_clock(self, value: int) -> None:
        try:
            with self.cache.locked():
                if value > (self.cache.read_clock() or 0):
                    self.cache.write_clock(value)
        except OSError:
            pass  # the clock file is a cache: losing it costs one scan on the next write


def _readable_bytes(record: Record, sign: Callable[[bytes], str] | None) -> bytes:
    """The file for `record` (signed with `sign`, when given), refusing text every reader
    would take for a half-done git merge (peerlog never publishes a record it would itself
    refuse)."""
    data = encode_record(record, sign)
    try:
        check_conflict_markers(data.decode("utf-8"))
    except ConflictMarkers:
        raise UsageError(
            "The text has lines that look like an unfinished git merge (a line starting "
            "<<<<<<< and a later one starting >>>>>>>); peerlog reads such a file as damaged.",
            hint="Indent or change those lines, and try again. Nothing was saved.",
        ) from None
    return data


def wall_ms(moment: datetime) -> int:
    """A moment as a clock value: milliseconds since the Unix epoch."""
    return int(moment.timestamp() * 1000)


def _rel_path(store: RecordStore, record: Record) -> str:
    return store.path_for(record).relative_to(store.root).as_posix()


def _scan_month(
    month: MonthDir,
    mtime_ns: int,
    old: MonthEntry | None,
    reads: tuple[type[Record], ...] | None,
) -> tuple[MonthEntry, list[str]]:
    """List a month folder again, reading only files that are new or changed since `old`:
    (what it holds, the names of the files read). With `reads`, a record of another type is
    kept as its id (a view's slice)."""
    fresh = MonthEntry(mtime_ns=mtime_ns, scanned_ns=now_ns())
    read = []
    for name, size, file_mtime in record_files(month):
        previous = old.files.get(name) if old is not None else None
        if previous is not None and previous[0] == size and previous[1] == file_mtime:
            fresh.files[name] = previous
        else:
            item = read_record(month, name, size)
            fresh.files[name] = (size, file_mtime, _slice_item(item, reads))
            read.append(name)
    return fresh, read


def _slice_item(item: Any, reads: tuple[type[Record], ...] | None) -> Any:
    if reads is None or isinstance(item, (Problem, *reads)):
        return item
    return item.id


def _slices_of(
    months: dict[str, MonthEntry], reads: tuple[type[Record], ...]
) -> dict[str, SlicedMonth]:
    """A view's slices of the index: the same folders and files, other records as ids."""
    return {
        rel: SlicedMonth.pack(
            MonthEntry(
                mtime_ns=entry.mtime_ns,
                scanned_ns=entry.scanned_ns,
                files={
                    name: (size, mtime, _slice_item(item, reads))
                    for name, (size, mtime, item) in entry.files.items()
                },
            )
        )
        for rel, entry in months.items()
    }


def _names_unique(months: dict[str, SlicedMonth]) -> bool:
    """Whether no file name is in two month folders (almost always: one set tells)."""
    every = "\n".join(sliced.names for sliced in months.values() if sliced.names).split("\n")
    return len(set(every)) == len(every)


def _claimed_twice(months: dict[str, SlicedMonth]) -> bool:
    """Whether a record the view reads shares its id (its file's name) with a record of
    another type, anywhere."""
    if _names_unique(months):
        return False
    read, other = set(), set()
    for sliced in months.values():
        for name in sliced.file_names():
            item = sliced.kept.get(name)
            if isinstance(item, Record):
                read.add(name)
            elif item is None:
                other.add(name)
    return not read.isdisjoint(other)


def _worth_saving(old: MonthEntry | None, fresh: MonthEntry, mtime_ns: int) -> bool:
    """Save only what the next run can use: new contents, or a folder that just became
    trustworthy (no longer "racily clean")."""
    if old is None or old.files != fresh.files or old.mtime_ns != mtime_ns:
        return True
    return fresh.trusted(mtime_ns) and not old.trusted(mtime_ns)
