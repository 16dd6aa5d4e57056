"""`doctor`: check the private journal and every space, and say what each finding means.

Reads every file from disk again, never trusting the index (a record rewritten in place is found
by comparing the two), and like every other command never follows links nor parses non-record
files. Changes nothing, except that `clean=True` removes stale temp files from this device's own
folders, and an index that remembered a record other than the one on disk is dropped.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from peerlog.actions.journal import JournalSession
from peerlog.actions.spaces import open_scopes, space_ref
from peerlog.fold import fold_journal
from peerlog.fold.claims import Claims
from peerlog.fold.space import fold_members, skewed_devices
from peerlog.reports import Checked, DoctorReport, Finding
from peerlog.store import Home, Problem
from peerlog.store.oddities import Oddity, find_oddities, points_outside, remove_stale_temp

_PROBLEM_ADVICE = {
    "malformed": "peerlog skips it. If a peer wrote it, ask them to run `peerlog doctor`; "
    "if it was edited by hand, restore it from a backup.",
    "misplaced": "peerlog ignores it: a record must sit in its own author's and device's folder. "
    "Move it out of the space; tell your peers if you did not expect it.",
    "too-large": "peerlog skips it. Remove it if it does not belong here.",
    "unreadable": "Check its permissions (peerlog must be able to read it) and that the disk "
    "is healthy.",
    "missing": "Mount the drive or start the sync tool. Until then commands that read every "
    "journal skip this space with a warning, and commands for this space stop.",
    "tampered": "peerlog skips it: its bytes are not what its device signed. If nobody you "
    "trust edited it, someone changed it on the way; restore it from a backup or another "
    "member's copy.",
    "forged": "peerlog ignores them: a member's records count only when signed by one of "
    "their own devices. Tell the member they claim; remove the folder if it is not theirs.",
    "waiting": "peerlog does not count them yet. If this is a new member, compare "
    "fingerprints and run `peerlog space admit MEMBER`; if it is a member's new device, they "
    "approve it with `peerlog device approve`. If nobody expects it, someone may be posing as "
    "that member: do not admit it.",
    "revoked": "The member revoked that device; what it signed afterwards does not count.",
    "unsigned": "They were written before peerlog signed records. See the README's "
    "'Upgrading from 0.1'.",
    "not-admitted": 'peerlog shows them marked "not yet admitted" and counts them for '
    "nothing that needs agreement. If you expect this member, compare fingerprints with them "
    "(`peerlog space show`) and run `peerlog space admit MEMBER`; if nobody expects them, do "
    "not admit them.",
    "future-clock": "peerlog leaves it out until then. Check the clock of the device that "
    "wrote it; if nobody's clock is wrong, ask the author what wrote the file.",
    "sealed": "Nothing of them is shown until a member gives this device the key, as said "
    "above. If you left this space, or this device was revoked, what was written since is not "
    "for you.",
    "undecryptable": "peerlog skips it: it does not open with the key this device was given "
    "for it, so it was sealed with another key (a member's peerlog with a bug, or a file "
    "planted by someone who can write into the folder), or changed on the way. Ask its "
    "author to run `peerlog doctor`.",
    "conflict-markers": "peerlog skips it. Records are written once, so restore the file as its "
    "author wrote it (their copy, or `git checkout` of the version before the merge) and commit.",
}


_ODDITY_WORDS = {
    "conflict-copy": (
        "{detail} made this conflict copy because a file changed in two places at once. "
        "peerlog never changes a file after writing it, so something else edited it.",
        "peerlog ignores the copy. Compare it with the original (the same name without the "
        "conflict part) and delete the copy once nothing in it is needed.",
    ),
    "symlink": (
        "This is a symbolic link to {detail}. peerlog never follows links.",
        "Replace it with the real file or folder, or remove it.",
    ),
    "git-leftover": (
        "git left this file behind from a merge (a backup, or one side of a conflict).",
        "peerlog ignores it. Once the merge is resolved and committed, delete it.",
    ),
    "unreadable": (
        "This folder could not be read ({detail}), so nothing in it is shown.",
        _PROBLEM_ADVICE["unreadable"],
    ),
    "too-deep": (
        "A folder nested {detail}; peerlog never makes such folders and does not look inside.",
        "Remove it if it does not belong here.",
    ),
    "special-file": (
        "This is {detail}, not a file; peerlog never opens it.",
        "Remove it: only plain files and folders belong here.",
    ),
    "stray-temp": (
        "A temporary file left by an interrupted write ({detail} old). The write it belonged "
        "to never reported success, so nothing that was saved is missing.",
        "Run `peerlog doctor --clean` to remove it.",
    ),
}


def run_doctor(
    home: Home, *, now: datetime, space: str | None = None, clean: bool = False
) -> DoctorReport:
    report = DoctorReport()
    for session in open_scopes(home, space, everything=True):
        space_id = space_ref(home, session.space).id if session.space else ""
        _check(session, now, clean, report, space_id)
    return report


def _check(
    session: JournalSession, now: datetime, clean: bool, report: DoctorReport, space_id: str
) -> None:
    store, me = session.store, session.identity
    # What the index remembers of each record, to find a file that now reads differently:
    remembered = {(r.author, r.device, r.id): r for r in store.index.remembered()}
    fresh = store.read_from_disk()
    records, problems = fresh.records, fresh.problems
    report.checked.append(Checked(session.label, str(store.root), len(records)))
    add = report.findings.append

    def found(kind: str, path: object, message: str, advice: str) -> None:
        add(Finding(kind, session.label, str(path), message, advice))

    for problem in problems:
        if problem.kind != "symlink":  # every link is reported below, with its target
            found(
                problem.kind,
                store.root / problem.path,
                _problem_message(problem),
                _PROBLEM_ADVICE.get(problem.kind, _PROBLEM_ADVICE["malformed"]),
            )
    # The records shown without counting, by standing, member, device and key:
    shown_only = Counter((r.standing, r.author, r.device, r.key) for r in records if r.standing)
    for shown, count in sorted(shown_only.items()):
        add(_standing_finding(session, space_id, shown, count))
    changed = [r for r in records if remembered.get((r.author, r.device, r.id), r) != r]
    for record in changed:
        found(
            "changed-in-place",
            store.path_for(record),
            "This record's file changed after it was written (peerlog writes each file once "
            "and never edits it), so it no longer says what this machine first read.",
            "peerlog now shows it as it is on disk. Ask its author whether they changed it; "
            "if not, restore it from their copy or a backup.",
        )
    if changed or any(p.kind == "tampered" for p in problems):
        store.index.forget()  # every later command reads the files as they are now
    for collision in Claims(records).collisions():
        paths = ", ".join(str(store.path_for(r)) for r in collision.records)
        found(
            "id-collision",
            store.path_for(collision.records[0]),
            f"{len(collision.records)} different records claim the id {collision.id} "
            f"(by {', '.join(collision.authors)}): {paths}.",
            "peerlog keeps each member's own record apart, so none replaces another; a "
            "pointer to this id that does not name its author is not followed. Ask whoever "
            "wrote the copy to remove it.",
        )
    for record in fold_journal(records).refused:
        found(
            "foreign-change",
            store.path_for(record),
            f"{record.author} wrote a {record.type} of someone else's record; only a "
            "record's author can change it.",
            "peerlog ignores it. Talk with them if it was unexpected.",
        )
    oddities = find_oddities(store.root, store.device_folder(me.member, me.device), now)
    if clean:
        report.cleaned += remove_stale_temp(oddities)
        oddities = [o for o in oddities if o.kind != "stray-temp"]
    reported = {str(store.root / p.path) for p in problems if p.kind != "symlink"}
    for oddity in oddities:
        if str(oddity.path) not in reported:
            add(_oddity_finding(session, oddity))
    for member, device, ahead in skewed_devices(fold_members(records), now):
        found(
            "clock-skew",
            store.device_folder(member, device.device),
            f"{member}'s device {device.device} wrote a record dated {_span(ahead)} ahead of "
            "this machine's clock.",
            "Check that both machines set their clocks automatically. The order of records "
            "is kept by logical clocks, so nothing is lost; only shown dates look odd.",
        )


def _standing_finding(
    session: JournalSession, space_id: str, shown: tuple[str, str, str, str], count: int
) -> Finding:
    """About `count` records shown without counting: `shown` is their (standing, member,
    device, key)."""
    from peerlog.fold.trust import NOT_ADMITTED, fingerprint
    from peerlog.store.keys import short_key

    standing, member, device, key = shown
    records = f"{count} record{'s' if count != 1 else ''}"
    where = str(session.store.device_folder(member, device))
    if standing == NOT_ADMITTED:
        message = (
            f'{records} by {member} from device {device} are shown as "not yet admitted": '
            f"signed by key {short_key(key)} (fingerprint {fingerprint(key, space_id)}), "
            f"which not every member has admitted."
        )
        advice = _PROBLEM_ADVICE["not-admitted"]
        return Finding("not-admitted", session.label, where, message, advice)
    message = (
        f'{records} by {member} from device {device} are shown as "unsigned" and do not '
        "count: this space is secured, so they count only once their author vouches for them "
        "with `peerlog space upgrade`."
    )
    return Finding("unsigned", session.label, where, message, _PROBLEM_ADVICE["unsigned"])


def _problem_message(problem: Problem) -> str:
    if problem.kind in ("forged", "waiting", "revoked", "unsigned"):  # a device folder's records
        return f"These do not count: {problem.reason}."
    if problem.kind == "missing":
        return f"This space's folder cannot be found: {problem.reason}."
    if problem.kind == "sealed":
        return f"This device cannot read some records: {problem.reason}."
    if problem.kind == "undecryptable":
        return f"This record cannot be opened: {problem.reason}."
    if problem.reason.startswith("this folder"):  # a folder of the tree, not a record file
        return f"This folder cannot be used: {problem.reason.removeprefix('this folder ')}."
    return f"This file cannot be used: {problem.reason}."


def _oddity_finding(session: JournalSession, oddity: Oddity) -> Finding:
    detail = oddity.detail
    if oddity.kind == "symlink":
        outside = points_outside(oddity.path, session.store.root)
        detail += " (outside this folder)" if outside else " (inside this folder)"
    message, advice = _ODDITY_WORDS[oddity.kind]
    where = str(oddity.path)
    return Finding(oddity.kind, session.label, where, message.format(detail=detail), advice)


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes >= 60 * 24:
        return f"{minutes // (60 * 24)} days"
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
