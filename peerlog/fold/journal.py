"""Journal entries with their revisions applied, tombstones honoured and replies attached.

An entry's current version is the one from the revision with the highest (clock, id) among those
written by the entry's own author; a deletion by a record's author hides that record (an entry
or a reply). A revision or deletion only ever points at its own author's records (`claims.py`):
one aimed at someone else's is ignored and listed in `Journal.refused`, so nobody can change
what another wrote; one that is only shown (a newcomer's, or unsigned: fold/trust.py) never
changes a record that counts. Replies are shown in merge order under their entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cached_property

from peerlog.classes import dataclass
from peerlog.fold.claims import Claims
from peerlog.records import Deletion, Entry, Record, Reply, Revision
from peerlog.records.dialogue import Checkin
from peerlog.records.tags import inline_tags, merge_tags


@dataclass(frozen=True)  # not slots: `tags` is cached on the instance
class Version:
    """One version of an entry: the original, or a revision of it."""

    record_id: str
    created: datetime
    text: str
    explicit_tags: tuple[str, ...]
    mood: int | None

    @cached_property
    def tags(self) -> tuple[str, ...]:
        """Explicit tags and `#tags` in the text; worked out once, and only when asked."""
        return merge_tags(self.explicit_tags, inline_tags(self.text))


@dataclass(frozen=True)  # not slots: `versions` is worked out on first use and kept
class EntryView:
    """An entry as the user sees it now."""

    entry: Entry
    revisions: tuple[Revision, ...] = ()  # the author's, in merge order
    replies: tuple[Reply, ...] = ()  # in merge order
    space: str | None = None  # None: the private journal

    @cached_property
    def versions(self) -> tuple[Version, ...]:
        """Oldest first; the last one is current. Built only for entries that are looked at
        (a list of ten out of thousands pays for ten)."""
        entry = self.entry
        first = Version(entry.id, entry.created, entry.body, entry.tags, entry.mood)
        return (first, *(Version(r.id, r.created, r.body, r.tags, r.mood) for r in self.revisions))

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def author(self) -> str:
        return self.entry.author

    @property
    def when(self) -> datetime:
        return self.entry.when

    @property
    def current(self) -> Version:
        return self.versions[-1]

    @property
    def text(self) -> str:
        return self.current.text

    @property
    def tags(self) -> tuple[str, ...]:
        return self.current.tags

    @property
    def mood(self) -> int | None:
        return self.current.mood

    @property
    def edited(self) -> bool:
        return len(self.versions) > 1

    @property
    def starred(self) -> bool:
        return self.entry.starred

    @property
    def standing(self) -> str:
        """ "" when it counts as its author's, else why it is only shown (fold/trust.py)."""
        return self.entry.standing

    def sort_key(self) -> tuple[datetime, int, str]:
        return (self.entry.when, self.entry.clock, self.entry.id)


@dataclass(frozen=True, slots=True)
class CheckinView:
    """A check-in with the replies to it."""

    checkin: Checkin
    replies: tuple[Reply, ...] = ()
    space: str | None = None

    @property
    def id(self) -> str:
        return self.checkin.id

    @property
    def author(self) -> str:
        return self.checkin.author

    @property
    def when(self) -> datetime:
        return self.checkin.created

    @property
    def standing(self) -> str:
        return self.checkin.standing


@dataclass(frozen=True, slots=True)
class Journal:
    """The folded journal."""

    entries: tuple[EntryView, ...]  # visible entries, newest first
    deleted: frozenset[str]  # ids of entries hidden by their author's tombstone
    refused: tuple[Record, ...]  # revisions/deletions by someone other than the author
    checkins: tuple[CheckinView, ...] = ()  # newest first


def fold_journal(records: Iterable[Record], space: str | None = None) -> Journal:
    """Fold entries, revisions, deletions and replies into the visible journal."""
    claims = Claims(records)
    ordered = claims.ordered
    revisions: dict[tuple[str, str], list[Revision]] = {}
    replies: dict[tuple[str, str], list[Reply]] = {}
    deleted: set[tuple[str, str]] = set()
    refused: list[Record] = []
    for record in ordered:
        if isinstance(record, Reply):
            post = claims.resolve(record.target, record.target_by, (Entry, Checkin))
            if post is not None:  # else its target has not arrived yet; it applies when it does
                replies.setdefault((post.author, post.id), []).append(record)
        elif isinstance(record, Revision | Deletion):
            target = claims.own(record.author, record.target, Record)
            if target is None:
                if claims.anyone_holds(record.target):
                    refused.append(record)  # aimed at what someone else wrote
            elif record.standing and not target.standing:
                continue  # what only shows (fold/trust.py) never changes what counts
            elif isinstance(record, Deletion):
                deleted.add((target.author, target.id))
            elif isinstance(target, Entry):
                revisions.setdefault((target.author, target.id), []).append(record)
    views = [
        EntryView(
            entry=record,
            revisions=tuple(revisions.get((record.author, record.id), ())),
            replies=_visible(replies.get((record.author, record.id)), deleted),
            space=space,
        )
        for record in ordered
        if isinstance(record, Entry) and (record.author, record.id) not in deleted
    ]
    views.sort(key=EntryView.sort_key, reverse=True)
    checkins = [
        CheckinView(
            checkin=record,
            replies=_visible(replies.get((record.author, record.id)), deleted),
            space=space,
        )
        for record in ordered
        if isinstance(record, Checkin) and (record.author, record.id) not in deleted
    ]
    checkins.reverse()  # merge order, newest first
    entry_deleted = frozenset(
        record_id
        for author, record_id in deleted
        if claims.own(author, record_id, (Entry, Checkin)) is not None
    )
    return Journal(
        entries=tuple(views),
        deleted=entry_deleted,
        refused=tuple(refused),
        checkins=tuple(checkins),
    )


def _visible(replies: list[Reply] | None, deleted: set[tuple[str, str]]) -> tuple[Reply, ...]:
    if not replies:
        return ()
    return tuple(r for r in replies if (r.author, r.id) not in deleted)
