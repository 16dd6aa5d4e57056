"""Importing a jrnl journal (`jrnl --format json` export) as journal entries.

Text, dates, tags and stars are kept exactly: the entry's text is the jrnl title, then a
newline and the body when there is one; tags stay as jrnl wrote them (e.g. `@work`); a star
becomes `starred = true` in the record. Importing is idempotent: each entry carries an
`import_key` (a hash of what was imported) and entries already present are skipped. Record ids
are generated as always, never derived from the text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import field
from datetime import datetime
from pathlib import Path
from typing import Any

from peerlog.actions.journal import JournalSession, _seconds
from peerlog.classes import dataclass
from peerlog.errors import StorageError, UsageError
from peerlog.records import Entry, new_record_id
from peerlog.records.tags import TAG_MAX

MAX_IMPORT_BYTES = 512 * 1024 * 1024


@dataclass(slots=True)
class ImportReport:
    added: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)  # why an entry could not be imported


@dataclass(frozen=True, slots=True)
class JrnlEntry:
    when: datetime
    text: str
    tags: tuple[str, ...]
    starred: bool
    key: str


def read_jrnl_export(path: Path) -> list[dict[str, Any]]:
    """The entries of a jrnl JSON export, with a clear error for anything else."""
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise UsageError(f"{path} is larger than {MAX_IMPORT_BYTES // 2**20} MiB.")
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise UsageError(f"There is no file {path}.") from None
    except OSError as exc:
        raise StorageError(f"Could not read {path}: {exc.strerror}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(
            f"{path} is not a jrnl JSON export ({exc}).",
            hint="Make one with: jrnl --format json > journal.json",
        ) from None
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise UsageError(
            f"{path} has no list of entries; is it a jrnl JSON export?",
            hint="Make one with: jrnl --format json > journal.json",
        )
    return entries


def parse_jrnl_entry(raw: object) -> JrnlEntry:
    """One exported jrnl entry. Raises ValueError saying what is wrong with it."""
    if not isinstance(raw, dict):
        raise ValueError("it is not an object")
    date, time_of_day = raw.get("date"), raw.get("time", "00:00")
    title, body = raw.get("title", ""), raw.get("body", "")
    tags, starred = raw.get("tags", []), raw.get("starred", False)
    if not isinstance(date, str) or not isinstance(time_of_day, str):
        raise ValueError("its date or time is missing")
    if not isinstance(title, str) or not isinstance(body, str):
        raise ValueError("its title or body is not text")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("its tags are not a list of texts")
    try:
        when = datetime.fromisoformat(f"{date}T{time_of_day}")
    except ValueError:
        raise ValueError(f"its date '{date} {time_of_day}' is not valid") from None
    when = when if when.tzinfo else when.astimezone()  # jrnl times are local times
    text = f"{title}\n{body}" if body else title
    if not text.strip():
        raise ValueError("it is empty")
    key_source = json.dumps([date, time_of_day, title, body, tags, bool(starred)])
    key = hashlib.sha256(key_source.encode()).hexdigest()[:32]
    kept_tags = tuple(t for t in tags if 0 < len(t) <= TAG_MAX)
    return JrnlEntry(when, text, kept_tags, bool(starred), key)


def import_jrnl(
    session: JournalSession,
    path: Path,
    *,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a jrnl export into a journal or space; entries already imported are skipped."""
    raw_entries = read_jrnl_export(path)
    report = ImportReport()
    known = {
        r.extra.get("import_key")
        for r in session.store.load().records
        if isinstance(r, Entry) and r.author == session.identity.member
    }
    todo: list[JrnlEntry] = []
    for number, raw in enumerate(raw_entries, start=1):
        try:
            parsed = parse_jrnl_entry(raw)
        except ValueError as exc:
            report.skipped.append(f"entry {number}: {exc}")
            continue
        if parsed.key in known:
            report.already += 1
            continue
        known.add(parsed.key)
        todo.append(parsed)
    me = session.identity
    stamp = _seconds(now)

    def builder(item: JrnlEntry) -> Callable[[int], Entry]:
        extra: dict[str, Any] = {"imported_from": "jrnl", "import_key": item.key}
        if item.starred:
            extra["starred"] = True
        return lambda clock: Entry(
            id=new_record_id(now),
            author=me.member,
            device=me.device,
            clock=clock,
            created=stamp,
            when=_seconds(item.when),
            body=item.text,
            tags=item.tags,
            extra=extra,
        )

    builds: Sequence[Callable[[int], Entry]] = [builder(item) for item in todo]
    total = len(builds)
    session.store.publish_many(
        builds,
        writer=(me.member, me.device),
        now=now,
        progress=(lambda done: progress(done, total)) if progress else None,
    )
    report.added = total
    return report
