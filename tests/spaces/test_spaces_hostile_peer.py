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
from space_members import FIXED_NOW, Member

from peerlog.errors import ExitCode
from peerlog.records import Entry, Record, new_record_id
from peerlog.records.model import MAX_CLOCK
from peerlog.store import decode_record
from peerlog.store.codec import encode_record

MS = int(FIXED_NOW.timestamp() * 1000)


def device_of(member: Member) -> str:
    (folder,) = (member.home / "journal" / "members" / member.member).iterdir()
    return folder.name


def craft(member: Member, shared: Path, record: Record) -> Path:
    """Publish `record` in `member`'s own folder, as their modified peerlog would."""
    created = record.created
    folder = shared / "members" / record.author / record.device / f"{created:%Y}" / f"{created:%m}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record.id}.md"
    path.write_bytes(encode_record(record))
    return path


def envelope(member: Member, device: str, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": new_record_id(FIXED_NOW),
        "author": member.member,
        "device": device,
        "clock": MS,
        "created": FIXED_NOW,
    }
    fields.update(changes)
    return fields


def space_device(member: Member, shared: Path) -> str:
    (folder,) = (shared / "members" / member.member).iterdir()
    return folder.name


def listed(member: Member, **kwargs: Any) -> list[dict[str, Any]]:
    result = member.ok("list", "--space", "pair", "--json", **kwargs)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def doctor_kinds(member: Member) -> tuple[int, list[str]]:
    result = member("doctor", "--json")
    report = json.loads(result.stdout)
    return result.exit_code, sorted(f["kind"] for f in report["findings"])


# --- clock poisoning ------------------------------------------------------------------------


@pytest.mark.parametrize("clock", [MAX_CLOCK, MS + 2 * 24 * 3600 * 1000])
def test_a_poisoned_clock_is_never_adopted(pair: tuple[Member, Member, Path], clock: int) -> None:
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


def test_a_poisoned_clock_file_in_the_cache_is_not_kept(pair: tuple[Member, Member, Path]) -> None:
    sam, alex, _ = pair
    sam.ok("write", "--space", "pair", "first")
    for clock_file in sam.cache.rglob("clock"):
        clock_file.write_text(f"{2**53 - 5}\n")
    entry = sam.saved_id("write", "--space", "pair", "after the clock file was poisoned")
    assert entry in [e["id"] for e in listed(alex)]
