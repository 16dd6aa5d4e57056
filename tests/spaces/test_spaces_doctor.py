"""`peerlog doctor`: one test per finding, with files named exactly as the engines name them."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from cli_driver import FIXED_NOW, Peerlog
from peerlog.errors import ExitCode
from peerlog.store.oddities import conflict_engine


def doctor(member: Peerlog, *args: str) -> tuple[int, dict[str, object]]:
    result = member("doctor", "--json", *args)
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout)


def kinds(report: dict[str, object]) -> list[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return sorted(f["kind"] for f in findings)


def a_record(member: Peerlog, shared: Path) -> Path:
    entry_id = member.saved_id("write", "--space", "pair", "words")
    (path,) = (shared / "members" / member.member).rglob(f"{entry_id}.md")
    return path


def test_a_clean_space_needs_no_attention(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, shared = pair
    a_record(alex, shared)
    code, report = doctor(sam)
    assert code == ExitCode.OK and report["ok"] is True and report["findings"] == []
    assert [c["scope"] for c in report["checked"]] == ["private journal", "space pair"]  # type: ignore[union-attr]
    assert "All good" in sam.ok("doctor").stdout


@pytest.mark.parametrize(
    ("name", "engine"),
    [
        ("{stem}.sync-conflict-20261121-101010-ABCDEFG.md", "Syncthing"),
        ("{stem} (Sam's conflicted copy 2026-11-21).md", "Dropbox"),
        ("{stem} (Sam's conflicted copy 2026-11-21 (1)).md", "Dropbox"),
        ("{stem} (conflicted copy 2026-11-21 101010).md", "Nextcloud/ownCloud"),
        ("{stem}_conflict-20261121-101010.md", "Nextcloud/ownCloud"),
    ],
)
def test_conflict_copies_are_named_by_engine(
    pair: tuple[Peerlog, Peerlog, Path], name: str, engine: str
) -> None:
    sam, alex, shared = pair
    original = a_record(alex, shared)
    copy = original.with_name(name.format(stem=original.stem))
    copy.write_bytes(original.read_bytes() + b"\nchanged elsewhere")
    code, report = doctor(sam)
    assert code == ExitCode.ATTENTION
    (finding,) = report["findings"]  # type: ignore[misc]
    assert finding["kind"] == "conflict-copy"
    assert finding["path"] == str(copy)
    assert engine in finding["message"]
    assert "delete the copy" in finding["advice"]
    # the copy is never read as data
    listed = json.loads(sam.ok("list", "--space", "pair", "--json").stdout)
    assert [e["id"] for e in listed] == [original.stem]


def test_conflict_patterns_do_not_flag_ordinary_names() -> None:
    for name in ("01m7y9tz6zmk2nxyh2df74d3m8.md", "space.toml", ".stignore", "conflict.md"):
        assert conflict_engine(name) is None


def test_malformed_record(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, shared = pair
    original = a_record(alex, shared)
    bad = original.with_name("01m7y9tz6zmk2nxyh2df74d3m9.md")
    bad.write_text("+++\nthis is = = not toml\n+++\nbody")
    code, report = doctor(sam)
    assert code == ExitCode.ATTENTION
    (finding,) = report["findings"]  # type: ignore[misc]
    assert finding["kind"] == "malformed" and finding["path"] == str(bad)
    assert "not valid TOML" in finding["message"]


def test_record_in_another_members_folder(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    _, alex, shared = pair
    original = a_record(alex, shared)
    sam_month = next((shared / "members" / "sam").iterdir()) / "2026" / "11"
    sam_month.mkdir(parents=True, exist_ok=True)
    (sam_month / original.name).write_bytes(original.read_bytes())
    code, report = doctor(alex)
    assert code == ExitCode.ATTENTION
    (finding,) = report["findings"]  # type: ignore[misc]
    assert finding["kind"] == "misplaced"
    assert "claims to be written by 'alex'" in finding["message"]


def test_symlinks_out_of_the_space(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, shared = pair
    original = a_record(alex, shared)
    (shared / "members" / "passwd").symlink_to("/etc/passwd")
    (original.parent / "01m7y9tz6zmk2nxyh2df74d3m7.md").symlink_to(sam.home / "config.toml")
    code, report = doctor(sam)
    assert code == ExitCode.ATTENTION
    symlinks = [f for f in report["findings"] if f["kind"] == "symlink"]  # type: ignore[union-attr]
    assert len(symlinks) == 2
    assert all("outside this folder" in f["message"] for f in symlinks)
    # the link named like a record is reported as unusable too, and never read
    listed = sam.ok("list", "--space", "pair", "--json")
    assert "peerlog" not in json.dumps(json.loads(listed.stdout))  # config text never shown
    assert [e["id"] for e in json.loads(listed.stdout)] == [original.stem]


def test_stray_temp_files_only_old_ones_in_my_folder_and_clean(
    pair: tuple[Peerlog, Peerlog, Path],
) -> None:
    sam, alex, shared = pair
    mine = a_record(sam, shared).parent
    theirs = a_record(alex, shared).parent
    # Ages are measured against the "now" the command is given, so the files' times are too.
    old = (FIXED_NOW - timedelta(days=2)).timestamp()
    recent = (FIXED_NOW - timedelta(minutes=1)).timestamp()
    stale = mine / ".~peerlog-0123456789abcdef.part"
    fresh = mine / ".~peerlog-fedcba9876543210.part"
    foreign = theirs / ".~peerlog-00112233445566aa.part"
    for path in (stale, fresh, foreign):
        path.write_bytes(b"+++\npartial")
    for path in (stale, foreign):
        os.utime(path, (old, old))
    os.utime(fresh, (recent, recent))
    code, report = doctor(sam, "--space", "pair")
    (finding,) = report["findings"]  # type: ignore[misc]
    assert code == ExitCode.ATTENTION
    assert finding["kind"] == "stray-temp" and finding["path"] == str(stale)
    code, report = doctor(sam, "--space", "pair", "--clean")
    assert code == ExitCode.OK and report["cleaned"] == 1
    assert not stale.exists() and fresh.exists() and foreign.exists()


def test_changes_by_someone_other_than_the_author(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, _ = pair
    entry_id = alex.saved_id("write", "--space", "pair", "Alex's words")
    # Sam's device publishes a deletion of Alex's entry, as a hostile peerlog could.
    from peerlog.actions.spaces import open_space
    from peerlog.records import Deletion, new_record_id
    from peerlog.store import resolve_home

    session = open_space(resolve_home(sam.env), "pair")
    session.store.publish(
        lambda clock: Deletion(
            id=new_record_id(FIXED_NOW),
            author="sam",
            device=session.identity.device,
            clock=clock,
            created=FIXED_NOW,
            target=entry_id,
        )
    )
    listed = json.loads(alex.ok("list", "--space", "pair", "--json").stdout)
    assert [e["id"] for e in listed] == [entry_id]  # still there: the deletion is ignored
    code, report = doctor(alex)
    assert code == ExitCode.ATTENTION
    assert kinds(report) == ["foreign-change"]


def test_clock_skew_finding(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, _ = pair
    alex.ok("write", "--space", "pair", "ahead", now=FIXED_NOW + timedelta(hours=5))
    code, report = doctor(sam)
    assert code == ExitCode.ATTENTION
    (finding,) = report["findings"]  # type: ignore[misc]
    assert finding["kind"] == "clock-skew" and "5 h 0 min ahead" in finding["message"]
    assert "clocks" in finding["advice"]


def test_a_record_from_days_ahead_is_not_counted_until_its_time(
    pair: tuple[Peerlog, Peerlog, Path],
) -> None:
    sam, alex, _ = pair
    entry = alex.saved_id("write", "--space", "pair", "ahead", now=FIXED_NOW + timedelta(days=2))
    code, report = doctor(sam)
    assert code == ExitCode.ATTENTION and kinds(report) == ["future-clock"]
    (finding,) = report["findings"]  # type: ignore[misc]
    assert entry in finding["path"] and "ahead" in finding["message"]
    listed = sam.ok("list", "--space", "pair", "--json")
    assert json.loads(listed.stdout) == [] and "ahead" in listed.stderr
    later = json.loads(
        sam.ok("list", "--space", "pair", "--json", now=FIXED_NOW + timedelta(days=2)).stdout
    )
    assert [e["id"] for e in later] == [entry]


def test_doctor_checks_the_private_journal_too(make_member: Callable[..., Peerlog]) -> None:
    sam = make_member("Sam", "sam")
    sam.ok("write", "private words")
    (record,) = (sam.home / "journal").rglob("*.md")
    record.with_name(record.stem + ".sync-conflict-20261121-101010-ABCDEFG.md").write_text("x")
    code, report = doctor(sam)
    assert code == ExitCode.ATTENTION and kinds(report) == ["conflict-copy"]
    human = sam("doctor")
    assert human.exit_code == ExitCode.ATTENTION
    assert "1 finding needs attention." in human.stdout
