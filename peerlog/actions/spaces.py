"""Spaces: create, join, open, describe; and choosing which journals a command reads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from peerlog.actions.journal import JournalSession, open_private_journal, publish_as_me
from peerlog.errors import NotFound, PeerlogError, Refused, StorageError, UsageError
from peerlog.records import Profile, Record, new_record_id
from peerlog.store import Home, Problem, RecordStore, load_identity
from peerlog.store.home import SpaceRef, register_space, registered_spaces
from peerlog.store.keys import short_key
from peerlog.store.record_store import Trust
from peerlog.store.space import (
    SpaceInfo,
    check_location,
    check_space_name,
    create_space_files,
    ensure_ignore_files,
    read_space,
)

if TYPE_CHECKING:  # trust and the space's own views load where a space is read (3 ms)
    from peerlog.fold.trust import Membership, TrustNote
    from peerlog.reports import SpaceReport


def create_space(
    home: Home, path: Path, name: str, *, now: datetime, sealed: bool = False
) -> SpaceInfo:
    """Make `path` a space (creating the folder if needed) and join it; a sealed one gets its
    first key, granted to this device (actions/sealing.py)."""
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
        creator_key=identity.key.public if identity.key else None,
        sealed=sealed,
    )
    create_space_files(resolved, info)
    join_space(home, resolved, now=now, first_key=sealed)
    return info


def name_from_folder(path: Path) -> str:
    """A space name from the folder's own name (`~/Sync/Sam and Alex` gives sam-and-alex), or a
    UsageError asking for --name when nothing usable is left."""
    from peerlog.records.names import member_id_from_name

    folder = path.expanduser().resolve().name
    name = member_id_from_name(folder)
    if name is None:
        raise UsageError(
            f"The folder name '{folder}' does not make a space name.",
            hint="Give one with --name, e.g. --name sam-and-alex.",
        )
    return name


def join_space(
    home: Home,
    path: Path,
    *,
    now: datetime,
    alias: str | None = None,
    first_key: bool = False,
) -> SpaceInfo:
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
    register_space(
        home,
        SpaceRef(local, resolved, info.id, info.created_by, info.creator_key or "", info.sealed),
    )
    session = open_space(home, local)
    if first_key:
        from peerlog.actions.sealing import first_key as make_first_key

        make_first_key(session, now=now)
    me = (identity.member, identity.device)
    records = session.store.load().records
    if not any(isinstance(r, Profile) and (r.author, r.device) == me for r in records):
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
    seal = None
    if ref.sealed:
        from peerlog.actions.sealing import space_seal

        seal = space_seal(ref, identity, _creator(ref))
    store = RecordStore(
        ref.path,
        home.cache_for(ref.path),
        private=False,
        durable=home.durable,
        now=home.now,
        must_exist=True,
        signer=identity.key,
        trust=space_trust(ref),
        seal=seal,
    )
    return JournalSession(identity, store, space=name)


def _creator(ref: SpaceRef) -> tuple[str, str | None]:
    """Who the space's trust starts from: as kept when this home joined, else space.toml."""
    if ref.creator:
        return ref.creator, ref.creator_key or None
    try:
        info = read_space(ref.path)
    except (StorageError, NotFound):
        return "", None  # nobody can found it: the space stays open, as in 0.1
    return info.created_by, info.creator_key


def space_trust(ref: SpaceRef) -> Trust:
    """The filter every read of the space applies before folding (fold/trust.py)."""
    from peerlog.fold.trust import NOT_ADMITTED, UNSIGNED, trusted_records
    from peerlog.records.membership import MEMBERSHIP_TYPES

    def apply(records: list[Record]) -> tuple[list[Record], list[Problem]]:
        creator, creator_key = _creator(ref)
        kept, notes, _ = trusted_records(records, creator, creator_key)
        return kept, [_note_problem(note, ref.id) for note in notes]

    return Trust(apply, MEMBERSHIP_TYPES, lambda: repr(_creator(ref)), (NOT_ADMITTED, UNSIGNED))


LEFT_OUT = "left out"  # a record trust neither counts nor shows (fold/trust.py)


