"""Importing a jrnl journal (`jrnl --format json` export) as journal entries.

Text, dates, tags and stars are kept exactly: the entry's text is the jrnl title, then a
newline and the body when there is one (as jrnl itself writes its journal file); jrnl's tags
(`@work`, `#sleep`) are kept with their sign, and an export without a `tags` key (jrnl 1.x)
gets them from the text by jrnl's own rule; a star becomes `starred = true` in the record.

An import is all or nothing: every entry is checked, and made into the record that would be
written and read back, before anything is published; one bad entry refuses the whole file,
naming it. Importing twice adds nothing: each entry carries an `import_key` (a hash of what
was imported, and which copy it is when a file holds identical entries), and entries already
present are skipped. Record ids are generated as always, never derived from the text; an
entry is filed in the month it was written (DESIGN §2, docs/storage.md).

Must never write before the whole file is checked, nor read the clock (`now` is passed in).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import field, replace
from datetime import UTC, datetime, tzinfo
from functools import partial
from typing import IO, Any

from peerlog.actions.journal import MAX_TEXT_BYTES, JournalSession, _seconds
from peerlog.classes import dataclass
from peerlog.errors import UsageError
from peerlog.records import Entry, new_record_id
from peerlog.records.model import YEAR_MAX, YEAR_MIN
from peerlog.records.tags import TAG_MAX
from peerlog.store.codec import MalformedRecord, decode_record, encode_record
from peerlog.store.incoming import read_document

MAX_IMPORT_BYTES = 256 * 1024 * 1024
JRNL_HINT = "Make one with: jrnl --format json > journal.json"
# jrnl's own rule for tags in the text (jrnl/journals/Entry.py, tagsymbols "#@"): jrnl lowercases
# them in its export.
_JRNL_TAG = re.compile(r"(?<!\S)([#@][-+*#/\w]+)")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LISTED = 10  # problems named in a refusal; the rest are counted


@dataclass(slots=True)
class ImportReport:
    added: int = 0
    already: int = 0
    empty: int = 0  # entries with no text at all: nothing to keep
    notes: list[str] = field(default_factory=list)  # about the entries added (tags, times)
    zone: str = ""  # the time zone jrnl's times were read in


@dataclass(frozen=True, slots=True)
class JrnlEntry:
    when: datetime
    text: str
    tags: tuple[str, ...]
    starred: bool
    key: str
    label: str = ""  # how a refusal names it
    notes: tuple[str, ...] = ()  # what the user should know about it (shown when it is added)


class Zone:
    """The time zone jrnl's local times are read in: `--tz`, else this machine's."""

    def __init__(self, name: str | None) -> None:
        self.zone: tzinfo | None = None  # None: this machine's rules (the C library's)
        if name is None:
            names = "/".join(dict.fromkeys(time.tzname))
            self.label = f"this machine's time zone ({names})"
            return
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            self.zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise UsageError(
                f"'{name}' is not a time zone peerlog knows.",
                hint="Give an IANA name such as Europe/Berlin, America/New_York or UTC.",
            ) from None
        self.label = name

    def localize(self, naive: datetime) -> tuple[datetime, bool]:
        """`naive` as a time in this zone, and whether that time does not exist there (a
        gap when the clocks moved forward: it is then read with the offset from before, so
        02:30 in a gap from 02:00 to 03:00 becomes 03:30)."""
        try:
            aware = naive.replace(tzinfo=self.zone) if self.zone else naive.astimezone()
            local = aware.astimezone(UTC).astimezone(self.zone)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"its time cannot be placed in {self.label}") from None
        return local, local.replace(tzinfo=None) != naive


def parse_jrnl_entry(raw: object, zone: Zone) -> tuple[JrnlEntry | None, list[str]]:
    """One exported jrnl entry (None when it has no text), and notes about it. Raises
    ValueError saying what is wrong with it."""
    if not isinstance(raw, dict):
        raise ValueError("it is not an object")
    date, time_of_day = raw.get("date"), raw.get("time", "00:00")
    title, body = raw.get("title", ""), raw.get("body", "")
    tags, starred = raw.get("tags"), raw.get("starred", False)
    if not isinstance(date, str) or not isinstance(time_of_day, str):
        raise ValueError("its date or time is missing")
    if not isinstance(title, str) or not isinstance(body, str):
        raise ValueError("its title or body is not text")
    if tags is not None and (
        not isinstance(tags, list) or not all(isinstance(t, str) for t in tags)
    ):
        raise ValueError("its tags are not a list of texts")
    for tag in tags or ():
        _check_text(tag, what="a tag")
    if not isinstance(starred, bool):
        raise ValueError("its 'starred' is neither true nor false")
    try:
        naive = datetime.fromisoformat(f"{date}T{time_of_day}")
    except ValueError:
        raise ValueError(f"its date '{date} {time_of_day}' is not a valid date and time") from None
    if naive.tzinfo is not None:
        raise ValueError(f"its time '{time_of_day}' carries a time zone, which jrnl never writes")
    if not YEAR_MIN <= naive.year <= YEAR_MAX:
        raise ValueError(f"its date {date} is outside the years {YEAR_MIN} to {YEAR_MAX}")
    text = f"{title}\n{body}" if body else title
    _check_text(text)
    if not text.strip():
        return None, []
    notes: list[str] = []
    when, missing = zone.localize(naive)
    if missing:
        notes.append(
            f"{date} {time_of_day} does not exist in {zone.label} (the clocks moved forward "
            f"then); it was imported as {when:%H:%M}"
        )
    if tags is None:  # jrnl 1.x wrote no tags: jrnl's rule finds them in the text
        tags = list(dict.fromkeys(t.lower() for t in _JRNL_TAG.findall(text)))
    kept = tuple(t for t in tags if 0 < len(t) <= TAG_MAX)
    for tag in tags:
        if len(tag) > TAG_MAX:
            notes.append(
                f"its tag '{tag[:20]}…' is longer than {TAG_MAX} characters: it stays in the "
                "text but is not kept as a tag"
            )
    # The key of what was in the file (as earlier peerlogs made it): tags found in the text
    # are not part of it.
    key_source = json.dumps([date, time_of_day, title, body, raw.get("tags", []), starred])
    key = hashlib.sha256(key_source.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return JrnlEntry(when, text, kept, starred, key), notes


def _check_text(text: str, what: str = "its text") -> None:
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"{what} holds a character that is not valid Unicode "
            f"(U+{ord(text[exc.start]):04X} at character {exc.start})"
        ) from None
    if size > MAX_TEXT_BYTES:
        raise ValueError(
            f"its text is {size // 1024} KiB, more than the {MAX_TEXT_BYTES // 1024} KiB "
            "one entry holds"
        )


def _label(number: int, raw: object) -> str:
    """How a refusal names an entry: its place in the file, date and title."""
    if not isinstance(raw, dict):
        return f"entry {number}"
    parts = [str(raw.get(k)) for k in ("date", "time") if isinstance(raw.get(k), str)]
    title = raw.get("title")
    if isinstance(title, str) and title.strip():
        parts.append(f'"{title.strip().splitlines()[0][:40]}"')
    return printable(f"entry {number} ({' '.join(parts)[:80]})" if parts else f"entry {number}")


def printable(text: str) -> str:
    """`text` with anything a UTF-8 terminal cannot take (a lone surrogate) as an escape, so a
    message quoting hostile input can always be printed."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def refusal(name: str, problems: Sequence[str], total: int) -> UsageError:
    """Nothing imported, and why: the first problems, each naming its entry."""
    listed = [printable(problem) for problem in problems[:_LISTED]]
    if len(problems) > _LISTED:
        listed.append(f"… and {len(problems) - _LISTED} more")
    count = "1 entry" if len(problems) == 1 else f"{len(problems)} entries"
    return UsageError(
        f"Nothing was imported: {count} of {total} in {name} cannot be imported.",
        hint="\n  ".join(
            [*listed, "Fix or remove them and import again; nothing is written until all can."]
        ),
    )


