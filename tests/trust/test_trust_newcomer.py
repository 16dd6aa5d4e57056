"""A newcomer's records are shown, marked "not yet admitted", and count for nothing that needs
agreement; someone posing as a member from a fresh home stays out altogether."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from cli_driver import FIXED_NOW, Peerlog, admit

NOT_ADMITTED = "not yet admitted"


def listed(viewer: Peerlog, *args: str) -> list[dict[str, Any]]:
    shown = json.loads(viewer.ok("list", "--space", "pair", "--json", *args).stdout)
    assert isinstance(shown, list)
    return shown


def by_text(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["text"]: item for item in items}


def joined_newcomer(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> tuple[Peerlog, Peerlog, Peerlog]:
    a, b, shared = secured
    c = make_member("Cam", "c")
    c.ok("space", "join", str(shared))
    return a, b, c


def test_a_newcomer_s_records_are_shown_marked_and_counted_once_admitted(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, b, c = joined_newcomer(secured, make_member)
    mine = a.saved_id("write", "--space", "pair", "hello from a")
    c.ok("write", "--space", "pair", "hello from c")
    c.ok("reply", mine, "welcome back")
    c.ok("checkin", "--space", "pair", "--win", "found the group")
    c.ok("resource", "add", "A good book", "--space", "pair")

    entries = by_text(listed(a))
    assert entries["hello from c"]["author"] == "c"
    assert entries["hello from c"]["standing"] == NOT_ADMITTED
    assert entries["hello from a"]["standing"] is None
    (reply,) = entries["hello from a"]["replies"]
    assert (reply["text"], reply["standing"]) == ("welcome back", NOT_ADMITTED)

    # the human views carry the mark beside the author, and nothing says a record was skipped
    plain = a.ok("list", "--space", "pair")
    assert "(not yet admitted)" in plain.stdout
    assert "skipped" not in plain.stderr
    shown = a.ok("show", mine)
    assert "welcome back" in shown.stdout
    assert "(not yet admitted)" in shown.stdout
    found = json.loads(a.ok("search", "hello", "--space", "pair", "--json").stdout)
    assert {e["text"]: e["standing"] for e in found}["hello from c"] == NOT_ADMITTED
    checkins = a.ok("checkins", "--space", "pair")
    assert "found the group" in checkins.stdout
    assert "(not yet admitted)" in checkins.stdout
    resources = json.loads(a.ok("resource", "list", "--space", "pair", "--json").stdout)
    assert [(r["title"], r["standing"]) for r in resources] == [("A good book", NOT_ADMITTED)]
    summary = json.loads(a.ok("summary", "--space", "pair", "--json").stdout)
    balance = {row["member"]: row["standing"] for row in summary["balance"]}
    assert balance == {"a": None, "b": None, "c": NOT_ADMITTED}
    assert [(w["member"], w["standing"]) for w in summary["wins"]] == [("c", NOT_ADMITTED)]
    assert "Cam (not yet admitted)" in a.ok("summary", "--space", "pair").stdout

    # nothing is asked of a on c's behalf: no reply to c's check-in, no news of c's reply
    due = json.loads(a.ok("due", "--json").stdout)
    assert [item for item in due if item["kind"] in ("reply", "replied")] == []

    # doctor names the newcomer and what to do, but nothing was skipped
    doctor = a("doctor")
    assert doctor.exit_code == 8
    words = " ".join(doctor.stdout.split())
    assert "by c from device" in words
    assert "peerlog space admit" in words

    admit(a, c)
    assert by_text(listed(b))["hello from c"]["standing"] == NOT_ADMITTED  # b has not admitted c
    admit(b, c)
    entries = by_text(listed(b))
    assert entries["hello from c"]["standing"] is None
    assert entries["hello from a"]["replies"][0]["standing"] is None
    assert "not yet admitted" not in a.ok("list", "--space", "pair").stdout
    assert a("doctor").exit_code == 0


def test_a_newcomer_counts_for_nothing_that_needs_agreement(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, b, c = joined_newcomer(secured, make_member)
    goal = a.saved_goal("goal", "propose", "Walk", "--with", "b", "--space", "pair")
    c.ok("space", "agree", "pair", "cadence", "weekly")
    # c is no member yet: a goal for everyone is for a and b, and c's say changes nothing
    everyone = a.saved_goal("goal", "propose", "Read", "--space", "pair")
    shown = json.loads(a.ok("goal", "show", everyone, "--json").stdout)
    assert shown["participants"] == ["a", "b"]
    c_goal = c.saved_goal("goal", "propose", "Swim", "--space", "pair")
    listed_goals = json.loads(a.ok("goal", "list", "--space", "pair", "--json").stdout)
    assert c_goal not in [g["id"] for g in listed_goals]
    space = json.loads(a.ok("space", "show", "pair", "--json").stdout)
    assert "cadence" not in json.dumps(space.get("agreements", {}))
    due = json.loads(b.ok("due", "--json").stdout)
    assert [item for item in due if item["kind"] == "agreement"] == []
    assert [m["member"] for m in space["members"]] == ["a", "b"]

    b.ok("goal", "accept", goal)
    assert json.loads(a.ok("goal", "show", goal, "--json").stdout)["state"] == "active"


def test_writing_from_a_device_that_does_not_count_warns_and_still_saves(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, b, shared = secured
    c = make_member("Cam", "c")
    joined = c.ok("space", "join", str(shared))
    assert 'shows as "not yet admitted"' in " ".join(joined.stdout.split())
    written = c.ok("write", "--space", "pair", "first words")
    assert "Saved entry" in written.stdout
    warning = " ".join(written.stderr.split())
    assert 'will show as "not yet admitted"' in warning
    assert "peerlog space show pair" in warning
    assert "peerlog space admit c" in warning
    assert len(written.stderr.strip().splitlines()) == 1
    checkin = c.ok("checkin", "--space", "pair", "--mood", "4")
    assert "not yet admitted" in checkin.stderr

    # someone posing as b from a fresh home: saved, never shown as b's, and told why
    fake = make_member("B", "b")
    joined = fake.ok("space", "join", str(shared))
    assert "b is a member of pair already" in " ".join(joined.stdout.split())
    posed = fake.ok("write", "--space", "pair", "posing as b")
    words = " ".join(posed.stderr.split())
    assert "does not count" in words
    assert "peerlog device approve" in words
    assert "posing as b" not in a.ok("list", "--space", "pair").stdout

    # a device that counts writes in silence; so does a private entry
    assert a.ok("write", "--space", "pair", "all fine").stderr == ""
    assert c.ok("write", "a private note").stderr == ""
    admit(a, c)
    admit(b, c)
    assert c.ok("write", "--space", "pair", "now I count").stderr == ""


def test_two_keys_claiming_one_newcomer_are_both_marked_until_one_is_admitted(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, b, shared = secured
    c, other = make_member("Cam", "c"), make_member("Cam", "c")
    for who in (c, other):
        who.ok("space", "join", str(shared))
        who.ok("write", "--space", "pair", f"I am c ({who.device})")
    shown = [(e["text"], e["standing"]) for e in listed(a) if e["author"] == "c"]
    assert sorted(shown) == sorted((f"I am c ({who.device})", NOT_ADMITTED) for who in (c, other))
    asked = a("space", "admit", "c", "--space", "pair")
    assert asked.exit_code == 2
    assert "someone may be posing as them" in asked.stderr
    admit(a, c)
    admit(b, c)
    assert [e["text"] for e in listed(a) if e["author"] == "c"] == [f"I am c ({c.device})"]
    listing = a.ok("list", "--space", "pair")
    assert "not admitted or approved for c" in " ".join(listing.stderr.split())


def test_an_unsigned_record_after_securing_is_marked_never_counted(
    secured: tuple[Peerlog, Peerlog, Path],
) -> None:
    from test_trust_upgrade import old_record

    from peerlog.records import Entry

    a, b, shared = secured
    old_record(shared, b, Entry, 1, when=FIXED_NOW - timedelta(days=3), body="From 0.1")
    entry = by_text(listed(a))["From 0.1"]
    assert entry["author"] == "b"
    assert entry["standing"] == "unsigned"
    assert "B (unsigned) in pair" in a.ok("list", "--space", "pair").stdout


def test_a_newcomer_s_edits_and_deletions_show_in_every_listing(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, _b, c = joined_newcomer(secured, make_member)
    edited = c.saved_id("write", "--space", "pair", "first words #draft")
    c.ok("edit", edited, "second thoughts #final")
    gone = c.saved_id("write", "--space", "pair", "soon gone #draft")
    c.ok("delete", gone, "--yes")

    def search(*words: str) -> list[str]:
        found = json.loads(a.ok("search", *words, "--space", "pair", "--json").stdout)
        return [e["text"] for e in found]

    # what is chosen is the newcomer's current text, never an earlier version or a deleted one
    assert [e["text"] for e in listed(a)] == ["second thoughts #final"]
    assert search("second") == ["second thoughts #final"]
    assert search("first") == search("gone") == search("wo") == []
    assert listed(a, "--tag", "final")[0]["standing"] == NOT_ADMITTED
    assert listed(a, "--tag", "draft") == []
    assert "draft" not in a.ok("tags", "--space", "pair").stdout
    page = a.ok("list", "--space", "pair").stdout
    assert "second thoughts" in page
    assert "first words" not in page
