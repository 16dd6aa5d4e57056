"""The private journal: write, read, revise and delete entries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from peerlog.classes import dataclass
from peerlog.errors import Ambiguous, NotFound, NothingDone, Refused, UsageError
from peerlog.fold import EntryView, Journal, fold_journal, resolve_prefix
from peerlog.fold.journal import CheckinView
from peerlog.fold.query import TagTally, tags_by_count, tally_tags
from peerlog.records import (
    Deletion,
    Entry,
    Record,
    Reply,
    Revision,
    check_tag,
    new_record_id,
)
from peerlog.records.model import YEAR_MAX, YEAR_MIN
from peerlog.records.mood import check_mood
from peerlog.records.tags import merge_tags
from peerlog.store import Home, Identity, Loaded, Problem, RecordStore, View, load_identity
from peerlog.store.record_store import view_classes

MAX_TEXT_BYTES = 512 * 1024  # leaves room for front matter under the 1 MiB record limit
_EDGE_WHITESPACE = " \t\r\n"


@dataclass(frozen=True, slots=True)
class JournalSession:
    """Who is writing, and the store they write to: the private journal, or a space."""

    identity: Identity
    store: RecordStore
    space: str | None = None  # the space's local name; None for the private journal

    @property
    def label(self) -> str:
        return f"space {self.space}" if self.space else "private journal"


def open_private_journal(home: Home) -> JournalSession:
    """The private journal of an initialised home (raises NotInitialised before `init`)."""
    identity = load_identity(home)
    root = home.journal_root
    store = RecordStore(
        root,
        home.cache_for(root),
        private=True,
        durable=home.durable,
        now=home.now,
        signer=identity.key,
        within=home.root,
    )
    return JournalSession(identity, store)


def clean_text(text: str) -> str:
    """Entry text as stored: blank lines and spaces at both ends removed, everything else kept."""
    return text.strip(_EDGE_WHITESPACE)


def check_text(text: str) -> str:
    """Cleaned text, or NothingDone when nothing is left, UsageError when it is too long."""
    cleaned = clean_text(text)
    if not cleaned:
        raise NothingDone("Nothing saved: the entry is empty.")
    if len(cleaned.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise UsageError(
            f"The entry is longer than {MAX_TEXT_BYTES // 1024} KiB, the most one entry holds.",
            hint="Split it into several entries.",
        )
    try:
        cleaned.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(
            "The text holds bytes that are not valid UTF-8.",
            hint="Save it as UTF-8 text and try again.",
        ) from None
    return cleaned


def _seconds(moment: datetime) -> datetime:
    # Stored times are whole seconds so files stay readable; order within a second comes from
    # the logical clock. Ids still use the full-precision time.
    return moment.replace(microsecond=0)


R = TypeVar("R", bound=Record)
V = TypeVar("V")


def publish_as_me(session: JournalSession, cls: type[R], *, now: datetime, **payload: Any) -> R:
    """Publish a record of type `cls` by this member and device, with the next clock.

    The envelope (id, author, device, clock, created) is filled in here, in one place.
    """
    me = session.identity
    for value in (now, *payload.values()):
        _check_year(value)

    def build(clock: int) -> Record:
        return cls(
            id=new_record_id(now),
            author=me.member,
            device=me.device,
            clock=clock,
            created=_seconds(now),
            **payload,
        )

    record = session.store.publish(build, writer=(me.member, me.device), now=now)
    assert isinstance(record, cls)
    return record


def _check_year(value: object) -> None:
    """Refuse times a reader would reject (records carry years YEAR_MIN to YEAR_MAX)."""
    if isinstance(value, date) and not YEAR_MIN <= value.year <= YEAR_MAX:
        raise UsageError(
            f"The date {value.isoformat()} is outside the years {YEAR_MIN} to {YEAR_MAX}.",
            hint="Check the year.",
        )


def check_tags(tags: Sequence[str]) -> tuple[str, ...]:
    return merge_tags([check_tag(t) for t in tags])


def write_entry(
    session: JournalSession,
    text: str,
    *,
    now: datetime,
    when: datetime | None = None,
    tags: Sequence[str] = (),
    mood: int | None = None,
    starred: bool = False,
) -> Entry:
    """Publish a new entry. Costs the same however long the journal is."""
    body = check_text(text)
    explicit = check_tags(tags)
    checked_mood = check_mood(mood)
    return publish_as_me(
        session,
        Entry,
        now=now,
        when=_seconds(when or now),
        body=body,
        tags=explicit,
        mood=checked_mood,
        extra={"starred": True} if starred else {},
    )


def read_journal(session: JournalSession) -> tuple[Journal, list[Problem]]:
    """The folded journal and the files that had to be skipped."""
    loaded = session.store.load()
    return fold_journal(loaded.records, space=session.space), loaded.problems


@dataclass(frozen=True, slots=True)
class Scoped:
    """One journal read for a command: where it came from, and what it folds to."""

    session: JournalSession
    journal: Journal


def read_scopes(
    sessions: Sequence[JournalSession],
) -> tuple[list[Scoped], list[tuple[JournalSession, Problem]]]:
    """Read and fold each journal; collect the skipped files with where they were found."""
    scoped, problems = [], []
    for session in sessions:
        journal, found = read_journal(session)
        scoped.append(Scoped(session, journal))
        problems += [(session, problem) for problem in found]
    return scoped, problems


def view_of_each(
    sessions: Sequence[JournalSession],
    view: View[V],
    key: Callable[[JournalSession], object] | None = None,
) -> tuple[list[V], list[tuple[JournalSession, Problem]]]:
    """`view` of each journal, in order (asked for with `key(session)`, else the journal's
    space), and the files that were skipped."""
    values: list[V] = []
    problems: list[tuple[JournalSession, Problem]] = []
    for session in sessions:
        value, skipped = session.store.view(view, session.space if key is None else key(session))
        values.append(value)
        problems += [(session, problem) for problem in skipped]
    return values, problems


NEWEST_KEPT = 100  # `list -n N` up to this many is served by the cached view


@dataclass(frozen=True, slots=True)
class NewestEntries:
    """The newest visible entries of one journal, and every visible entry's id (so shortened
    ids stay unique)."""

    newest: tuple[EntryView, ...]  # newest first, at most NEWEST_KEPT
    ids: tuple[str, ...]  # every visible entry


def _newest(loaded: Loaded, space: Any) -> NewestEntries:
    entries = fold_journal(loaded.records, space).entries
    newest = entries[:NEWEST_KEPT]
    for view in newest:
        _ = view.versions  # worked out once, here, and kept with the view
    return NewestEntries(newest, tuple(view.id for view in entries))


def _tag_tally(loaded: Loaded, space: Any) -> TagTally:
    return tally_tags(fold_journal(loaded.records, space).entries)


# Views (see RecordStore.view): what `list -n N` and `tags` read instead of every record.
NEWEST = View(
    "newest-entries-2",
    _newest,
    NewestEntries,
    view_classes(
        "peerlog.actions.journal.NewestEntries",
        "peerlog.fold.journal.EntryView",
        "peerlog.fold.journal.Version",
    ),
)
TAGS = View("tags-2", _tag_tally, dict)


def newest_entries(
    sessions: Sequence[JournalSession], number: int
) -> tuple[list[EntryView], list[str], list[tuple[JournalSession, Problem]]] | None:
    """The `number` newest visible entries of the journals, every visible entry's id, and the
    skipped files; read from each journal's cached view. None when `number` is more than the
    view keeps (read everything instead)."""
    if number > NEWEST_KEPT:
        return None
    each, problems = view_of_each(sessions, NEWEST)
    views = [view for newest in each for view in newest.newest]
    ids = [entry_id for newest in each for entry_id in newest.ids]
    if len(sessions) > 1:
        views.sort(key=EntryView.sort_key, reverse=True)
    return views[:number], ids, problems


def count_tags(
    sessions: Sequence[JournalSession],
) -> tuple[list[tuple[str, int]], list[tuple[JournalSession, Problem]]]:
    """(tag, number of entries) over the journals, from each one's cached tally."""
    tallies, problems = view_of_each(sessions, TAGS)
    return tags_by_count(tallies), problems


