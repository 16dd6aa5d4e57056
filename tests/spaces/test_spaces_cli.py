"""Spaces through the CLI: create, join, shared writing, replies, refusals, second devices."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from cli_driver import FIXED_NOW, Peerlog, entries
from peerlog.errors import ExitCode
from peerlog.store import decode_record


def test_create_writes_space_file_and_ignores_once(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, _, shared = pair
    space = tomllib.loads((shared / "space.toml").read_text())
    assert space["name"] == "pair"
    assert space["created_by"] == "sam"
    assert ".~peerlog-*.part" in (shared / ".stignore").read_text()
    assert ".~peerlog-*.part" in (shared / ".gitignore").read_text()
    # creating again is refused and changes nothing
    before = (shared / "space.toml").read_bytes()
    result = sam("space", "create", str(shared), "--name", "other")
    assert result.exit_code == ExitCode.REFUSED
    assert "already a peerlog space" in result.stderr
    assert (shared / "space.toml").read_bytes() == before


def test_join_registers_and_publishes_one_profile_per_device(
    pair: tuple[Peerlog, Peerlog, Path],
) -> None:
    sam, alex, shared = pair
    profiles = [decode_record(p.read_bytes()) for p in sorted((shared / "members").rglob("*.md"))]
    assert sorted((r.author, r.type) for r in profiles) == [
        ("alex", "profile"),
        ("sam", "profile"),
    ]
    # Syncthing never syncs .stignore: each device that joins gets its own
    (shared / ".stignore").unlink()
    alex.ok("space", "join", str(shared))
    assert "(?d).~peerlog-*.part" in (shared / ".stignore").read_text()
    # joining again is harmless and writes no second profile
    alex.ok("space", "join", str(shared))
    assert len(list((shared / "members").rglob("*.md"))) == 2
    listed = json.loads(alex.ok("space", "list", "--json").stdout)
    assert listed == [{"name": "pair", "path": str(shared.resolve()), "id": listed[0]["id"]}]
    shown = json.loads(sam.ok("space", "show", "pair", "--json").stdout)
    assert [(m["member"], m["name"]) for m in shown["members"]] == [
        ("alex", "Alex"),
        ("sam", "Sam"),
    ]
    assert shown["clock_warnings"] == []


def test_shared_entries_live_in_each_devices_own_folder(
    pair: tuple[Peerlog, Peerlog, Path],
) -> None:
    sam, alex, shared = pair
    sam_entry = sam.saved_id("write", "--space", "pair", "From Sam #peers")
    alex_entry = alex.saved_id("write", "--space", "pair", "From Alex")
    for member, entry_id in ((sam, sam_entry), (alex, alex_entry)):
        (path,) = (shared / "members" / member.member).rglob(f"{entry_id}.md")
        record = decode_record(path.read_bytes())
        assert record.author == member.member
        assert path.parent.parent.parent.name == record.device
    # both see both, newest first, with authors; private journals stay empty
    for member in (sam, alex):
        listed = entries(member, "--space", "pair")
        assert {e["id"] for e in listed} == {sam_entry, alex_entry}
        assert {e["author"] for e in listed} == {"sam", "alex"}
        assert entries(member) == []
    human = sam.ok("list", "--space", "pair").stdout
    assert "Alex in pair" in human and "Sam in pair" in human  # display names


def test_private_entries_never_reach_the_space(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, _, shared = pair
    sam.ok("write", "secret-marker-4711 only for me")
    for path in shared.rglob("*"):
        if path.is_file():
            assert b"secret-marker-4711" not in path.read_bytes()
    all_entries = entries(sam, "--all")
    assert [e["space"] for e in all_entries] == [None]


def test_all_merges_private_and_spaces(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, _ = pair
    sam.ok("write", "private", now=FIXED_NOW - timedelta(hours=2))
    alex.ok("write", "--space", "pair", "shared", now=FIXED_NOW - timedelta(hours=1))
    listed = entries(sam, "--all")
    assert [(e["text"], e["space"]) for e in listed] == [("shared", "pair"), ("private", None)]
    assert [e["text"] for e in entries(sam, "--all", "--author", "alex")] == ["shared"]


def test_reply_threads_under_the_entry_in_order(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, shared = pair
    entry_id = sam.saved_id("write", "--space", "pair", "Rough week")
    first = alex.saved_id("reply", entry_id[:12], "Here for you")
    second = sam.saved_id("reply", entry_id, "Thank you")
    (path,) = (shared / "members" / "alex").rglob(f"{first}.md")
    record = decode_record(path.read_bytes())
    assert record.type == "reply"
    shown = json.loads(alex.ok("show", entry_id, "--json").stdout)
    assert [(r["id"], r["author"], r["text"]) for r in shown["replies"]] == [
        (first, "alex", "Here for you"),
        (second, "sam", "Thank you"),
    ]
    human = sam.ok("show", entry_id).stdout
    assert human.index("Here for you") < human.index("Thank you")


def test_nobody_edits_or_deletes_another_members_entry(
    pair: tuple[Peerlog, Peerlog, Path],
) -> None:
    sam, alex, shared = pair
    entry_id = sam.saved_id("write", "--space", "pair", "Mine")
    files_before = sorted(shared.rglob("*"))
    for args in (("edit", entry_id, "changed"), ("delete", entry_id, "--yes")):
        result = alex(*args)
        assert result.exit_code == ExitCode.REFUSED
        assert "only they can" in result.stderr
    assert sorted(shared.rglob("*")) == files_before
    assert [e["text"] for e in entries(alex, "--space", "pair")] == ["Mine"]


def test_author_can_edit_and_delete_in_a_space(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, _ = pair
    entry_id = sam.saved_id("write", "--space", "pair", "First words")
    sam.ok("edit", entry_id, "Better words")
    assert [e["text"] for e in entries(alex, "--space", "pair")] == ["Better words"]
    sam.ok("delete", entry_id, "--yes")
    assert entries(alex, "--space", "pair") == []


def test_a_second_device_of_the_same_member_writes_its_own_folder(
    pair: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    sam, alex, shared = pair
    laptop = make_member("Sam", "sam")
    laptop.ok("space", "join", str(shared))
    entry_id = sam.saved_id("write", "--space", "pair", "from the desktop")
    laptop.ok("edit", entry_id, "edited on the laptop")
    devices = sorted(p.name for p in (shared / "members" / "sam").iterdir())
    assert len(devices) == 2
    assert [e["text"] for e in entries(alex, "--space", "pair")] == ["edited on the laptop"]
    shown = json.loads(alex.ok("space", "show", "pair", "--json").stdout)
    (sam_view,) = [m for m in shown["members"] if m["member"] == "sam"]
    assert len(sam_view["devices"]) == 2


def test_space_paths_that_are_not_spaces_are_refused(
    tmp_path: Path, make_member: Callable[..., Peerlog]
) -> None:
    sam = make_member("Sam", "sam")
    missing = sam("space", "join", str(tmp_path / "nowhere"))
    assert missing.exit_code == ExitCode.NOT_FOUND and "does not exist" in missing.stderr
    plain = tmp_path / "plain"
    plain.mkdir()
    not_space = sam("space", "join", str(plain))
    assert not_space.exit_code == ExitCode.NOT_FOUND and "not a peerlog space" in not_space.stderr
    inside = sam("space", "create", str(sam.home / "sub"), "--name", "x")
    assert inside.exit_code == ExitCode.REFUSED and "inside your peerlog home" in inside.stderr
    around = sam("space", "create", str(sam.home.parent), "--name", "x")
    assert around.exit_code == ExitCode.REFUSED and "contains your peerlog home" in around.stderr
    bad_name = sam("space", "create", str(tmp_path / "s"), "--name", "Bad Name")
    assert bad_name.exit_code == ExitCode.USAGE
    unknown = sam("write", "--space", "nope", "hi")
    assert unknown.exit_code == ExitCode.NOT_FOUND and "no space called 'nope'" in unknown.stderr
    for result in (missing, not_space, inside, around, bad_name, unknown):
        assert "Traceback" not in result.stderr


def test_a_record_claiming_another_author_is_rejected_and_reported(
    pair: tuple[Peerlog, Peerlog, Path],
) -> None:
    sam, alex, shared = pair
    entry_id = alex.saved_id("write", "--space", "pair", "Alex's words")
    (original,) = (shared / "members" / "alex").rglob(f"{entry_id}.md")
    # Someone puts a copy of Alex's record into Sam's folder, as if Sam wrote it.
    sam_device = next((shared / "members" / "sam").iterdir())
    forged = sam_device / "2026" / "11" / original.name
    forged.parent.mkdir(parents=True, exist_ok=True)
    forged.write_bytes(original.read_bytes())
    result = sam.ok("list", "--space", "pair", "--json")
    assert [e["id"] for e in json.loads(result.stdout)] == [entry_id]
    assert "claims to be written by 'alex'" in result.stderr and str(forged) in result.stderr


def test_clock_skew_is_shown(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, _ = pair
    alex.ok("write", "--space", "pair", "from the future", now=FIXED_NOW + timedelta(hours=3))
    shown = json.loads(sam.ok("space", "show", "pair", "--json").stdout)
    (warning,) = shown["clock_warnings"]
    assert warning["member"] == "alex" and warning["ahead_seconds"] == 3 * 3600
    assert "Clock warning" in sam.ok("space", "show", "pair").stdout
