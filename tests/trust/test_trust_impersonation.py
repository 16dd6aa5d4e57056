"""Nobody can speak for someone else: the impersonation the issue reported, step by step."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from cli_driver import Peerlog, fingerprint_of


def goal_state(member: Peerlog, goal: str) -> dict[str, object]:
    shown = json.loads(member.ok("goal", "show", goal, "--json").stdout)
    assert isinstance(shown, dict)
    return shown


def test_a_third_member_posing_as_b_cannot_accept_for_b(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, b, shared = secured
    goal = a.saved_goal("goal", "propose", "Walk", "--target", "3/week", "--space", "pair")
    # A third person sets up a home as "b", joins the folder and accepts the goal.
    fake = make_member("B", "b")
    fake.ok("space", "join", str(shared))
    fake.ok("goal", "accept", goal)

    seen = goal_state(a, goal)
    assert seen["state"] == "proposed"
    assert seen["waiting_for"] == ["b"]
    doctor = a("doctor")
    assert doctor.exit_code == 8
    assert f"members/b/{fake.device}" in "".join(doctor.stdout.split())
    assert "not admitted or approved for b" in " ".join(doctor.stdout.split())
    # a's screen shows the fake device's fingerprint, different from the real b's
    assert fingerprint_of(a, "pair", "b", fake.device) != fingerprint_of(a, "pair", "b", b.device)

    b.ok("goal", "accept", goal)
    seen = goal_state(a, goal)
    assert seen["state"] == "active"
    assert seen["waiting_for"] == []


def test_admitting_a_member_who_has_two_keys_needs_the_fingerprint(
    tmp_path: Path, make_member: Callable[..., Peerlog]
) -> None:
    shared = tmp_path / "shared"
    a, b, fake = make_member("A", "a"), make_member("B", "b"), make_member("B", "b")
    a.ok("space", "create", str(shared), "--name", "pair")
    b.ok("space", "join", str(shared))
    fake.ok("space", "join", str(shared))
    result = a("space", "admit", "b", "--space", "pair")
    assert result.exit_code == 2
    assert "someone may be posing as them" in result.stderr
    wrong = a("space", "admit", "b", "--space", "pair", "--fingerprint", "0000 0000 0000 0000 0000")
    assert wrong.exit_code == 6
    assert "No key of b" in wrong.stderr
    assert not list((shared / "members" / "a").rglob("*.md"))[1:]  # only a's profile


def test_a_key_nobody_admitted_is_reported_after_warm_reads(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    """What trust leaves out is kept with the index; a file that arrives is judged anew."""
    a, _b, shared = secured
    for _ in range(2):  # warm: nothing is left out, and that is remembered
        quiet = a.ok("list", "--space", "pair")
        assert "not admitted" not in quiet.stderr
    fake = make_member("B", "b")
    fake.ok("space", "join", str(shared))
    fake.ok("write", "--space", "pair", "posing as b")
    for _ in range(2):
        listed = a.ok("list", "--space", "pair")
        assert "posing as b" not in listed.stdout
        assert "not admitted or approved for b" in " ".join(listed.stderr.split())


def test_tags_count_only_what_trust_lets_count(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, b, shared = secured
    real = b.saved_id("write", "Real #walk", "--space", "pair")
    fake = make_member("B", "b")
    fake.ok("space", "join", str(shared))
    fake.ok("write", "Posing #forged", "--space", "pair")
    fake.ok("delete", real, "--yes")  # a tombstone in b's name, by a key nobody admitted

    tags = json.loads(a.ok("tags", "--space", "pair", "--json").stdout)
    assert tags == [{"tag": "walk", "count": 1}]
    listed = json.loads(a.ok("list", "--space", "pair", "--json").stdout)
    assert [e["id"] for e in listed] == [real]
