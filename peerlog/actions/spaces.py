"""Spaces: create, join, open, describe; and choosing which journals a command reads."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from peerlog.actions.journal import JournalSession, open_private_journal, publish_as_me
from peerlog.errors import NotFound, Refused, StorageError
from peerlog.fold.agreements import fold_agreements
from peerlog.fold.space import fold_members
from peerlog.records import Profile, new_record_id
from peerlog.reports import SpaceReport
from peerlog.store import Home, RecordStore, load_identity
from peerlog.store.home import SpaceRef, register_space, registered_spaces
from peerlog.store.space import (
    SpaceInfo,
    check_location,
    check_space_name,
    create_space_files,
    ensure_ignore_files,
    read_space,
)


def create_space(home: Home, path: Path, name: str, *, now: datetime) -> SpaceInfo:
    """Make `path` a space (creating the folder if needed) and join it."""
    identity = load_identity(home)
    check_space_name(name)
    resolved = check_location(path, home)
    if name in registered_spaces(home):
        raise Refused(f"You already have a space called {name}.", hint="Choose another --name.")
    try:
        resolved.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Could not create {resolved}: {exc.strerror}.") from None
    info = SpaceInfo(
        id=new_record_id(now),
        name=name,
        created=now.replace(microsecond=0),
        created_by=identity.member,
        path=resolved,
    )
    create_space_files(resolved, info)
    join_space(home, resolved, now=now)
    return info


def join_space(home: Home, path: Path, *, now: datetime, alias: str | None = None) -> SpaceInfo:
    """Register a space in this home and publish my profile in it (once per device)."""
    identity = load_identity(home)
    resolved = check_location(path, home)
    info = read_space(resolved)
    local = check_space_name(alias) if alias else info.name
    for ref in registered_spaces(home).values():
        if ref.id == info.id and ref.name != local:
            raise Refused(f"You have already joined this space as {ref.name}.")
        if ref.name == local and ref.id != info.id:
            raise Refused(
                f"You already have a different space called {local}.",
                hint="Join this one under another name with --as NAME.",
            )
    try:
        ensure_ignore_files(resolved)
    except OSError as exc:
        raise StorageError(f"Could not write ignore files in {resolved}: {exc.strerror}.") from None
    register_space(home, SpaceRef(local, resolved, info.id))
    session = open_space(home, local)
    mine = [
        r
        for r in session.store.load().records
        if isinstance(r, Profile) and r.author == identity.member and r.device == identity.device
    ]
    if not mine:
        publish_as_me(session, Profile, now=now, name=identity.name)
    return info


def space_ref(home: Home, name: str) -> SpaceRef:
    spaces = registered_spaces(home)
    if name not in spaces:
        known = ", ".join(sorted(spaces)) or "none yet"
        raise NotFound(
            f"You have no space called '{name}' (yours: {known}).",
            hint="`peerlog space list` shows them; `peerlog space join PATH` adds one.",
        )
    return spaces[name]


def open_space(home: Home, name: str, *, required: bool = True) -> JournalSession:
    """A session writing to and reading from one joined space.

    A space whose folder is missing (an unmounted drive) is an error when `required`; else its
    session reads as empty with one problem saying so, and refuses to write."""
    identity = load_identity(home)
    ref = space_ref(home, name)
    if required and not ref.path.is_dir():
        raise StorageError(
            f"The folder of space {name} is missing: {ref.path}.",
            hint="Is the drive mounted and the sync tool running?",
        )
    store = RecordStore(
        ref.path,
        home.cache_for(ref.path),
        private=False,
        durable=home.durable,
        now=home.now,
        must_exist=True,
    )
    return JournalSession(identity, store, space=name)


def open_scopes(
    home: Home, space: str | None = None, everything: bool = False
) -> list[JournalSession]:
    """The journals a command reads: one space, everything, or (default) the private journal.

    A space named with `space` must be there; of `everything`, a missing one is read as empty
    and warned about (see `open_space`), so it never blocks what does not need it."""
    if space is not None:
        return [open_space(home, space)]
    sessions = [open_private_journal(home)]
    if everything:
        spaces = sorted(registered_spaces(home))
        sessions += [open_space(home, name, required=False) for name in spaces]
    return sessions


def describe_space(home: Home, name: str) -> SpaceReport:
    ref = space_ref(home, name)
    session = open_space(home, name)
    info: SpaceInfo | None
    notes: tuple[str, ...] = ()
    try:
        info = read_space(ref.path)
    except StorageError as exc:  # show the members anyway, and say what is wrong
        info, notes = None, (exc.message,)
    loaded = session.store.load()
    members = fold_members(loaded.records)
    agreements = fold_agreements(loaded.records, [m.member for m in members])
    return SpaceReport(ref, info, members, tuple(loaded.problems), agreements, notes)
