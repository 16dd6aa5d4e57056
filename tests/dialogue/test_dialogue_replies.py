"""Replies to check-ins: threaded under the check-in, in merge order, from every member."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from dialogue_support import FIXED_NOW, Person, of_type, path_of, saved

from peerlog.records import Reply
from peerlog.records.dialogue import Checkin
from peerlog.store import decode_record


def test_replies_from_both_members_thread_under_the_checkin(
    duo: tuple[Person, Person], shared: Path
) -> None:
    sam, alex = duo
    t = FIXED_NOW
    checkin = sam.checkin("--space", "pair", "--mood", "2", "--struggle", "long week", now=t)

    first = alex.reply(checkin, "Proud of you for saying so.", now=t + timedelta(minutes=1))
    second = sam.reply(checkin[:10], "Thank you, it helps.", now=t + timedelta(minutes=2))
    third = alex.reply(checkin, "Walk on Sunday?", now=t + timedelta(minutes=3))

    # Each reply is a file in its writer's own device folder of the space, naming the check-in.
    for reply_id, person in ((first, alex), (second, sam), (third, alex)):
        path = path_of(shared, reply_id)
        assert path.is_relative_to(person.device_folder(shared))
        record = decode_record(path.read_bytes())
        assert isinstance(record, Reply)
        assert (record.target, record.author) == (checkin, person.member)
    assert len(of_type(shared, Reply)) == 3
    assert of_type(sam.journal_folder(), Reply) == []

    for person in (sam, alex):
        shown = person.json("show", checkin)
        assert shown["id"] == checkin and shown["type"] == "checkin"
        assert [r["id"] for r in shown["replies"]] == [first, second, third]
        assert [r["author"] for r in shown["replies"]] == ["alex", "sam", "alex"]
        assert [r["text"] for r in shown["replies"]] == [
            "Proud of you for saying so.",
            "Thank you, it helps.",
            "Walk on Sunday?",
        ]

    human = alex.ok("show", checkin).stdout
    assert "check-in" in human and "long week" in human
    positions = [
        human.index(text)
        for text in ("Proud of you for saying so.", "Thank you, it helps.", "Walk on Sunday?")
    ]
    assert positions == sorted(positions)


def test_reply_message_names_the_checkin(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    checkin = sam.checkin("--space", "pair", "--mood", "4")
    result = alex.ok("reply", checkin, "Lovely")
    assert f"sam's check-in {checkin}" in result.stdout
    saved(result, "reply")


def test_checkins_json_lists_newest_first_with_replies(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    t = FIXED_NOW
    older = sam.checkin("--space", "pair", "--mood", "3", now=t)
    middle = alex.checkin("--space", "pair", "--win", "ran", now=t + timedelta(hours=1))
    newest = sam.checkin("--space", "pair", "--need", "sleep", now=t + timedelta(hours=2))
    reply = alex.reply(older, "Hugs", now=t + timedelta(hours=3))
    private = sam.checkin("--mood", "5", now=t + timedelta(hours=4))

    listed = sam.json("checkins", "--space", "pair")
    assert [c["id"] for c in listed] == [newest, middle, older]
    assert [c["author"] for c in listed] == ["sam", "alex", "sam"]
    assert {c["space"] for c in listed} == {"pair"}
    assert listed[2]["replies"] == [
        {
            "id": reply,
            "author": "alex",
            "standing": None,
            "created": listed[2]["replies"][0]["created"],
            "text": "Hugs",
        }
    ]
    assert listed[0]["replies"] == [] and listed[1]["replies"] == []
    assert set(listed[0]) >= {
        "id", "type", "author", "device", "created", "space", "mood", "wins", "struggles",
        "need", "offer", "note", "replies",
    }  # fmt: skip

    assert [c["id"] for c in sam.json("checkins")] == [private]
    assert {c["id"] for c in sam.json("checkins", "--all")} == {private, newest, middle, older}
    assert [c["id"] for c in sam.json("checkins", "--space", "pair", "-n", "2")] == [newest, middle]
    assert [c["id"] for c in alex.json("checkins", "--space", "pair")] == [newest, middle, older]


def test_checkins_all_is_newest_first_across_journal_and_spaces(
    duo: tuple[Person, Person],
) -> None:
    """Clocks of different stores are not comparable: `--all` must still be newest first.

    (`list --all` sorts entries by time; `checkins --all` sorts by each store's own clock.)
    """
    sam, _ = duo
    t = FIXED_NOW
    first = sam.checkin("--space", "pair", "--mood", "3", now=t)
    second = sam.checkin("--space", "pair", "--mood", "3", now=t + timedelta(hours=1))
    latest = sam.checkin("--mood", "5", now=t + timedelta(hours=4))  # private, clock 1

    listed = sam.json("checkins", "--all")
    assert [c["id"] for c in listed] == [latest, second, first]
    assert [c["id"] for c in sam.json("checkins", "--all", "-n", "1")] == [latest]


def test_checkins_human_view_shows_replies(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    checkin = sam.checkin("--space", "pair", "--mood", "2", "--win", "made tea")
    alex.reply(checkin, "Tea is good.")
    out = sam.ok("checkins", "--space", "pair").stdout
    assert "made tea" in out
    assert "Tea is good." in out
    assert out.index("made tea") < out.index("Tea is good.")


def test_a_reply_to_a_private_checkin_stays_private(
    duo: tuple[Person, Person], shared: Path
) -> None:
    sam, _ = duo
    checkin = sam.checkin("--mood", "3")
    reply = sam.reply(checkin, "note to self")
    assert of_type(shared, Reply) == []
    [record] = of_type(sam.journal_folder(), Reply)
    assert (record.id, record.target) == (reply, checkin)
    assert [r["id"] for r in sam.json("show", checkin)["replies"]] == [reply]
    assert len(of_type(sam.journal_folder(), Checkin)) == 1


def test_a_checkin_from_a_member_who_has_not_read_lately_is_still_listed_first(
    duo: tuple[Person, Person],
) -> None:
    """Alex's device last read the space before Sam checked in three times (a day apart)."""
    sam, alex = duo
    sams = [
        sam.checkin("--space", "pair", "--mood", "3", now=FIXED_NOW + timedelta(days=n))
        for n in (1, 2, 3)
    ]
    alexs = alex.checkin("--space", "pair", "--mood", "4", now=FIXED_NOW + timedelta(days=4))
    later = FIXED_NOW + timedelta(days=4)
    listed = sam.json("checkins", "--space", "pair", now=later)
    assert [c["id"] for c in listed] == [alexs, *reversed(sams)]
    assert [c["id"] for c in sam.json("checkins", "--space", "pair", "-n", "1", now=later)] == [
        alexs
    ]


def test_only_the_author_deletes_a_checkin_and_it_leaves_every_view(
    duo: tuple[Person, Person], shared: Path
) -> None:
    sam, alex = duo
    checkin = sam.checkin("--space", "pair", "--mood", "2", "--struggle", "rough day")
    later = FIXED_NOW + timedelta(hours=1)
    assert [i["ref"] for i in alex.json("due", now=later)] == [checkin]

    refused = alex("delete", checkin, "--yes")
    assert refused.exit_code == 6, (refused.stdout, refused.stderr)
    assert len(of_type(shared, Checkin)) == 1

    assert f"Deleted check-in {checkin}." in sam.ok("delete", checkin, "--yes").stdout
    assert of_type(shared, Checkin)[0].id == checkin  # the file stays
    for person in (sam, alex):
        assert person.json("checkins", "--space", "pair") == []
        assert person("show", checkin).exit_code == 4
    assert alex.json("due", now=later) == []
