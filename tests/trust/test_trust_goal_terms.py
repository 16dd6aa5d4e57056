"""`goal accept` names the terms it accepts: an amendment made a moment earlier is never
accepted unseen."""

from __future__ import annotations

import json
from pathlib import Path

from cli_driver import Peerlog


def test_accept_with_the_terms_read_refuses_newer_terms(
    secured: tuple[Peerlog, Peerlog, Path],
) -> None:
    a, b, _ = secured
    goal = a.saved_goal("goal", "propose", "Walk", "--target", "3/week", "--space", "pair")
    seen = json.loads(b.ok("goal", "show", goal, "--json").stdout)
    read = seen["pending"][-1]["id"] if seen.get("pending") else None
    assert read is not None
    a.ok("goal", "amend", goal, "--target", "100/day")
    refused = b("goal", "accept", goal, "--terms", read)
    assert refused.exit_code == 6
    assert "100/day" in refused.stderr
    shown = json.loads(a.ok("goal", "show", goal, "--json").stdout)
    assert shown["state"] == "proposed"


def test_accept_on_a_terminal_shows_the_exact_terms_and_asks(
    secured: tuple[Peerlog, Peerlog, Path],
) -> None:
    a, b, _ = secured
    goal = a.saved_goal("goal", "propose", "Walk", "--target", "3/week", "--space", "pair")
    a.ok("goal", "amend", goal, "--target", "100/day")
    declined = b("goal", "accept", goal, input="n\n", tty=True)
    assert declined.exit_code == 1
    assert "100/day" in declined.stdout
    assert json.loads(a.ok("goal", "show", goal, "--json").stdout)["state"] == "proposed"
    agreed = b("goal", "accept", goal, input="y\n", tty=True)
    assert agreed.exit_code == 0, agreed.output
    assert "100/day" in agreed.stdout
    shown = json.loads(a.ok("goal", "show", goal, "--json").stdout)
    assert shown["state"] == "active"
    assert shown["terms"]["target"] == "100/day"
