"""A partner's text that tries to take over the terminal is shown inert, and exact in JSON."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from dialogue_support import (
    FIXED_NOW,
    HOSTILE,
    Person,
    assert_terminal_safe,
    of_type,
    path_of,
)

from peerlog.records import new_record_id
from peerlog.records.dialogue import Agreement, Checkin, Resource
from peerlog.store import encode_record

LATER = FIXED_NOW + timedelta(hours=2)


def assert_inert(output: str) -> None:
    assert_terminal_safe(output)
    assert "[bold red]markup[/]" in output  # markup shows as the characters typed


@pytest.fixture
def hostile(duo: tuple[Person, Person], shared: Path) -> dict[str, str]:
    """Alex wrote a check-in, a reply, a resource and a goal full of hostile text."""
    _, alex = duo
    checkin = alex.checkin(
        "--space",
        "pair",
        "--mood",
        "2",
        "--win",
        HOSTILE,
        "--win",
        "plain win",
        "--struggle",
        HOSTILE,
        "--need",
        HOSTILE,
        "--offer",
        HOSTILE,
        "--note",
        HOSTILE,
    )
    reply = alex.reply(checkin, HOSTILE + " (a reply)", now=FIXED_NOW + timedelta(minutes=1))
    resource = alex.resource(
        HOSTILE[:150],
        "--url",
        HOSTILE,
        "--note",
        HOSTILE,
        "--tag",
        "coping",
        "--space",
        "pair",
        now=FIXED_NOW + timedelta(minutes=2),
    )
    goal = alex.propose(
        "Walk " + HOSTILE[:100], "--space", "pair", now=FIXED_NOW + timedelta(minutes=3)
    )
    [record] = of_type(shared, Checkin)
    assert record.wins == (HOSTILE, "plain win")  # stored exactly
    assert record.body == HOSTILE
    return {"checkin": checkin, "reply": reply, "resource": resource, "goal": goal}


def test_show_is_inert_and_json_is_exact(
    duo: tuple[Person, Person], hostile: dict[str, str]
) -> None:
    sam, _ = duo
    result = sam.ok("show", hostile["checkin"], now=LATER)
    assert_inert(result.stdout)
    assert "plain win" in result.stdout
    assert "(a reply)" in " ".join(result.stdout.split())  # wrapped, every line indented

    shown = sam.json("show", hostile["checkin"], now=LATER)
    assert shown["wins"] == [HOSTILE, "plain win"]
    assert shown["struggles"] == [HOSTILE]
    assert shown["need"] == shown["offer"] == shown["note"] == HOSTILE
    assert [r["text"] for r in shown["replies"]] == [HOSTILE + " (a reply)"]
    assert_terminal_safe(sam.ok("show", hostile["checkin"], "--json", now=LATER).stdout)


def test_checkins_is_inert_and_json_is_exact(
    duo: tuple[Person, Person], hostile: dict[str, str]
) -> None:
    sam, _ = duo
    for args in (("--space", "pair"), ("--all",)):
        result = sam.ok("checkins", *args, now=LATER)
        assert_inert(result.stdout)
        raw = sam.ok("checkins", *args, "--json", now=LATER).stdout
        assert_terminal_safe(raw)
    [listed] = sam.json("checkins", "--space", "pair", now=LATER)
    assert listed["note"] == HOSTILE
    assert listed["wins"] == [HOSTILE, "plain win"]
    assert listed["replies"][0]["text"] == HOSTILE + " (a reply)"


def test_resource_list_is_inert_and_json_is_exact(
    duo: tuple[Person, Person], shared: Path, hostile: dict[str, str]
) -> None:
    sam, _ = duo
    result = sam.ok("resource", "list", "--space", "pair", now=LATER)
    assert_terminal_safe(result.stdout)
    assert "[bold red]markup[/]" in result.stdout
    assert_terminal_safe(sam.ok("resource", "list", "--all", "--json", now=LATER).stdout)

    [record] = of_type(shared, Resource)
    assert record.url == HOSTILE and record.body == HOSTILE
    [listed] = sam.json("resource", "list", "--space", "pair", now=LATER)
    assert listed["title"] == record.title == " ".join(HOSTILE[:150].split())
    assert listed["url"] == HOSTILE
    assert listed["note"] == HOSTILE


def test_due_is_inert_and_json_is_exact(
    duo: tuple[Person, Person], hostile: dict[str, str]
) -> None:
    sam, _ = duo
    result = sam.ok("due", now=LATER)
    assert_terminal_safe(result.stdout)
    assert "[bold red]markup[/]" in result.stdout  # in the goal's title
    assert "Alex checked in on Sat 21 Nov" in result.stdout
    brief = sam.ok(now=LATER)  # bare `peerlog`
    assert_terminal_safe(brief.stdout)

    raw = sam.ok("due", "--json", now=LATER).stdout
    assert_terminal_safe(raw)
    items = sam.json("due", now=LATER)
    title = sam.json("goal", "show", hostile["goal"], now=LATER)["title"]
    assert {"kind": "answer-goal", "space": "pair", "ref": hostile["goal"],
            "text": f"Alex proposed a new goal '{title}': accept or decline."} in items  # fmt: skip
    assert "[bold red]markup[/]" in title


def test_a_forged_agreement_value_is_inert(
    duo: tuple[Person, Person], shared: Path, hostile: dict[str, str]
) -> None:
    """A hand-made record says a cadence no peerlog would write: shown inert, never a crash."""
    sam, alex = duo
    forged = Agreement(
        id=new_record_id(FIXED_NOW),
        author="alex",
        device=alex.device,
        clock=50,
        created=FIXED_NOW,
        topic="cadence",
        value=HOSTILE[:200],
    )
    folder = alex.device_folder(shared) / "2026" / "11"
    (folder / f"{forged.id}.md").write_bytes(encode_record(forged))
    assert path_of(shared, forged.id).exists()

    shown = sam.ok("space", "show", "pair", now=LATER)
    assert_terminal_safe(shown.stdout)
    assert sam.json("space", "show", "pair", now=LATER)["agreements"]["cadence"]["says"] == {
        "alex": HOSTILE[:200]
    }
    assert_terminal_safe(sam.ok("due", now=LATER).stdout)
    result = sam.ok("space", "agree", "pair", "cadence", "2d", now=LATER)
    assert_terminal_safe(result.stdout)
