"""A space of unsigned 0.1 records: read as before until it is secured, then shown marked
"unsigned" and never counted as consent, and counted again once each author vouches for their
own old records (`space upgrade`); nobody can vouch for another."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from cli_driver import FIXED_NOW, Peerlog, admit
from peerlog.records import Entry, Record, new_record_id
from peerlog.records.goals import GoalAccept, GoalProposal
from peerlog.store import encode_record


def old_record(shared: Path, who: Peerlog, cls: type[Record], clock: int, **payload: Any) -> str:
    """A record as peerlog 0.1 wrote it: no key, no signature."""
    when = FIXED_NOW - timedelta(days=30, minutes=clock)
    record = cls(
        id=new_record_id(when),
        author=who.member,
        device=who.device,
        clock=clock,
        created=when,
        **payload,
    )
    folder = shared / "members" / who.member / who.device / f"{when:%Y}" / f"{when:%m}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{record.id}.md").write_bytes(encode_record(record))
    return record.id


def texts(viewer: Peerlog) -> list[str]:
    return [e["text"] for e in json.loads(viewer.ok("list", "--space", "pair", "--json").stdout)]


def standings(viewer: Peerlog) -> dict[str, str | None]:
    listed = json.loads(viewer.ok("list", "--space", "pair", "--json").stdout)
    return {e["text"]: e["standing"] for e in listed}


def state(viewer: Peerlog, goal: str) -> str:
    return str(json.loads(viewer.ok("goal", "show", goal, "--json").stdout)["state"])


def test_old_records_stay_readable_and_count_again_once_vouched_for(
    tmp_path: Path, make_member: Callable[..., Peerlog]
) -> None:
    shared = tmp_path / "shared"
    a, b = make_member("A", "a"), make_member("B", "b")
    a.ok("space", "create", str(shared), "--name", "pair")
    b.ok("space", "join", str(shared))
    old_record(shared, a, Entry, 1, when=FIXED_NOW - timedelta(days=30), body="An old entry")
    goal = old_record(
        shared, a, GoalProposal, 2, title="Walk", target="3/week", participants=("a", "b")
    )
    old_record(shared, b, GoalAccept, 3, goal=goal, terms=goal)
    # Open, as in 0.1: everything reads as before.
    assert "An old entry" in texts(b)
    assert state(b, goal) == "active"

    admit(a, b)
    admit(b, a)  # secured: unsigned records are shown, marked, and no longer count
    assert standings(b) == {"An old entry": "unsigned"}
    assert "A (unsigned) in pair" in b.ok("list", "--space", "pair").stdout
    assert "skipped" not in b.ok("list", "--space", "pair").stderr
    assert b("goal", "show", goal).exit_code == 4  # its proposal is unsigned: no terms count
    doctor = b("doctor")
    assert doctor.exit_code == 8
    assert 'shown as "unsigned"' in " ".join(doctor.stdout.split())
    assert "peerlog space upgrade" in " ".join(doctor.stdout.split())

    assert "Vouched for 2" in a.ok("space", "upgrade", "--space", "pair").stdout
    assert standings(b) == {"An old entry": None}
    assert state(b, goal) == "proposed"  # b's old yes is not vouched for yet: never consent
    b.ok("space", "upgrade")
    assert state(a, goal) == "active"
    assert a("doctor").exit_code == 0
    assert "Nothing to vouch for" in b.ok("space", "upgrade").stdout

    # An unsigned file slipped into b's folder after b vouched counts for nothing, nor shows.
    old_record(shared, b, Entry, 4, when=FIXED_NOW, body="Not really b")
    assert "Not really b" not in texts(a)
    assert state(a, goal) == "active"
    assert "unsigned" in a("doctor").stdout


def test_an_unsigned_profile_never_renames_a_member(
    tmp_path: Path, make_member: Callable[..., Peerlog]
) -> None:
    from peerlog.records import Profile

    shared = tmp_path / "shared"
    a, b = make_member("A", "a"), make_member("Bo", "b")
    a.ok("space", "create", str(shared), "--name", "pair")
    b.ok("space", "join", str(shared))
    admit(a, b)
    admit(b, a)
    b.ok("write", "--space", "pair", "signed words")
    # planted in b's own device folder, as if 0.1 had written it, newer than b's profile
    newest = int(FIXED_NOW.timestamp() * 1000) + 60_000
    planted = Profile(
        id=new_record_id(FIXED_NOW),
        author="b",
        device=b.device,
        clock=newest,
        created=FIXED_NOW,
        name="Mallory",
    )
    folder = shared / "members" / "b" / b.device / f"{FIXED_NOW:%Y}" / f"{FIXED_NOW:%m}"
    (folder / f"{planted.id}.md").write_bytes(encode_record(planted))
    old_record(shared, b, Entry, 5, when=FIXED_NOW, body="unsigned words")
    listed = a.ok("list", "--space", "pair").stdout
    assert "Mallory" not in listed
    assert "Bo (unsigned) in pair" in listed
    assert "Bo in pair" in listed  # b's signed entry


def test_a_member_still_on_0_1_stays_readable_and_a_made_up_device_does_not(
    secured: tuple[Peerlog, Peerlog, Path],
) -> None:
    from types import SimpleNamespace

    a, _b, shared = secured
    still_on_0_1 = SimpleNamespace(member="cam", device="camdevicexxxxxxx")
    made_up = SimpleNamespace(member="b", device="notbsdevicexxxxx")
    old_record(shared, still_on_0_1, Entry, 1, when=FIXED_NOW, body="from cam's 0.1")  # type: ignore[arg-type]
    old_record(shared, made_up, Entry, 2, when=FIXED_NOW, body="not b's device")  # type: ignore[arg-type]
    assert standings(a) == {"from cam's 0.1": "unsigned"}
    doctor = " ".join(a("doctor").stdout.split())
    assert "members/b/notbsdevicexxxxx" in doctor.replace(" ", "")