def merged_entries(scoped: Sequence[Scoped]) -> list[EntryView]:
    """Visible entries of several journals, newest first."""
    views = [view for item in scoped for view in item.journal.entries]
    if len(scoped) > 1:
        views.sort(key=EntryView.sort_key, reverse=True)
    return views


def find_entry(scoped: Sequence[Scoped], prefix: str) -> tuple[JournalSession, EntryView]:
    """The one visible entry whose id starts with `prefix`, and the journal holding it."""
    session, post = find_post(scoped, prefix, checkins=False)
    assert isinstance(post, EntryView)
    return session, post


def find_post(
    scoped: Sequence[Scoped], prefix: str, *, checkins: bool = True
) -> tuple[JournalSession, EntryView | CheckinView]:
    """The one visible entry (or check-in) whose id starts with `prefix`, and where it is."""
    where: dict[str, list[tuple[JournalSession, EntryView | CheckinView]]] = {}
    for item in scoped:
        for view in item.journal.entries:
            where.setdefault(view.id, []).append((item.session, view))
        for checkin in item.journal.checkins if checkins else ():
            where.setdefault(checkin.id, []).append((item.session, checkin))
    try:
        found = where[resolve_prefix(prefix, list(where))]
        return only_one(found, lambda item: item[1].author, "entry")
    except NotFound:
        wanted = prefix.strip().lower()
        gone = {i for item in scoped for i in item.journal.deleted if i.startswith(wanted)}
        if len(gone) == 1:
            what = "Entry" if not checkins else "That record"
            raise NotFound(f"{what} {gone.pop()} was deleted.") from None
        raise


