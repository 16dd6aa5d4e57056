"""`peerlog import peerlog`: the JSON export is a backup that restores, exactly and once.

The round trip runs on the tour's year of history (a private journal and a pair space with
check-ins, goals with their history, replies and resources): export, restore into a fresh
home, export again: the same ids and content.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from import_support import FIXED_NOW, Peerlog, records
from typer.testing import Result

from peerlog.actions.tour import build_tour
from peerlog.errors import ExitCode
from peerlog.store import decode_record


def _json(result: Result) -> Any:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return json.loads(result.stdout)


def _files(root: Path) -> dict[str, bytes]:
    """Every record file under `root`, by its path from `members/`."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.glob("members/**/*.md")}


def _types(document: dict[str, Any]) -> set[str]:
    found = set()
    for item in document["records"]:
        line = next(x for x in item["file"].splitlines() if x.startswith("type = "))
        found.add(line.removeprefix("type = ").strip('"'))
    return found


def test_the_tour_round_trips_through_a_fresh_home(sam: Peerlog, tmp_path: Path) -> None:
    box = build_tour(FIXED_NOW, tmp_path / "tour")
    tour_env = {"PEERLOG_HOME": str(box.home.root), "PEERLOG_CACHE_DIR": str(tmp_path / "tc")}

    def in_tour(*args: str) -> Result:
        return sam(*args, env=tour_env)

    backup = tmp_path / "backup.json"
    assert in_tour("export", "--format", "json", "--all", "--out", str(backup)).exit_code == 0
    first = json.loads(backup.read_text())
    assert _types(first) >= {
        "entry", "reply", "profile", "checkin", "resource", "agreement", "goal",
        "goal-accept", "goal-amend", "goal-log", "goal-decline", "goal-rest", "goal-complete",
    }  # fmt: skip
    assert (
        sam("space", "create", str(tmp_path / "restored"), "--name", "sam-and-alex").exit_code == 0
    )

    restored = sam("import", "peerlog", str(backup))

    assert restored.exit_code == 0, restored.stderr
    count = len(first["records"])
    assert f"Restored {count} records into your journal and space sam-and-alex." in restored.stdout
    second = _json(sam("export", "--format", "json", "--all"))
    assert second["entries"] == first["entries"]
    # Exactly the same record files, and one more: this device's profile, written on joining.
    new = [r for r in second["records"] if r not in first["records"]]
    assert [r for r in first["records"] if r not in second["records"]] == []
    assert len(new) == 1 and 'type = "profile"' in new[0]["file"]
    for listing in (
        ["goal", "list", "--json"],
        ["checkins", "--all", "--json"],
        ["resource", "list", "--all", "--json"],
        ["list", "--all", "--json"],
    ):
        assert _json(sam(*listing)) == _json(in_tour(*listing)), listing
    for goal in _json(in_tour("goal", "list", "--json")):
        assert _json(sam("goal", "show", goal["id"], "--json")) == _json(
            in_tour("goal", "show", goal["id"], "--json")
        )

    # Byte for byte the files the tour wrote, each at the same place in its folder.
    originals = {**_files(box.home.root / "journal"), **_files(box.space)}
    copies = {**_files(sam.home / "journal"), **_files(tmp_path / "restored")}
    assert len(originals) == count
    assert {name: copies.get(name) for name in originals} == originals

    files = records(sam)
    again = sam("import", "peerlog", str(backup))
    assert again.exit_code == 0
    assert f"Restored 0 records into your journal and space sam-and-alex; {count} were" in (
        again.stdout
    )
    assert records(sam) == files


@pytest.fixture
def backup(sam: Peerlog, tmp_path: Path) -> Path:
    """A small private journal's export, from another home of the same member."""
    other = {"PEERLOG_HOME": str(tmp_path / "old-home"), "PEERLOG_CACHE_DIR": str(tmp_path / "oc")}
    assert sam("init", "--name", "Sam", "--member", "sam", env=other).exit_code == 0
    for text in ("first #walk", "second", "third, starred"):
        args = ["write", text] + (["--star"] if "starred" in text else [])
        assert sam(*args, env=other).exit_code == 0
    path = tmp_path / "backup.json"
    assert sam("export", "--out", str(path), env=other).exit_code == 0
    return path