def standing_of_written(session: JournalSession, record: Record) -> str | None:
    """How a record this device has just published stands in its space: None when it counts
    as its author's (always, in the private journal or a space not secured yet), else its
    standing ("not yet admitted"), or LEFT_OUT when nobody is shown it as its author's.

    Judged by what this machine last read of the space (store/index.py `judge`; in a sealed
    space, what its keys were last learned from, actions/sealing.py): writing never reads
    the space again."""
    if session.space is None:
        return None
    seal = session.store.seal
    if seal is not None and seal.keys:  # a sealed space: what its keys were learned with
        return seal.standing
    judged = session.store.index.judge(record)
    return LEFT_OUT if judged is None else judged.standing or None


def standing_of_key(membership: Membership, member: str, device: str, key: str) -> str | None:
    """How records signed by `key`, from `member`'s `device`, stand in a space with this
    `membership`: None when they count, NOT_ADMITTED for a newcomer's, else LEFT_OUT."""
    from peerlog.fold.trust import NOT_ADMITTED

    if not membership.secured or (
        membership.trusted.get(key) == (member, device) and key not in membership.revoked
    ):
        return None
    return NOT_ADMITTED if member not in membership.members else LEFT_OUT


def _note_problem(note: TrustNote, space_id: str) -> Problem:
    """One problem for the records trust left out, naming the member they claim and the key
    that signed them (the same words whatever the view, so a command says it once)."""
    from peerlog.fold.trust import fingerprint

    where = f"members/{note.member}/{note.device}"
    if note.kind == "unsigned":
        reason = (
            f"records by {note.member} from device {note.device} are unsigned (written before "
            "peerlog signed records, or by hand); this space is secured, so they count only "
            "once their author vouches for them with `peerlog space upgrade`"
        )
    else:
        key = f"key {short_key(note.key)} (fingerprint {fingerprint(note.key, space_id)})"
        if note.kind == "forged":
            reason = f"records claiming {note.member} are signed by {note.owner}'s {key}"
        elif note.kind == "revoked":
            reason = (
                f"records from {note.member}'s device {note.device} signed after it was "
                f"revoked, by {key}, do not count"
            )
        else:
            reason = (
                f"records from {note.member}'s device {note.device} are signed by {key}, "
                f"which is not admitted or approved for {note.member}"
            )
    return Problem(where, reason, note.kind)


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
    from peerlog.fold.agreements import fold_agreements
    from peerlog.fold.space import fold_members
    from peerlog.fold.trust import trusted_records
    from peerlog.reports import SpaceReport

    ref = space_ref(home, name)
    session = open_space(home, name)
    info: SpaceInfo | None
    notes: tuple[str, ...] = ()
    try:
        info = read_space(ref.path)
    except StorageError as exc:  # show the members anyway, and say what is wrong
        info, notes = None, (exc.message,)
    loaded = session.store.load(trusted=False)
    creator, creator_key = _creator(ref)
    records, trust_notes, membership = trusted_records(loaded.records, creator, creator_key)
    problems = [*loaded.problems, *(_note_problem(n, ref.id) for n in trust_notes)]
    members = fold_members(records)
    agreements = fold_agreements(records, [m.member for m in members])
    me = session.identity
    mine = (me.member, me.device, me.key.public if me.key else "")
    return SpaceReport(ref, info, members, tuple(problems), agreements, membership, mine, notes)


def elsewhere(
    home: Home,
    read: Sequence[JournalSession],
    count: Callable[[Sequence[JournalSession]], int],
) -> list[tuple[str, int]]:
    """(space, count) for each joined space a command did not read, when it read the private
    journal only: what an empty listing points to. Spaces that cannot be opened are left out
    (a missing folder is not this command's news)."""
    if any(session.space for session in read):
        return []
    found = []
    for name in sorted(registered_spaces(home)):
        try:
            session = open_space(home, name)
        except PeerlogError:
            continue
        found.append((name, count([session])))
    return found


def names_of(sessions: Sequence[JournalSession]) -> dict[str, str]:
    """How to show each member of the journals read: display names (with the member id where
    the name alone could mislead, `fold.space.display_names`); members with no profile yet
    are shown by id. Read from the profiles alone (and what trust decides by). The private
    journal's only author is you: by the name you gave at `init`, unless a space says more."""
    from peerlog.fold.space import display_names

    names: dict[str, str] = {}
    for session in sessions:
        if session.space is not None:
            names.update(display_names(session.store.index.of_types((Profile.TYPE,))))
    for session in sessions:
        if session.space is None and session.identity.name.strip():
            names.setdefault(session.identity.member, session.identity.name)
    return names
