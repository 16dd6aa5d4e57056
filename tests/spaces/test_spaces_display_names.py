"""Peers are shown by their display names, with the member id where two share a name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cli_driver import Peerlog
from peerlog.fold.space import display_names
from peerlog.records import Profile, new_record_id
from peerlog.records.names import new_device_id


def test_list_show_and_checkins_name_peers_by_display_name(
    tmp_path: Path, make_member: Callable[..., Peerlog]
) -> None:
    shared = tmp_path / "shared"
    sam = make_member("Sam", "sam")
    ben = make_member("Ben Okafor", "ben")
    sam.ok("space", "create", str(shared), "--name", "pair")
    ben.ok("space", "join", str(shared))
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