def test_a_private_journal_is_restored(sam: Peerlog, backup: Path) -> None:
    result = sam("import", "peerlog", str(backup))

    assert result.exit_code == 0, result.stderr
    assert "Restored 3 records into your journal." in result.stdout
    restored = _json(sam("export"))
    original = json.loads(backup.read_text())
    assert restored["entries"] == original["entries"]
    assert restored["records"] == original["records"]
    assert [e["starred"] for e in restored["entries"]] == [True, False, False]
    restored_clocks = [decode_record(p.read_bytes()).clock for p in sam.records()]
    assert sam("write", "after the restore").exit_code == 0
    (newest,) = [r for r in map(decode_record, (p.read_bytes() for p in sam.records()))
                 if r.body == "after the restore"]  # fmt: skip
    assert newest.clock > max(restored_clocks)  # the clock goes on from the restored records


def _refused(result: Result, code: ExitCode, *needles: str) -> None:
    assert result.exit_code == int(code), (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("peerlog: "), result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    assert "Traceback" not in result.stderr
    assert "Restored" not in result.stdout


def _edited(backup: Path, change: Any) -> Path:
    data = json.loads(backup.read_text())
    change(data)
    path = backup.with_name("edited.json")
    path.write_text(json.dumps(data))
    return path


def test_a_broken_record_refuses_the_whole_backup(sam: Peerlog, backup: Path) -> None:
    def spoil(data: dict[str, Any]) -> None:
        data["records"][1]["file"] = data["records"][1]["file"].replace("format = 1", "format = x")
        data["records"][2]["file"] = "\ud800"

    result = sam("import", "peerlog", str(_edited(backup, spoil)))

    _refused(result, ExitCode.USAGE, "Nothing was restored", "2 of the 3 records", "record 2:")
    assert "record 3: its file holds a character that is not valid Unicode" in result.stderr
    assert records(sam) == []


def test_a_record_dated_outside_the_calendar_is_refused(sam: Peerlog, backup: Path) -> None:
    def age(data: dict[str, Any]) -> None:
        text = data["records"][0]["file"]
        line = next(x for x in text.splitlines() if x.startswith("date = "))
        data["records"][0]["file"] = text.replace(line, "date = 1850-01-01 09:00:00+00:00")

    result = sam("import", "peerlog", str(_edited(backup, age)))

    _refused(result, ExitCode.USAGE, "record 1: it is not a readable record", "1900 to 9998")
    assert records(sam) == []


def test_an_export_without_records_says_why(sam: Peerlog, backup: Path, tmp_path: Path) -> None:
    filtered = tmp_path / "filtered.json"
    filtered.write_text(_json_text(sam("export", "--since", "2000-01-01")))
    jrnl = tmp_path / "jrnl.json"
    jrnl.write_text('{"tags": {}, "entries": []}')

    _refused(sam("import", "peerlog", str(filtered)), ExitCode.USAGE, "not the records")
    _refused(sam("import", "peerlog", str(jrnl)), ExitCode.USAGE, "is not a peerlog JSON export")
    _refused(sam("import", "peerlog", "/dev/zero"), ExitCode.USAGE, "does not start with")
    assert records(sam) == []


def _json_text(result: Result) -> str:
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_space_not_joined_here_is_named(sam: Peerlog, backup: Path) -> None:
    def move(data: dict[str, Any]) -> None:
        data["records"][0]["space"] = "our-pair"

    result = sam("import", "peerlog", str(_edited(backup, move)))

    _refused(result, ExitCode.NOT_FOUND, "space our-pair, which this home has not joined")
    assert "peerlog space join PATH" in result.stderr
    assert records(sam) == []


def test_another_members_journal_is_refused(sam: Peerlog, backup: Path, tmp_path: Path) -> None:
    kim = {"PEERLOG_HOME": str(tmp_path / "kim"), "PEERLOG_CACHE_DIR": str(tmp_path / "kc")}
    assert sam("init", "--name", "Kim", "--member", "kim", env=kim).exit_code == 0

    result = sam("import", "peerlog", str(backup), env=kim)

    _refused(result, ExitCode.REFUSED, "written by sam; this home belongs to kim")
    assert not (tmp_path / "kim" / "journal" / "members").exists() or not any(
        (tmp_path / "kim" / "journal").rglob("*.md")
    )


def test_a_different_file_under_the_same_name_is_never_overwritten(
    sam: Peerlog, backup: Path
) -> None:
    assert sam("import", "peerlog", str(backup)).exit_code == 0
    victim = next(p for p in sam.records())
    victim.write_bytes(victim.read_bytes() + b"\nchanged here")
    before = records(sam)

    result = sam("import", "peerlog", str(backup))

    _refused(result, ExitCode.REFUSED, "1 record files cannot be put back", victim.name)
    assert records(sam) == before
    assert victim.read_bytes().endswith(b"changed here")


def test_standard_input(sam: Peerlog, backup: Path) -> None:
    result = sam("import", "peerlog", "-", input=backup.read_bytes())

    assert result.exit_code == 0, result.stderr
    assert "Restored 3 records" in result.stdout


def test_what_was_deleted_stays_out_of_the_backup(sam: Peerlog, tmp_path: Path) -> None:
    other = {"PEERLOG_HOME": str(tmp_path / "old"), "PEERLOG_CACHE_DIR": str(tmp_path / "oc")}
    assert sam("init", "--name", "Sam", "--member", "sam", env=other).exit_code == 0
    kept = sam("write", "kept", env=other)
    gone = sam("write", "regretted words", env=other)
    gone_id = gone.stdout.split()[2].rstrip(".")
    assert sam("edit", gone_id, "more regretted words", env=other).exit_code == 0
    assert sam("reply", gone_id, "a reply to it", env=other).exit_code == 0
    assert sam("delete", gone_id, "--yes", env=other).exit_code == 0
    assert kept.exit_code == 0
    backup = tmp_path / "backup.json"
    assert sam("export", "--out", str(backup), env=other).exit_code == 0

    text = backup.read_text()
    assert "regretted" not in text and "a reply to it" not in text
    document = json.loads(text)
    assert _types(document) == {"entry", "deletion"}  # the tombstone stays: it holds no text
    assert sam("import", "peerlog", str(backup)).exit_code == 0
    assert [e["text"] for e in _json(sam("list", "--json"))] == ["kept"]
    assert _json(sam("export"))["records"] == document["records"]


def test_a_record_from_the_future_is_refused(sam: Peerlog, backup: Path) -> None:
    ahead = int((FIXED_NOW.timestamp() + 3 * 86400) * 1000)

    def push(data: dict[str, Any]) -> None:
        text = data["records"][0]["file"]
        line = next(x for x in text.splitlines() if x.startswith("clock = "))
        data["records"][0]["file"] = text.replace(line, f"clock = {ahead}")

    result = sam("import", "peerlog", str(_edited(backup, push)))

    # A signed record whose clock was changed no longer matches its signature; either way it
    # is refused, and nothing is written.
    _refused(result, ExitCode.USAGE, "Nothing was restored")
    assert "ahead of this machine's clock" in result.stderr or "signature" in result.stderr
    assert records(sam) == []


def test_a_link_on_the_way_is_refused_before_anything_is_written(
    sam: Peerlog, backup: Path, tmp_path: Path
) -> None:
    text = json.loads(backup.read_text())["records"][0]["file"]
    device = next(x for x in text.splitlines() if x.startswith("device = ")).split('"')[1]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    member = sam.home / "journal" / "members" / "sam"
    member.mkdir(parents=True, exist_ok=True)
    (member / device).symlink_to(elsewhere, target_is_directory=True)

    result = sam("import", "peerlog", str(backup))

    _refused(result, ExitCode.REFUSED, "a folder on the way is a link", device)
    assert list(elsewhere.iterdir()) == []
    assert [p for p in sam.records() if not p.is_relative_to(member / device)] == []
