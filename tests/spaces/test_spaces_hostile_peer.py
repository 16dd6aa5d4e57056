"""A hostile peer crafts files in their own folder of a space; what the others see must not change.

Each test writes what a modified peerlog could publish (valid records, only their fields chosen to
harm), then asserts what the victim sees, the exit code, and what `doctor` reports.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from cli_driver import FIXED_NOW, Peerlog
from peerlog.errors import ExitCode
from peerlog.records import Entry, Record, new_record_id
from peerlog.records.model import MAX_CLOCK
from peerlog.store import decode_record
from peerlog.store.codec import encode_record
from peerlog.store.keys import load_device_key

MS = int(FIXED_NOW.timestamp() * 1000)


def craft(member: Peerlog, shared: Path, record: Record) -> Path:
    """Publish `record` in `member`'s own folder, as their modified peerlog would: signed
    with their own device's key, as every valid record is."""
    key = load_device_key(member.home / "device.key")
    record = replace(record, key=key.public)
    created = record.created
    folder = shared / "members" / record.author / record.device / f"{created:%Y}" / f"{created:%m}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record.id}.md"
    path.write_bytes(encode_record(record, key.sign))
    return path


def envelope(member: Peerlog, device: str, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": new_record_id(FIXED_NOW),
        "author": member.member,
        "device": device,
        "clock": MS,
        "created": FIXED_NOW,
    }
    fields.update(changes)
    return fields


def space_device(member: Peerlog, shared: Path) -> str:
    (folder,) = (shared / "members" / member.member).iterdir()
    return folder.name


def listed(member: Peerlog, **kwargs: Any) -> list[dict[str, Any]]:
    result = member.ok("list", "--space", "pair", "--json", **kwargs)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def doctor_kinds(member: Peerlog) -> tuple[int, list[str]]:
    result = member("doctor", "--json")
    report = json.loads(result.stdout)
    return result.exit_code, sorted(f["kind"] for f in report["findings"])


# --- clock poisoning ------------------------------------------------------------------------


@pytest.mark.parametrize("clock", [MAX_CLOCK, MS + 2 * 24 * 3600 * 1000])
def test_a_poisoned_clock_is_never_adopted(pair: tuple[Peerlog, Peerlog, Path], clock: int) -> None:
    sam, alex, shared = pair
    alex.ok("write", "--space", "pair", "alex settles in")
    poison = Entry(**envelope(alex, space_device(alex, shared), clock=clock), when=FIXED_NOW)
    craft(alex, shared, replace(poison, body="far ahead"))

    entry = sam.saved_id("write", "--space", "pair", "sam writes after the poison")
    alex_sees = [e["id"] for e in listed(alex)]
    assert entry in alex_sees and poison.id not in alex_sees
    (path,) = shared.rglob(f"{entry}.md")
    assert decode_record(path.read_bytes()).clock <= MS + 24 * 3600 * 1000
    code, kinds = doctor_kinds(sam)
    assert code == ExitCode.ATTENTION and "future-clock" in kinds


def test_a_poisoned_clock_file_in_the_cache_is_not_kept(
    pair: tuple[Peerlog, Peerlog, Path],
) -> None:
    sam, alex, _ = pair
    sam.ok("write", "--space", "pair", "first")
    for clock_file in sam.cache.rglob("clock"):
        clock_file.write_text(f"{2**53 - 5}\n")
    entry = sam.saved_id("write", "--space", "pair", "after the clock file was poisoned")
    assert entry in [e["id"] for e in listed(alex)]


# --- takeover by a shared id ------------------------------------------------------------------
# Alex sorts before Sam, so a copy by Alex is what the old fold kept of two files with one id.


def copy_as(attacker: Peerlog, shared: Path, original: Record, **changes: Any) -> Record:
    """`original` re-authored by `attacker` in their own folder, keeping its id."""
    forged = replace(
        original,
        author=attacker.member,
        device=space_device(attacker, shared),
        **changes,
    )
    craft(attacker, shared, forged)
    return forged


def record_of(shared: Path, record_id: str, author: str) -> Record:
    (path,) = (shared / "members" / author).rglob(f"{record_id}.md")
    return decode_record(path.read_bytes())


