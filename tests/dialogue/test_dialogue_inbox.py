"""`due` and bare `peerlog` are an inbox: everything waiting for me appears once, and stops
appearing once I have acted on it (agreements) or seen it (news: replies to me, reopened goals).
What was seen is kept in the home, never in the space."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from dialogue_support import FIXED_NOW, Person, records_under

LATER = FIXED_NOW + timedelta(hours=1)


def _due(person: Person, *args: str) -> list[str]:
    out = person.ok("due", *args, now=LATER).stdout
    return [line for line in out.splitlines() if line.strip()]


def test_a_proposed_agreement_waits_for_me_until_i_agree(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    sam.ok("space", "agree", "pair", "cadence", "2d")

    waiting = [line for line in _due(alex) if "cadence" in line]

    assert len(waiting) == 1, waiting
    assert "Sam proposed a cadence of" in waiting[0]
    assert "peerlog space agree pair cadence" in waiting[0]
    assert not [line for line in _due(sam) if "proposed a cadence" in line]  # not for its author
    alex.ok("space", "agree", "pair", "cadence", "2d")
    assert not [line for line in _due(alex) if "proposed a cadence" in line]


def test_a_reply_to_my_checkin_shows_once_then_is_seen(
    duo: tuple[Person, Person], shared: Path
) -> None:
    sam, alex = duo
    checkin = sam.checkin("--space", "pair", "--mood", "3")
    alex.reply(checkin, "Thinking of you.")
    before = {p for p, _ in records_under(shared)}

    first = _due(sam)
    second = _due(sam)

    replied = [line for line in first if "Alex replied to your check-in of Sat 21 Nov." in line]
    assert len(replied) == 1, first
    assert not [line for line in second if "replied to your" in line], second
    assert {p for p, _ in records_under(shared)} == before  # nothing written in the space
    assert (sam.home / "seen.toml").is_file()
    assert not list(shared.rglob("seen*"))


def test_a_reply_to_my_entry_shows_in_bare_peerlog_and_then_not_again(
    duo: tuple[Person, Person],
) -> None:
    sam, alex = duo
    out = sam.ok("write", "--space", "pair", "walked by the river").stdout
    entry = re.search(r"Saved entry ([0-9a-z]{26})", out)
    assert entry, out
    alex.reply(entry[1], "Lovely.")

    bare = sam.ok(now=LATER).stdout
    again = sam.ok(now=LATER).stdout

    assert bare.count("Alex replied to your entry of Sat 21 Nov.") == 1, bare
    assert "replied to your" not in again


def test_a_reopened_goal_shows_once_for_the_other_participants(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    goal = sam.propose("Read a book", "--space", "pair")
    alex.ok("goal", "accept", goal)
    sam.ok("goal", "complete", goal)
    alex.ok("goal", "complete", goal)
    alex.ok("goal", "reopen", goal)

    first = _due(sam)
    second = _due(sam)

    assert [line for line in first if "Alex reopened 'Read a book'; it is active again." in line]
    assert not [line for line in second if "reopened" in line]
    assert not [line for line in _due(alex) if "reopened" in line]  # not news to alex


def test_json_does_not_mark_news_seen(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    checkin = sam.checkin("--space", "pair", "--mood", "3")
    alex.reply(checkin, "Here for you.")

    kinds = [item["kind"] for item in sam.json("due", now=LATER)]
    assert kinds.count("replied") == 1
    assert [item["kind"] for item in sam.json("due", now=LATER)].count("replied") == 1
    assert [line for line in _due(sam) if "replied to your" in line]


def test_a_lost_seen_file_only_shows_news_again(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    checkin = sam.checkin("--space", "pair", "--mood", "3")
    alex.reply(checkin, "Here for you.")
    _due(sam)
    (sam.home / "seen.toml").write_text("not [valid toml")

    assert [line for line in _due(sam) if "replied to your" in line]
