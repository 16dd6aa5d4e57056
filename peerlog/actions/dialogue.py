"""Check-ins, resources, space agreements, and what is due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from peerlog.actions.journal import (
    JournalSession,
    Skipped,
    check_tags,
    check_text,
    clean_text,
    publish_as_me,
)
from peerlog.errors import NothingDone, UsageError
from peerlog.fold.agreements import AgreementView, fold_agreements
from peerlog.fold.query import resolve_prefix
from peerlog.fold.resources import ResourceView, fold_resources
from peerlog.fold.space import fold_members
from peerlog.records.dialogue import (
    AGREEMENT_TOPICS,
    ITEM_MAX,
    Agreement,
    Checkin,
    Helped,
    Resource,
    canonical_cadence,
)
from peerlog.records.mood import check_mood


def _item(text: str, what: str) -> str:
    cleaned = clean_text(text)
    if len(cleaned) > ITEM_MAX:
        raise UsageError(f"{what} is longer than {ITEM_MAX} characters.")
    return cleaned


def write_checkin(
    session: JournalSession,
    *,
    now: datetime,
    mood: int | None = None,
    wins: Sequence[str] = (),
    struggles: Sequence[str] = (),
    need: str = "",
    offer: str = "",
    note: str = "",
) -> Checkin:
    """Publish a check-in; an empty one saves nothing."""
    draft = {
        "mood": check_mood(mood),
        "wins": tuple(w for w in (_item(w, "A win") for w in wins) if w),
        "struggles": tuple(s for s in (_item(s, "A struggle") for s in struggles) if s),
        "need": _item(need, "What you need"),
        "offer": _item(offer, "What you offer"),
        "body": check_text(note) if clean_text(note) else "",
    }
    if draft["mood"] is None and not any(draft[k] for k in draft if k != "mood"):
        raise NothingDone("Nothing saved: the check-in is empty.")
    return publish_as_me(session, Checkin, now=now, **draft)


def add_resource(
    session: JournalSession,
    title: str,
    *,
    now: datetime,
    url: str = "",
    note: str = "",
    tags: Sequence[str] = (),
) -> Resource:
    cleaned = " ".join(title.split())
    if not cleaned or len(cleaned) > 200:
        raise UsageError("A resource needs a title of 1 to 200 characters.")
    return publish_as_me(
        session,
        Resource,
        now=now,
        title=cleaned,
        url=_item(url, "The link"),
        tags=check_tags(tags),
        body=check_text(note) if clean_text(note) else "",
    )


def read_resources(
    sessions: Sequence[JournalSession],
) -> tuple[list[tuple[JournalSession, ResourceView]], Skipped]:
    found, problems = [], []
    for session in sessions:
        loaded = session.store.load()
        found += [(session, r) for r in fold_resources(loaded.records, session.space)]
        problems += [(session, p) for p in loaded.problems]
    # Newest first by time: clocks of different journals cannot be compared.
    found.sort(key=lambda pair: (pair[1].resource.created, pair[1].id), reverse=True)
    return found, problems


def find_resource(
    found: Sequence[tuple[JournalSession, ResourceView]], prefix: str
) -> tuple[JournalSession, ResourceView]:
    by_id = {view.id: (session, view) for session, view in found}
    return by_id[resolve_prefix(prefix, list(by_id), what="resource")]


def mark_helped(session: JournalSession, view: ResourceView, *, now: datetime) -> Helped:
    if session.identity.member in view.helped_by:
        raise NothingDone(f"You already marked '{view.resource.title}' as helpful.")
    return publish_as_me(session, Helped, now=now, target=view.id, target_by=view.resource.author)


def agree(session: JournalSession, topic: str, value: str, *, now: datetime) -> Agreement:
    """Say what I agree to for one of the space's agreements."""
    if session.space is None:
        raise UsageError("Agreements belong to a shared space.", hint="Name one with a SPACE.")
    if topic not in AGREEMENT_TOPICS:
        raise UsageError(
            f"'{topic}' is not something a space agrees on.",
            hint=f"Topics: {', '.join(AGREEMENT_TOPICS)}.",
        )
    return publish_as_me(session, Agreement, now=now, topic=topic, value=canonical_cadence(value))


def agreement(session: JournalSession, topic: str) -> AgreementView:
    """Where one of the space's agreements stands now (after `agree`, it exists, unless what
    this device said does not count yet: then nobody has said anything that counts)."""
    records = session.store.load().records
    members = [m.member for m in fold_members(records)]
    nothing = AgreementView(topic, None, None, (), tuple(members))
    return fold_agreements(records, members).get(topic, nothing)
