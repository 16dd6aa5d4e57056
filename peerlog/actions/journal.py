"""The private journal: write, read, revise and delete entries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from peerlog.classes import dataclass
from peerlog.errors import Ambiguous, NotFound, NothingDone, Refused, UsageError
from peerlog.fold import EntryFilter, EntryView, Journal, fold_journal, resolve_prefix
from peerlog.fold.journal import CheckinView
from peerlog.fold.query import search_strings, tags_by_count, words_found
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
from peerlog.records.tags import merge_tags, tag_key
from peerlog.store import Home, Identity, Problem, RecordStore, load_identity

if TYPE_CHECKING:
    from peerlog.store.queries import Candidates

MAX_TEXT_BYTES = 512 * 1024  # leaves room for front matter under the 1 MiB record limit


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
    seal = None
    if home.journal_key_file.exists():
        from peerlog.actions.encryption import journal_seal

        seal = journal_seal(home)
    store = RecordStore(
        root,
        home.cache_for(root),
        private=True,
        durable=home.durable,
        now=home.now,
        signer=identity.key,
        within=home.root,
        seal=seal,
    )
    return JournalSession(identity, store)


def clean_text(text: str) -> str:
    """Entry text as stored: blank lines and spaces at both ends removed, everything else kept."""
    return text.strip(" \t\r\n")


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


def publish_as_me(session: JournalSession, cls: type[R], *, now: datetime, **payload: Any) -> R:
    """Publish a record of type `cls` by this member and device, with the next clock.

    The envelope (id, author, device, clock, created) is filled in here, in one place.
    """
    me = session.identity
    for value in (now, *payload.values()):  # records carry years a reader accepts
        if isinstance(value, date) and not YEAR_MIN <= value.year <= YEAR_MAX:
            raise UsageError(
                f"The date {value.isoformat()} is outside the years {YEAR_MIN} to {YEAR_MAX}.",
                hint="Check the year.",
            )

    def build(clock: int) -> Record:
        return cls(
            id=new_record_id(now),
            author=me.member,
            device=me.device,
            clock=clock,
            created=_seconds(now),
            **payload,
        )

    seal = session.store.seal
    if seal is not None and seal.learn_keys is not None and seal.seals(cls.TYPE):
        session.store.ready_to_seal((me.member, me.device))
        if seal.rotate:
            from peerlog.actions.sealing import rotate_if_needed  # a sealed space only

            rotate_if_needed(session, now=now)
    record = session.store.publish(build, writer=(me.member, me.device), now=now)
    assert isinstance(record, cls)
    return record


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
    return publish_as_me(
        session,
        Entry,
        now=now,
        when=_seconds(when or now),
        body=check_text(text),
        tags=check_tags(tags),
        mood=check_mood(mood),
        extra={"starred": True} if starred else {},
    )


@dataclass(frozen=True, slots=True)
class Scoped:
    """One journal read for a command: where it came from, and what it folds to."""

    session: JournalSession
    journal: Journal


Skipped = list[tuple[JournalSession, Problem]]


def skipped_files(sessions: Sequence[JournalSession]) -> Skipped:
    """The files each journal had to skip, with where they were found."""
    return [(s, problem) for s in sessions for problem in s.store.index.problems()]


def fold_chosen(session: JournalSession, ids: Sequence[str]) -> Journal:
    """The journal folded on the records with these ids and everything that refers to them."""
    records = session.store.index.with_related(ids) if ids else []
    return fold_journal(records, space=session.space)


def read_scopes(sessions: Sequence[JournalSession]) -> tuple[list[Scoped], Skipped]:
    """Read and fold each whole journal; collect the skipped files with where they were found."""
    scoped = [Scoped(s, fold_journal(s.store.load().records, space=s.space)) for s in sessions]
    return scoped, skipped_files(sessions)


def scopes_with(sessions: Sequence[JournalSession], prefix: str) -> tuple[list[Scoped], Skipped]:
    """Each journal folded on just the entries and check-ins whose id starts with `prefix`
    (for `find_post`), and the skipped files."""
    wanted = prefix.strip().lower()
    scoped = [
        Scoped(s, fold_chosen(s, s.store.index.ids(("entry", "checkin"), wanted) if wanted else []))
        for s in sessions
    ]
    return scoped, skipped_files(sessions)


def _candidates(selection: EntryFilter) -> Candidates:
    from peerlog.store.queries import TRIGRAM, Candidates  # reads only: sqlite3
    from peerlog.store.rows import micros

    texts = search_strings(selection.words)
    words = selection.words
    # FTS5 finds plain words and phrases exactly; short ones and prefixes are checked on the
    # folded text by `words_found`, which SQL calls for each candidate.
    inexact = any(len(t) < TRIGRAM or t != w for t, w in zip(texts, words, strict=True))
    return Candidates(
        since=micros(selection.since) if selection.since is not None else None,
        until=micros(selection.until) if selection.until is not None else None,
        authors=selection.authors,
        tags=tuple(tag_key(t) for t in selection.tags),
        texts=tuple(t for t in texts if len(t) >= TRIGRAM),
        starred=selection.starred,
        match=(lambda haystack: words_found(words, haystack)) if inexact else None,
    )


@dataclass(frozen=True, slots=True)
class Selected:
    """What a listing chose: the `entries` it shows (best first), how many match in all
    (`total`), the entry ids next to theirs (so shortened ids stay unique among every
    entry's), and the skipped files."""

    entries: list[EntryView]
    total: int
    neighbours: list[str]
    skipped: Skipped


def select_entries(
    sessions: Sequence[JournalSession],
    selection: EntryFilter,
    number: int | None = None,
    *,
    counted: bool = False,
    ids: bool = True,
) -> Selected:
    """The visible entries `selection` matches, best first (by search rank when it has words,
    then newest first), at most `number` of them; with `counted`, how many match in all (else
    `total` is how many are shown); with `ids`, the entry ids next to theirs.

    SQL chooses, orders, pages and counts; the fold of the chosen entries and what refers to
    them (revisions, replies, deletions) decides what is shown, so only the page is folded.
    """
    wanted = _candidates(selection)
    found: list[tuple[float, EntryView]] = []
    total = 0
    for session in sessions:
        chosen, count = _select_in(session, wanted, number, counted=counted)
        found += chosen
        total += count
    found.sort(key=lambda item: item[1].sort_key(), reverse=True)
    found.sort(key=lambda item: item[0])
    views = [view for _, view in found][:number]
    if not counted or len(views) < (number or 0):
        total = len(views)  # all of them are here
    shown = [v.id for v in views]
    near = [i for s in sessions for i in s.store.index.neighbours(shown)] if ids else []
    return Selected(views, max(total, len(views)), near, skipped_files(sessions))


def _select_in(
    session: JournalSession, wanted: Candidates, number: int | None, *, counted: bool
) -> tuple[list[tuple[float, EntryView]], int]:
    """The page of one journal: the entries SQL chooses (store/queries.py), as the fold of
    them and of what refers to them shows them. Only an author's two files for one id (their
    own muddle, which `doctor` names) fold to fewer entries than were chosen: then the page
    reads further."""
    limit, total = number, None
    while True:
        chosen, count = session.store.index.candidates(
            wanted, limit, counted=counted and total is None
        )
        total = count if total is None else total
        rank = {(entry_id, author): r for entry_id, author, r, _, _ in chosen}
        journal = fold_chosen(session, list({entry_id for entry_id, *_ in chosen}))
        views = [v for v in journal.entries if (v.id, v.author) in rank]
        if limit is None or number is None or len(chosen) < limit or len(views) >= number:
            return [(rank[v.id, v.author], v) for v in views], total or 0
        limit *= 4


def count_tags(sessions: Sequence[JournalSession]) -> tuple[list[tuple[str, int]], Skipped]:
    """(tag, number of entries) over the journals, by count then name, each spelled as in the
    newest entry carrying it: one SQL query per journal (`RecordIndex.tag_counts`)."""
    tallies = [
        {key: (tag, n, newest) for key, tag, n, newest in s.store.index.tag_counts()}
        for s in sessions
    ]
    return tags_by_count(tallies), skipped_files(sessions)


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
        return only_one(where, prefix, lambda item: item[1].author, "entry")
    except NotFound:
        wanted = prefix.strip().lower()
        gone = {i for item in scoped for i in item.journal.deleted if i.startswith(wanted)}
        if len(gone) == 1:
            what = "Entry" if not checkins else "That record"
            raise NotFound(f"{what} {gone.pop()} was deleted.") from None
        raise


T = TypeVar("T")


def only_one(where: dict[str, list[T]], prefix: str, author: Callable[[T], str], what: str) -> T:
    """The one record (of `where`, by id) whose id starts with `prefix`; refused when members'
    records share the id (a copy made by someone else's peerlog): which one is meant is never
    guessed."""
    found = where[resolve_prefix(prefix, list(where), what=what)]
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