def test_a_copied_id_never_replaces_an_entry(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, shared = pair
    entry = sam.saved_id("write", "--space", "pair", "what sam wrote")
    copy_as(alex, shared, record_of(shared, entry, "sam"), body="alex's words in sam's place")
    for viewer in (sam, alex):
        texts = {(e["author"], e["text"]) for e in listed(viewer)}
        assert ("sam", "what sam wrote") in texts
        assert ("sam", "alex's words in sam's place") not in texts
    shown = sam("show", entry)
    assert shown.exit_code == ExitCode.AMBIGUOUS and "alex, sam" in shown.stderr
    code, kinds = doctor_kinds(sam)
    assert code == ExitCode.ATTENTION and kinds == ["id-collision"]


def test_a_copied_id_never_undoes_a_deletion(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, shared = pair
    entry = sam.saved_id("write", "--space", "pair", "sam takes this back")
    sam.ok("delete", entry, "--yes")
    (deletion,) = [
        r
        for r in map(decode_record, (p.read_bytes() for p in shared.rglob("*.md")))
        if r.type == "deletion"
    ]
    copy_as(alex, shared, Entry(**envelope(alex, space_device(alex, shared), id=deletion.id),
                                when=FIXED_NOW, body="a decoy"))  # fmt: skip
    assert entry not in [e["id"] for e in listed(sam)]
    assert entry not in [e["id"] for e in listed(alex)]
    assert doctor_kinds(sam) == (ExitCode.ATTENTION, ["id-collision"])


def agreed_goal(sam: Peerlog, alex: Peerlog) -> str:
    out = sam.ok("goal", "propose", "Walk on Sundays", "--target", "1/week", "--space", "pair")
    goal = out.stdout.split("Proposed goal ", 1)[1].split(":")[0]
    alex.ok("goal", "accept", goal)
    return goal


def goals_by_id(member: Peerlog, goal: str) -> list[dict[str, Any]]:
    return [g for g in json.loads(member.ok("goal", "list", "--json").stdout) if g["id"] == goal]


def test_a_copied_id_never_replaces_agreed_terms(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, shared = pair
    goal = agreed_goal(sam, alex)
    copy_as(alex, shared, record_of(shared, goal, "sam"), title="Sam pays Alex 500 dollars")
    for viewer in (sam, alex):
        found = goals_by_id(viewer, goal)
        theirs = [g for g in found if g["proposed_by"] == "sam"]
        assert [g["title"] for g in theirs] == ["Walk on Sundays"]
        assert theirs[0]["state"] == "active"
        # Alex's copy is Alex's own proposal: nobody else's yes counts for it.
        copies = [g for g in found if g["proposed_by"] == "alex"]
        assert [g["state"] for g in copies] == ["proposed"]
        assert copies[0]["waiting_for"] == ["sam"]
    accept = sam("goal", "accept", goal)
    assert accept.exit_code == ExitCode.AMBIGUOUS
    assert doctor_kinds(sam) == (ExitCode.ATTENTION, ["id-collision"])


def test_a_record_of_another_type_never_erases_a_goal(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, shared = pair
    goal = agreed_goal(sam, alex)
    craft(alex, shared, Entry(**envelope(alex, space_device(alex, shared), id=goal),
                              when=FIXED_NOW, body="a decoy"))  # fmt: skip
    for viewer in (sam, alex):
        assert [g["state"] for g in goals_by_id(viewer, goal)] == ["active"]
    assert "Logged" in sam.ok("goal", "log", goal).stdout
    assert doctor_kinds(sam) == (ExitCode.ATTENTION, ["id-collision"])


# --- forged agreement -----------------------------------------------------------------------


def test_an_agreement_nobody_else_said_is_not_in_force(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    from peerlog.records.dialogue import Agreement

    sam, alex, shared = pair
    sam.ok("checkin", "--space", "pair", "--mood", "3")
    # Dated before anyone joined, so the old fold counted Alex as the only member then.
    forged = Agreement(
        **envelope(alex, space_device(alex, shared), clock=0), topic="cadence", value="1d"
    )
    craft(alex, shared, forged)
    shown = sam.ok("space", "show", "pair").stdout
    assert "Agreed cadence: nothing yet (proposed: 1d; waiting for sam)" in shown
    space = json.loads(sam.ok("space", "show", "pair", "--json").stdout)
    cadence = space["agreements"]["cadence"]
    assert cadence["in_force"] is None and cadence["waiting_for"] == ["sam"]
    later = FIXED_NOW + timedelta(days=3)
    due = json.loads(sam.ok("due", "--json", now=later).stdout)
    assert not [i for i in due if i["kind"] == "checkin"]
