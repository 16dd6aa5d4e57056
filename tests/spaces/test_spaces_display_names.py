"""Peers are shown by their display names, with the member id where two share a name."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from cli_driver import Peerlog
from peerlog.fold.space import display_names
from peerlog.records import Profile, new_record_id
from peerlog.records.names import new_device_id


def _share(folder: Path, make_member: Callable[..., Peerlog], *people: str) -> list[Peerlog]:
    """People ("Name:member") in space 'pair' at `folder`: the first created it, the others
    joined."""
    members = [make_member(*person.split(":")) for person in people]
    members[0].ok("space", "create", str(folder), "--name", "pair")
    for member in members[1:]:
        member.ok("space", "join", str(folder))
    return members


def test_list_show_and_checkins_name_peers_by_display_name(
    tmp_path: Path, make_member: Callable[..., Peerlog]
) -> None:
    sam, ben = _share(tmp_path / "shared", make_member, "Sam:sam", "Ben Okafor:ben")
    entry = ben.saved_id("write", "--space", "pair", "walked by the river")
    ben.ok("checkin", "--space", "pair", "--mood", "4")
    sam.ok("reply", entry, "Lovely.")

    listed = sam.ok("list", "--space", "pair").stdout
    shown = ben.ok("show", entry).stdout
    checkins = sam.ok("checkins", "--space", "pair").stdout

    assert "Ben Okafor in pair" in listed
    assert "Ben Okafor in pair" in shown
    assert "↳ Sam" in shown  # the reply's author too
    assert "Ben Okafor in pair" in checkins
    assert " ben in " not in listed + checkins


def _profile(member: str, name: str, clock: int = 1) -> Profile:
    from datetime import UTC, datetime

    at = datetime(2026, 11, 21, 10, clock, tzinfo=UTC)
    return Profile(
        id=new_record_id(at),
        author=member,
        device=new_device_id(),
        clock=clock,
        created=at,
        name=name,
    )


def test_the_member_id_is_added_only_where_names_clash() -> None:
    names = display_names(
        [
            _profile("ben", "Ben Okafor"),
            _profile("ben-o", "ben  okafor"),
            _profile("sam", "Sam"),
        ]
    )

    assert names == {"ben": "Ben Okafor (ben)", "ben-o": "ben okafor (ben-o)", "sam": "Sam"}


def test_the_newest_profile_name_counts() -> None:
    names = display_names([_profile("ben", "Ben", 1), _profile("ben", "Ben Okafor", 2)])

    assert names == {"ben": "Ben Okafor"}


# --- due, summary, goal show and resource list ----------------------------------------------


@pytest.fixture
def with_ben(tmp_path: Path, make_member: Callable[..., Peerlog]) -> tuple[Peerlog, Peerlog, str]:
    """Sam and Ben Okafor share 'pair'; Ben proposed a goal, checked in, shared a resource and
    an entry with a mood. Returns Sam, Ben and the goal's id."""
    sam, ben = _share(tmp_path / "shared", make_member, "Sam:sam", "Ben Okafor:ben")
    goal = ben.saved_goal(
        "goal", "propose", "Walk together", "--target", "3/week", "--space", "pair"
    )
    ben.ok("checkin", "--space", "pair", "--mood", "4", "--win", "walked twice")
    ben.ok("resource", "add", "Box breathing", "--space", "pair")
    ben.ok("write", "--space", "pair", "--mood", "3", "a calm day")
    sam.ok("write", "--space", "pair", "--mood", "4", "me too")
    return sam, ben, goal


def test_due_names_peers_by_display_name(with_ben: tuple[Peerlog, Peerlog, str]) -> None:
    sam, _, _ = with_ben

    due = sam.ok("due").stdout

    assert "Ben Okafor proposed a new goal 'Walk together': accept or decline." in due
    assert "Ben Okafor checked in on Sat 21 Nov; a reply would mean a lot." in due
    assert "ben proposed" not in due and "ben checked" not in due
    texts = [item["text"] for item in sam.json("due")]
    assert "Ben Okafor checked in on Sat 21 Nov; a reply would mean a lot." in texts