T = TypeVar("T")


def only_one(found: Sequence[T], author: Callable[[T], str], what: str) -> T:
    """The one record an id names; refused when members' records share the id (a copy made
    by someone else's peerlog): which one is meant is never guessed."""
    if len(found) == 1:
        return found[0]
    authors = ", ".join(sorted({author(item) for item in found}))
    raise Ambiguous(
        f"More than one member's {what} has this id (by {authors}).",
        hint="Run `peerlog doctor`: it names the files that share it.",
    )


def check_own(session: JournalSession, view: EntryView | CheckinView, verb: str) -> None:
    """Refuse unless the entry is mine: nobody changes what another member wrote."""
    if view.author != session.identity.member:
        raise Refused(
            f"Entry {view.id} was written by {view.author}; only they can {verb} it.",
            hint="You can reply to it instead.",
        )


def revise_entry(
    session: JournalSession,
    view: EntryView,
    text: str,
    *,
    now: datetime,
    add_tags: Sequence[str] = (),
    mood: int | None = None,
) -> Revision:
    """Publish a revision of one of my entries; the earlier versions stay on disk."""
    check_own(session, view, "edit")
    body = check_text(text)
    explicit = merge_tags(view.current.explicit_tags, check_tags(add_tags))
    new_mood = check_mood(mood) if mood is not None else view.mood
    current = view.current
    if (body, explicit, new_mood) == (current.text, current.explicit_tags, current.mood):
        raise NothingDone("Nothing saved: the entry is unchanged.")
    return publish_as_me(
        session, Revision, now=now, target=view.id, body=body, tags=explicit, mood=new_mood
    )


def delete_entry(
    session: JournalSession, view: EntryView | CheckinView, *, now: datetime
) -> Deletion:
    """Publish a tombstone for one of my entries; its file stays, every view hides it."""
    check_own(session, view, "delete")
    return publish_as_me(session, Deletion, now=now, target=view.id)


def reply_to(
    session: JournalSession, view: EntryView | CheckinView, text: str, *, now: datetime
) -> Reply:
    """Publish a reply to an entry or check-in, in the same place as it."""
    body = check_text(text)
    return publish_as_me(session, Reply, now=now, target=view.id, target_by=view.author, body=body)