def _checked(
    raw_entries: Sequence[Any], zone: Zone, name: str, report: ImportReport
) -> list[JrnlEntry]:
    """Every entry parsed and numbered copy by copy, or the refusal naming the bad ones."""
    parsed: list[JrnlEntry] = []
    problems: list[str] = []
    copies: dict[str, int] = {}
    for number, raw in enumerate(raw_entries, start=1):
        try:
            item, notes = parse_jrnl_entry(raw, zone)
        except ValueError as exc:
            problems.append(f"{_label(number, raw)}: {exc}")
            continue
        if item is None:
            report.empty += 1
            continue
        copy = copies[item.key] = copies.get(item.key, 0) + 1
        # Two identical entries stay two, and a second import still adds none.
        key = item.key if copy == 1 else f"{item.key}-{copy}"
        label = _label(number, raw)
        notes_of = tuple(printable(f"{label}: {note}") for note in notes)
        parsed.append(replace(item, key=key, label=label, notes=notes_of))
    if problems:
        raise refusal(name, problems, len(raw_entries))
    return parsed


def import_jrnl(
    session: JournalSession,
    source: str,
    *,
    now: datetime,
    stdin: IO[bytes],
    tz: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a jrnl export into a journal or space; entries already imported are skipped."""
    zone = Zone(tz)
    name = "standard input" if source == "-" else source
    data = read_document(
        source, stdin, limit=MAX_IMPORT_BYTES, what="a jrnl JSON export", hint=JRNL_HINT
    )
    raw_entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(raw_entries, list):
        raise UsageError(f"{name} has no list of entries; is it a jrnl JSON export?", JRNL_HINT)
    report = ImportReport(zone=zone.label)
    entries = _checked(raw_entries, zone, name, report)
    known = {
        r.extra.get("import_key")
        for r in session.store.load().records
        if isinstance(r, Entry) and r.author == session.identity.member
    }
    todo = [item for item in entries if item.key not in known]
    report.already = len(entries) - len(todo)
    report.notes = [note for item in todo for note in item.notes]
    me = session.identity
    stamp = _seconds(now)

    def build(item: JrnlEntry, clock: int) -> Entry:
        extra: dict[str, Any] = {"imported_from": "jrnl", "import_key": item.key}
        if item.starred:
            extra["starred"] = True
        when = _seconds(item.when)
        # Filed in the month it was written: `created` is jrnl's time (it has no other), kept
        # from 1970 (ids count from then) to now (a future time is no one's writing time).
        created = min(max(when, _EPOCH), stamp)
        return Entry(
            id=new_record_id(created),
            author=me.member,
            device=me.device,
            clock=clock,
            created=created,
            when=when,
            body=item.text,
            tags=item.tags,
            extra=extra,
        )

    problems = []
    for item in todo:
        try:  # peerlog never publishes a record it would itself refuse to read
            decode_record(encode_record(build(item, 1)))
        except (MalformedRecord, ValueError) as exc:  # UnicodeError is a ValueError
            problems.append(f"{item.label}: {exc}")
    if problems:
        raise refusal(name, problems, len(raw_entries))
    total = len(todo)
    session.store.publish_many(
        [partial(build, item) for item in todo],
        writer=(me.member, me.device),
        now=now,
        progress=(lambda done: progress(done, total)) if progress else None,
    )
    report.added = total
    return report
