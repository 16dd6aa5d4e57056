"""help-now: the contacts you chose, and what peerlog is not. Works before `init`."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from dialogue_support import HOSTILE, Person, assert_terminal_safe


def config(person: Person) -> dict[str, Any]:
    with open(person.home / "config.toml", "rb") as handle:
        return tomllib.load(handle)


def assert_statement(text: str) -> None:
    flat = " ".join(text.split())
    assert "not a crisis or clinical service" in flat
    assert "sends no alerts" in flat
    assert "emergency" in flat


def test_help_now_works_before_init_and_writes_nothing(machines: Path) -> None:
    nobody = Person(machines / "machine-nobody", "", "nobody")

    result = nobody("help-now")

    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert_statement(result.stdout)
    assert "You have not added any contacts yet" in result.stdout
    assert not nobody.home.exists()

    data = nobody.json("help-now")
    assert data["contacts"] == []
    assert_statement(data["statement"])
    assert not nobody.home.exists()


def test_adding_before_init_asks_to_set_up_first(machines: Path) -> None:
    nobody = Person(machines / "machine-nobody", "", "nobody")
    result = nobody("help-now", "--add", "Sam: 0123")
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert not (nobody.home / "config.toml").exists()


def test_add_and_remove_contacts_persist_in_config(duo: tuple[Person, Person]) -> None:
    sam, _ = duo
    before = config(sam)

    sam.ok("help-now", "--add", "Alex (friend): +44 7700 900123")
    sam.ok("help-now", "--add", "  Samaritans:\n 116 123  ")
    sam.ok("help-now", "--add", "GP surgery: 0123 456")

    after = config(sam)
    assert after["help"]["contacts"] == [
        "Alex (friend): +44 7700 900123",
        "Samaritans: 116 123",
        "GP surgery: 0123 456",
    ]
    assert {k: v for k, v in after.items() if k != "help"} == before  # nothing else changed
    assert [s["name"] for s in sam.json("space", "list")] == ["pair"]

    shown = sam.ok("help-now").stdout
    assert_statement(shown)
    assert "1. Alex (friend): +44 7700 900123" in shown
    assert "2. Samaritans: 116 123" in shown
    assert "3. GP surgery: 0123 456" in shown

    removed = sam.ok("help-now", "--remove", "2")
    assert "Removed Samaritans: 116 123." in removed.stdout
    assert config(sam)["help"]["contacts"] == [
        "Alex (friend): +44 7700 900123",
        "GP surgery: 0123 456",
    ]
    data = sam.json("help-now")
    assert data["contacts"] == ["Alex (friend): +44 7700 900123", "GP surgery: 0123 456"]
    assert_statement(data["statement"])


@pytest.mark.parametrize("number", ["3", "99"])
def test_removing_a_missing_number_is_a_usage_error(solo: Person, number: str) -> None:
    solo.ok("help-now", "--add", "one")
    solo.ok("help-now", "--add", "two")
    result = solo("help-now", "--remove", number)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert f"no contact number {number}" in result.stderr
    assert config(solo)["help"]["contacts"] == ["one", "two"]


@pytest.mark.parametrize("number", ["0", "-1", "one"])
def test_remove_takes_a_number_from_one(solo: Person, number: str) -> None:
    solo.ok("help-now", "--add", "one")
    result = solo("help-now", "--remove", number)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert config(solo)["help"]["contacts"] == ["one"]


def test_remove_with_no_contacts_is_a_usage_error(solo: Person) -> None:
    result = solo("help-now", "--remove", "1")
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "help" not in config(solo) or config(solo)["help"].get("contacts") == []


@pytest.mark.parametrize("text", ["", "   ", "x" * 301])
def test_a_bad_contact_is_refused(solo: Person, text: str) -> None:
    result = solo("help-now", "--add", text)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "help" not in config(solo)


def test_a_hostile_contact_is_inert_on_screen_and_exact_in_json(solo: Person) -> None:
    solo.ok("help-now", "--add", HOSTILE)
    stored = config(solo)["help"]["contacts"]
    assert stored == [" ".join(HOSTILE.split())]
    shown = solo.ok("help-now").stdout
    assert_terminal_safe(shown)
    assert "[bold red]markup[/]" in shown
    result = solo.ok("help-now", "--json")
    assert_terminal_safe(result.stdout)
    assert solo.json("help-now")["contacts"] == stored
