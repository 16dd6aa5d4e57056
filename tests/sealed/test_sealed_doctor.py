"""What a device cannot open in a sealed space: one sentence, and `doctor` says why."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sealed_members import Member

from cli_driver import Peerlog
from peerlog.records import Entry
from peerlog.records.ids import new_record_id
from peerlog.store.codec import encode_record
from peerlog.store.keys import load_device_key
from peerlog.store.publish import publish_new
from peerlog.store.seal import Seal, new_key

MARKER = "zq7-marker-for-doctor"
WHEN = datetime(2026, 11, 21, 10, 20, tzinfo=UTC)


def findings(member: Member) -> list[dict[str, str]]:
    result = member("doctor", "--json")
    assert result.exit_code == 8, (result.stdout, result.stderr)
    return list(json.loads(result.stdout)["findings"])


def test_doctor_says_a_device_without_the_key_must_be_admitted(
    sealed_pair: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, _b, shared = sealed_pair
    a.ok("write", "--space", "pair", f"Hidden {MARKER}")
    c = make_member("C", "c")
    c.ok("space", "join", str(shared))
    sealed = [f for f in findings(c) if f["kind"] == "sealed"]
    assert len(sealed) == 1
    assert "peerlog space admit c" in sealed[0]["message"]
    assert MARKER not in json.dumps(findings(c))


def test_a_record_sealed_with_another_key_is_reported_and_never_crashes(
    sealed_pair: tuple[Peerlog, Peerlog, Path],
) -> None:
    a, b, shared = sealed_pair
    a.ok("write", "--space", "pair", f"Real {MARKER}")
    grant = next(p for p in shared.rglob("*.md") if 'type = "key-grant"' in p.read_text())
    epoch = re.search(r'epoch = "([^"]+)"', grant.read_text())
    assert epoch is not None
    # a's own device signs a record sealed with a key nobody was granted, under the real epoch.
    key = load_device_key(a.home / "device.key")
    wrong = Seal(new_key(), keys={epoch.group(1): new_key()})
    record = Entry(
        id=new_record_id(WHEN),
        author="a",
        device=a.device,
        clock=1,
        created=WHEN,
        when=WHEN,
        body=f"Planted {MARKER}",
    )
    record = replace(record, key=key.public)
    folder = shared / "members" / "a" / a.device / "2026" / "11"
    publish_new(folder / f"{record.id}.md", encode_record(record, key.sign, wrong), within=shared)
    listed = b.ok("list", "--space", "pair")
    assert f"Real {MARKER}" in listed.stdout and "Planted" not in listed.stdout
    assert "does not open" in listed.stderr
    found = [f for f in findings(b) if f["kind"] == "undecryptable"]
    assert len(found) == 1 and record.id in found[0]["path"]
    assert "sealed with another key" in found[0]["message"]