def test_goal_show_names_peers_by_display_name(with_ben: tuple[Peerlog, Peerlog, str]) -> None:
    sam, _, goal = with_ben

    shown = sam.ok("goal", "show", goal).stdout

    assert "proposed by Ben Okafor on" in shown
    assert "participants: Ben Okafor, Sam" in shown
    assert "agreed by: Ben Okafor" in shown
    assert "Ben Okafor  proposed it for Ben Okafor, Sam" in shown  # the history
    assert "waiting for Sam" in sam.ok("goal", "list").stdout
    assert not re.search(r"\bben\b", shown.replace(goal, ""))
    assert sam.json("goal", "show", goal)["proposed_by"] == "ben"  # JSON keeps the ids


def test_resource_list_names_who_shared_and_who_it_helped(
    with_ben: tuple[Peerlog, Peerlog, str],
) -> None:
    sam, ben, _ = with_ben
    resource = ben.json("resource", "list", "--space", "pair")[0]["id"]
    sam.ok("resource", "helped", resource)
    ben.ok("resource", "helped", resource)

    listed = sam.ok("resource", "list", "--space", "pair").stdout

    assert "Box breathing  from Ben Okafor in pair" in listed
    assert "helped: Ben Okafor, Sam" in listed


def test_summary_names_peers_by_display_name_with_the_rows_aligned(
    with_ben: tuple[Peerlog, Peerlog, str],
) -> None:
    sam, _, _ = with_ben

    out = sam.ok("summary", "--space", "pair", env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()

    moods = [line for line in lines if line.startswith(("Ben Okafor ", "Sam "))]
    assert len(moods) == 2, out
    assert len({line.index(" avg ") for line in moods}) == 1  # one time axis for both rows
    assert {line.split(" avg ")[1] for line in moods} == {"3.5", "4.0"}
    assert "Ben Okafor: shared 1 entry, 1 check-in, 1 resource" in out
    assert "★ walked twice (Ben Okafor, 2026-11-21)" in out
    assert "Ben Okafor proposed a new goal 'Walk together'" in out  # what is waiting
    assert not re.search(r"\bben\b", out)
    assert all(len(line) <= 80 for line in lines)


def test_html_report_names_peers_by_display_name(with_ben: tuple[Peerlog, Peerlog, str]) -> None:
    sam, _, _ = with_ben

    page = sam.ok("export", "--format", "html", "--space", "pair").stdout

    assert "<strong>Ben Okafor</strong>" in page  # the mood row
    assert "<td>Ben Okafor</td>" in page  # the balance table
    assert not re.search(r"\bben\b", re.sub(r"<[^>]+>", " ", page))


# --- names that could mislead -------------------------------------------------------------


def test_a_name_that_reads_as_another_members_id_is_shown_with_its_own(
    tmp_path: Path, make_member: Callable[..., Peerlog]
) -> None:
    sam, posing = _share(tmp_path / "shared", make_member, "Sam:sam", "sam:mallory")
    posing.ok("checkin", "--space", "pair", "--mood", "2")
    posing.ok("write", "--space", "pair", "not really sam")

    listed = sam.ok("list", "--space", "pair").stdout
    due = sam.ok("due").stdout

    assert "sam (mallory) in pair" in listed
    assert "sam (mallory) checked in on Sat 21 Nov" in due


def test_names_are_told_apart_as_a_reader_sees_them() -> None:
    names = display_names(
        [
            _profile("ben", "Ben Okafor"),
            _profile("ben-o", "Ben\u200b Okafor"),  # a zero-width space: looks the same
            _profile("kim", "\u200b\u2066"),  # draws nothing at all
            _profile("mallory", "Sam (sam)"),  # mimics how a clash is shown
            _profile("sam", "Sam"),
            _profile("alex", "ＡＬＥＸ"),  # full-width letters of a member id
        ]
    )

    assert names["ben"] == "Ben Okafor (ben)"
    assert names["ben-o"] == "Ben\u200b Okafor (ben-o)"  # the sanitiser strips it on screen
    assert names["kim"] == "kim"
    assert names["mallory"] == "Sam (sam) (mallory)"
    assert names["sam"] == "Sam"
    assert names["alex"] == "ＡＬＥＸ"  # its own id: nothing to tell apart


def test_members_sharing_a_name_are_told_apart_in_due(
    tmp_path: Path, make_member: Callable[..., Peerlog]
) -> None:
    sam, _, other = _share(
        tmp_path / "shared", make_member, "Sam:sam", "Ben Okafor:ben", "Ben Okafor:ben-o"
    )
    other.ok("checkin", "--space", "pair", "--mood", "3")

    due = sam.ok("due").stdout

    assert "Ben Okafor (ben-o) checked in on Sat 21 Nov" in due
