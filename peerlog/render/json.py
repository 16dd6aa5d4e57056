"""Machine output: `--json` and JSON export. Keys are stable and documented in docs/json.md.

Rich-free. Text goes out exactly as stored (JSON escapes control characters itself).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from peerlog.fold import EntryView, Version

if TYPE_CHECKING:
    from peerlog.fold.due import DueItem
    from peerlog.fold.goals import GoalView, TermsView
    from peerlog.fold.journal import CheckinView
    from peerlog.fold.progress import Progress
    from peerlog.fold.resources import ResourceView
    from peerlog.fold.space import DeviceView
    from peerlog.fold.summary import Summary
    from peerlog.records import Reply
    from peerlog.reports import SpaceReport


def version_json(version: Version, created: str | None = None) -> dict[str, Any]:
    """One version of an entry (`created`: its time as text, when the caller has it)."""
    return {
        "record": version.record_id,
        "created": created or version.created.isoformat(),
        "text": version.text,
        "tags": list(version.tags),
        "mood": version.mood,
    }


def entry_json(view: EntryView, *, history: bool = False) -> dict[str, Any]:
    """One entry. `history` adds every version, oldest first."""
    entry, versions = view.entry, view.versions
    current = versions[-1]
    # An entry never edited is its one version: its times are written once (an export of
    # thousands of entries spends more on writing times than on anything else it asks).
    created = entry.created.isoformat()
    data: dict[str, Any] = {
        "id": entry.id,
        "type": "entry",
        "author": entry.author,
        "standing": entry.standing or None,
        "device": entry.device,
        "date": entry.when.isoformat(),
        "created": created,
        "updated": created if len(versions) == 1 else current.created.isoformat(),
        "edited": len(versions) > 1,
        "starred": entry.starred,
        "mood": current.mood,
        "tags": list(current.tags),
        "text": current.text,
        "space": view.space,
        "replies": _replies_json(view.replies),
    }
    if history:
        data["history"] = [version_json(versions[0], created)]
        data["history"] += [version_json(v) for v in versions[1:]]
    return data


def print_document(document: Iterable[str]) -> None:
    """An export on stdout as it is made, a megabyte at a time (a pipe costs a system call for
    each few kilobytes written): exact when redirected or piped (it is a backup), made inert
    when it would reach a terminal (partner text must never steer it)."""
    clean: Callable[[str], str] = str  # the text as it is
    if sys.stdout.isatty():
        from peerlog.render.sanitize import clean_terminal_text

        clean = clean_terminal_text
    pending: list[str] = []
    size = 0
    for piece in document:
        pending.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            sys.stdout.write(clean("".join(pending)))
            pending, size = [], 0
    sys.stdout.write(clean("".join(pending)))
    sys.stdout.flush()


_CHUNK = 1 << 20


def tags_json(pairs: Sequence[tuple[str, int]]) -> list[dict[str, Any]]:
    return [{"tag": tag, "count": count} for tag, count in pairs]


def dumps(data: object) -> str:
    """Readable (indented) UTF-8 JSON in which no character can act on a terminal (see
    sanitize). Indented, the standard library's encoder is pure Python: an export writes each
    item of its lists on one line instead (render/export.py)."""
    from peerlog.render.sanitize import escape_for_json_output

    return escape_for_json_output(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def print_json(data: object) -> None:
    # Surrogates cannot be encoded to a UTF-8 terminal; escape them rather than crash.
    text = dumps(data)
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        sys.stdout.write(json.dumps(data, ensure_ascii=True, indent=2) + "\n")
    sys.stdout.flush()


def space_json(
    report: SpaceReport, skewed: Sequence[tuple[str, DeviceView, timedelta]]
) -> dict[str, Any]:
    """`space show --json`."""
    return {
        "name": report.ref.name,
        "id": report.ref.id,
        "path": str(report.ref.path),
        "created": report.info.created.isoformat() if report.info else None,
        "created_by": report.info.created_by if report.info else None,
        "members": [
            {
                "member": m.member,
                "name": m.name,
                "last_activity": m.last_activity.isoformat() if m.last_activity else None,
                "devices": [
                    {
                        "device": d.device,
                        "records": d.records,
                        "first": d.first.isoformat(),
                        "last": d.last.isoformat(),
                    }
                    for d in m.devices
                ],
            }
            for m in report.members
        ],
        "agreements": {
            topic: {
                "in_force": a.in_force,
                "proposed": a.proposed,
                "says": dict(a.says),
                "waiting_for": list(a.waiting_for),
            }
            for topic, a in sorted(report.agreements.items())
        },
        "clock_warnings": [
            {"member": member, "device": device.device, "ahead_seconds": int(ahead.total_seconds())}
            for member, device, ahead in skewed
        ],
        "secured": report.membership.secured,
        "sealed": report.ref.sealed,
        "admitted": list(report.membership.members),
        "keys": [
            {
                "member": k.member,
                "device": k.device,
                "key": k.key,
                "fingerprint": report.fingerprint(k.key),
                "status": k.status,
                "admitted_by": list(k.admitted_by),
                "this_device": (k.member, k.device, k.key) == report.me,
            }
            for k in report.membership.keys
        ],
    }


def _terms_json(terms: TermsView) -> dict[str, Any]:
    return {
        "id": terms.id,
        "proposed_by": terms.proposed_by,
        "created": terms.created.isoformat(),
        "title": terms.title,
        "why": terms.why,
        "target": terms.target_text,
        "by": terms.by.isoformat() if terms.by else None,
        "accepted_by": list(terms.accepted_by),
        "declined_by": [{"member": m, "reason": r} for m, r in terms.declined_by],
        "agreed": terms.agreed,
    }


def goal_json(goal: GoalView, progress: Progress, *, history: bool = True) -> dict[str, Any]:
    """`goal show --json` (and, without history, each item of `goal list --json`)."""
    current = progress.this_period
    data: dict[str, Any] = {
        "id": goal.id,
        "space": goal.space,
        "title": goal.title,
        "state": goal.state,
        "proposed_by": goal.proposed_by,
        "created": goal.created.isoformat(),
        "participants": list(goal.participants),
        "active": list(goal.active),
        "withdrawn": list(goal.withdrawn),
        "waiting_for": list(goal.waiting_for),
        "completion_votes": list(goal.completion_votes),
        "active_since": goal.active_since.isoformat() if goal.active_since else None,
        "terms": _terms_json(goal.terms) if goal.terms else None,
        "pending": [_terms_json(t) for t in goal.pending],
        "progress": {
            "kind": progress.kind,
            "total": progress.total,
            "target": str(progress.target) if progress.target else None,
            "this_period": (
                {
                    "start": current.start.isoformat(),
                    "end": current.end.isoformat(),
                    "amount": current.amount,
                    "target": current.target,
                    "met": current.met,
                }
                if current
                else None
            ),
            "consistency": progress.consistency,
            "run": progress.run,
            "behind": progress.behind,
            "periods": [
                {"start": p.start.isoformat(), "amount": p.amount, "met": p.met, "rested": p.rested}
                for p in progress.periods
            ],
        },
    }
    if history:
        data["history"] = [
            {
                "id": event.id,
                "type": event.type,
                "author": event.author,
                "created": event.created.isoformat(),
                "clock": event.clock,
            }
            for event in goal.history
        ]
    return data


def _replies_json(replies: Sequence[Reply]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "author": r.author,
            "standing": r.standing or None,
            "created": r.created.isoformat(),
            "text": r.body,
        }
        for r in replies
    ]


def checkin_json(view: CheckinView) -> dict[str, Any]:
    """A check-in (`show --json`, `checkins --json`)."""
    c = view.checkin
    return {
        "id": c.id,
        "type": "checkin",
        "author": c.author,
        "standing": c.standing or None,
        "device": c.device,
        "created": c.created.isoformat(),
        "space": view.space,
        "mood": c.mood,
        "wins": list(c.wins),
        "struggles": list(c.struggles),
        "need": c.need,
        "offer": c.offer,
        "note": c.body,
        "replies": _replies_json(view.replies),
    }


def resource_json(view: ResourceView) -> dict[str, Any]:
    r = view.resource
    return {
        "id": r.id,
        "author": r.author,
        "standing": r.standing or None,
        "created": r.created.isoformat(),
        "space": view.space,
        "title": r.title,
        "url": r.url,
        "tags": list(r.tags),
        "note": r.body,
        "helped_by": list(view.helped_by),
    }


def due_json(items: Sequence[DueItem]) -> list[dict[str, Any]]:
    return [{"kind": i.kind, "space": i.space, "ref": i.ref, "text": i.text} for i in items]


def summary_json(summary: Summary) -> dict[str, Any]:
    """`summary --json`: the same sections as the dashboard."""
    return {
        "me": summary.me,
        "start": summary.start.isoformat(),
        "today": summary.today.isoformat(),
        "goals": [goal_json(g, p, history=False) for g, p in summary.goals],
        "activity": {day.isoformat(): n for day, n in sorted(summary.activity.items())},
        "moods": {member: list(values) for member, values in summary.moods.items()},
        "balance": [
            {
                "member": b.member,
                "entries": b.entries,
                "checkins": b.checkins,
                "replies_given": b.replies_given,
                "replies_received": b.replies_received,
                "resources": b.resources,
                "standing": b.standing or None,
            }
            for b in summary.balance
        ],
        "wins": [
            {
                "when": w.when.isoformat(),
                "member": w.member,
                "text": w.text,
                "source": w.source,
                "standing": w.standing or None,
            }
            for w in summary.wins
        ],
        "due": due_json(summary.due),
    }
