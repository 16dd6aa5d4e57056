"""A member's second device counts once one of their trusted devices approves it; a revoked
device's later records stop counting."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from cli_driver import Peerlog, fingerprint_of


def texts(viewer: Peerlog) -> list[str]:
    listed = json.loads(viewer.ok("list", "--space", "pair", "--json").stdout)
    return [entry["text"] for entry in listed]


def test_a_second_device_counts_after_approval_not_before(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, b, shared = secured
    laptop = make_member("B", "b")  # b's second machine: init with the same member id
    joined = laptop.ok("space", "join", str(shared))
    mine = fingerprint_of(laptop, "pair", "b", laptop.device)
    assert mine in joined.stdout  # the new device shows its fingerprint when it joins
    laptop.ok("write", "From my laptop", "--space", "pair")
    assert "From my laptop" not in texts(a)
    assert "From my laptop" not in texts(b)
    waiting = a("doctor")
    assert waiting.exit_code == 8
    assert laptop.device in "".join(waiting.stdout.split())

    # Only an already trusted device of b's may approve it, and only with its fingerprint.
    refused = laptop("device", "approve", "--space", "pair", "--fingerprint", mine)
    assert refused.exit_code == 6
    assert a("device", "approve", "--space", "pair", "--fingerprint", mine).exit_code == 4
    b.ok("device", "approve", "--space", "pair", "--fingerprint", mine)

    assert "From my laptop" in texts(a)
    assert "From my laptop" in texts(b)
    assert "From my laptop" in texts(laptop)
    assert a("doctor").exit_code == 0


def test_a_revoked_device_s_new_records_are_refused(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, b, shared = secured
    laptop = make_member("B", "b")
    laptop.ok("space", "join", str(shared))
    b.ok(
        "device",
        "approve",
        "--space",
        "pair",
        "--fingerprint",
        fingerprint_of(laptop, "pair", "b", laptop.device),
    )
    laptop.ok("write", "Before it was lost", "--space", "pair")
    b.ok("device", "revoke", laptop.device[:6], "--space", "pair")
    laptop.ok("write", "Written by whoever has it now", "--space", "pair")

    seen = texts(a)
    assert "Before it was lost" in seen
    assert "Written by whoever has it now" not in seen
    doctor = a("doctor")
    assert doctor.exit_code == 8
    assert "revoked" in doctor.stdout
    keys = json.loads(a.ok("space", "show", "pair", "--json").stdout)["keys"]
    assert {k["device"]: k["status"] for k in keys if k["member"] == "b"} == {
        b.device: "trusted",
        laptop.device: "revoked",
    }


def test_nobody_approves_a_device_for_another_member(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, b, shared = secured
    fake = make_member("B", "b")
    fake.ok("space", "join", str(shared))
    fake.ok("write", "I am b, honest", "--space", "pair")
    # a cannot approve it (not a's device), and a forged approval by a for b counts for nothing
    assert a("device", "approve", "--space", "pair").exit_code in (2, 4)
    assert "I am b, honest" not in texts(a)
    assert "I am b, honest" not in texts(b)
