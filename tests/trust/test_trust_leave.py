"""Nobody removes a member alone; a member can always leave, and agreement is then among
those left."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from cli_driver import FIXED_NOW, Peerlog, admit
from peerlog.records import new_record_id
from peerlog.records.membership import Leave
from peerlog.store import encode_record
from peerlog.store.keys import load_device_key


def test_a_member_leaves_and_the_rest_agree_among_themselves(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, b, shared = secured
    c = make_member("C", "c")
    c.ok("space", "join", str(shared))
    admit(a, c)
    admit(b, c)
    shown = json.loads(a.ok("space", "show", "pair", "--json").stdout)
    assert sorted(shown["admitted"]) == ["a", "b", "c"]
    goal = a.saved_goal("goal", "propose", "Walk", "--space", "pair")
    assert json.loads(a.ok("goal", "show", goal, "--json").stdout)["waiting_for"] == ["b", "c"]

    assert c("space", "leave", "--space", "pair").exit_code == 2  # not on a terminal: --yes
    left = c.ok("space", "leave", "--space", "pair", "--yes")
    assert "stepped back from 1 goals" in left.stdout
    c.ok("write", "Written after leaving", "--space", "pair")

    shown = json.loads(a.ok("space", "show", "pair", "--json").stdout)
    assert sorted(shown["admitted"]) == ["a", "b"]
    assert "c" not in [m["member"] for m in shown["members"]]
    texts = [e["text"] for e in json.loads(a.ok("list", "--space", "pair", "--json").stdout)]
    assert "Written after leaving" not in texts
    b.ok("goal", "accept", goal)  # c's yes is no longer needed
    assert json.loads(a.ok("goal", "show", goal, "--json").stdout)["state"] == "active"
    # A newcomer now needs a and b only.
    d = make_member("D", "d")
    d.ok("space", "join", str(shared))
    admit(a, d)
    admit(b, d)
    shown = json.loads(b.ok("space", "show", "pair", "--json").stdout)
    assert sorted(shown["admitted"]) == ["a", "b", "d"]


def test_nobody_can_make_another_member_leave(secured: tuple[Peerlog, Peerlog, Path]) -> None:
    a, b, shared = secured
    # There is no command for it; a "leave" written in b's name with a's key is a forgery.
    key = load_device_key(a.home / "device.key")
    forged = Leave(
        id=new_record_id(FIXED_NOW),
        author="b",
        device=b.device,
        clock=99,
        created=FIXED_NOW,
        key=key.public,
    )
    folder = shared / "members" / "b" / b.device / f"{FIXED_NOW:%Y}" / f"{FIXED_NOW:%m}"
    (folder / f"{forged.id}.md").write_bytes(encode_record(forged, key.sign))
    for viewer in (a, b):
        shown = json.loads(viewer.ok("space", "show", "pair", "--json").stdout)
        assert sorted(shown["admitted"]) == ["a", "b"]
    doctor = a("doctor")
    assert doctor.exit_code == 8
    assert "forged" in doctor.stdout
