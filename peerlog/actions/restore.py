"""Restoring peerlog's own JSON export (`peerlog import peerlog FILE.json`): a backup comes back.

`export --format json` (without filters) carries, beside the entries, every record of the
journals it covers as its file text, with the space it came from. Restoring puts each file back
byte for byte where peerlog files it: the private journal's records in this home's journal (they
must be this member's), each space's records in the joined space of the same name. Ids, clocks,
authors and devices are kept, so every entry, check-in, goal with its history, reply and
resource is exactly what was exported.

All or nothing: every record is decoded and checked as a reader checks it, every destination
worked out and every file already there compared, before the first file is written. Restoring
twice adds nothing (a file already there with the same bytes is left alone). Must never
overwrite a file, nor write a record peerlog would refuse to read.
"""

from __future__ import annotations

from typing import IO, Any

from peerlog.actions.importing import printable
from peerlog.actions.journal import JournalSession, open_private_journal
from peerlog.actions.spaces import open_space
from peerlog.classes import dataclass
from peerlog.errors import NotFound, Refused, UsageError
from peerlog.records import Record
from peerlog.store import Home, MalformedRecord, decode_record
from peerlog.store.incoming import read_document
from peerlog.store.restore import carry_out, plan_restore
from peerlog.store.scan import MAX_RECORD_BYTES

MAX_BACKUP_BYTES = 256 * 1024 * 1024
BACKUP_HINT = "Make one with: peerlog export --format json --all --out backup.json"
_LISTED = 10


@dataclass(frozen=True, slots=True)
class RestoreReport:
    added: int
    already: int
    scopes: tuple[str, ...]  # where records went: "your journal", "space S"


def read_backup(source: str, stdin: IO[bytes]) -> dict[str | None, list[tuple[Record, bytes]]]:
    """The backup's records with their exact file bytes, by space (None: the private journal);
    raises UsageError naming each item that is not a record peerlog would read."""
    name = "standard input" if source == "-" else source
    data = read_document(
        source, stdin, limit=MAX_BACKUP_BYTES, what="a peerlog JSON export", hint=BACKUP_HINT
    )
    if not isinstance(data, dict) or data.get("format") != 1 or "entries" not in data:
        raise UsageError(f"{name} is not a peerlog JSON export.", hint=BACKUP_HINT)
    items = data.get("records")
    if not isinstance(items, list):
        raise UsageError(
            f"{name} holds entries but not the records to restore them from (an export with "
            "filters such as --since or --tag, or one made before peerlog kept them).",
            hint=BACKUP_HINT,
        )
    groups: dict[str | None, list[tuple[Record, bytes]]] = {}
    problems: list[str] = []
    for number, item in enumerate(items, start=1):
        try:
            space, record, data = _record_of(item)
        except ValueError as exc:
            problems.append(f"record {number}: {exc}")
            continue
        groups.setdefault(space, []).append((record, data))
    if problems:
        listed = [printable(p) for p in problems[:_LISTED]] + (
            [f"… and {len(problems) - _LISTED} more"] if len(problems) > _LISTED else []
        )
        raise UsageError(
            f"Nothing was restored: {len(problems)} of the {len(items)} records in {name} "
            "are not records peerlog can read.",
            hint="\n  ".join([*listed, "Nothing is written until every record can be."]),
        )
    return groups


def _record_of(item: Any) -> tuple[str | None, Record, bytes]:
    if not isinstance(item, dict):
        raise ValueError("it is not an object")
    space, text = item.get("space"), item.get("file")
    if space is not None and not isinstance(space, str):
        raise ValueError("its space is not a name")
    if not isinstance(text, str):
        raise ValueError("its file is missing or not text")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"its file holds a character that is not valid Unicode ({exc})") from None
    if len(data) > MAX_RECORD_BYTES:
        raise ValueError(f"its file is larger than {MAX_RECORD_BYTES // 1024} KiB")
    try:
        record = decode_record(data)
    except MalformedRecord as exc:
        raise ValueError(f"it is not a readable record: {exc}") from None
    return space, record, data


def restore_backup(home: Home, source: str, *, stdin: IO[bytes]) -> RestoreReport:
    """Put every record of the backup back where it came from; nothing if anything is wrong."""
    groups = read_backup(source, stdin)
    sessions = _sessions(home, groups)
    me = sessions[None].identity.member
    strangers = sorted({r.author for r, _ in groups.get(None, []) if r.author != me})
    if strangers:
        raise Refused(
            f"The export's private journal was written by {', '.join(strangers)}; this home "
            f"belongs to {me}.",
            hint=f"Restore it into a home set up with: peerlog init --member {strangers[0]}",
        )
    ahead = [
        f"record {r.id} ({r.type} by {r.author}): its clock is from the future ({r.clock})"
        for space, items in groups.items()
        for r, _ in items
        if r.clock > sessions[space].store.clock_bound()
    ]
    if ahead:  # readers would set these aside: peerlog never writes what it would refuse
        raise UsageError(
            f"Nothing was restored: {len(ahead)} records are dated ahead of this machine's clock.",
            hint="\n  ".join([*ahead[:_LISTED], "Check this machine's date, then import again."]),
        )
    plans = [plan_restore(sessions[space].store, items) for space, items in groups.items()]
    clashes = [(plan, path) for plan in plans for path in plan.clashes]
    if clashes:
        shown = [f"{plan.store.root / path}" for plan, path in clashes[:_LISTED]]
        raise Refused(
            f"Nothing was restored: {len(clashes)} record files cannot be put back (a different "
            "file is already there, or a folder on the way is a link).",
            hint="\n  ".join(
                [*shown, "peerlog never overwrites a record; `peerlog doctor` looks at them."]
            ),
        )
    added = sum(carry_out(plan) for plan in plans)
    already = sum(plan.already for plan in plans)
    scopes = tuple("your journal" if space is None else f"space {space}" for space in groups)
    return RestoreReport(added, already, scopes)


def _sessions(
    home: Home, groups: dict[str | None, list[tuple[Record, bytes]]]
) -> dict[str | None, JournalSession]:
    """The journal for each group of the backup: all of them, or NotFound naming the spaces
    this home has not joined."""
    sessions: dict[str | None, JournalSession] = {None: open_private_journal(home)}
    missing: list[str] = []
    for space in [name for name in groups if name is not None]:
        try:
            sessions[space] = open_space(home, space)
        except NotFound:
            missing.append(space)
    if missing:
        names = printable(", ".join(sorted(missing)))
        raise NotFound(
            f"Nothing was restored: the export holds space {names}, which this home has not "
            "joined.",
            hint="Join it (peerlog space join PATH), or make a new one with that name "
            "(peerlog space create PATH --name NAME), then import again.",
        )
    return sessions
