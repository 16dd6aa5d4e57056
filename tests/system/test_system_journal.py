"""Real processes: init to list, exit codes, the tour, and a cost that does not grow."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from system_support import System, count_decodes_during, peerlog_command

from peerlog.store import decode_record

pytestmark = pytest.mark.system


@pytest.fixture
def system(tmp_path: Path) -> System:
    return System(tmp_path)


def assert_clean_failure(completed: subprocess.CompletedProcess[str], code: int) -> None:
    assert completed.returncode == code, (completed.stdout, completed.stderr)
    assert "Traceback" not in completed.stderr
    assert completed.stderr.startswith("peerlog: "), completed.stderr
    assert len(completed.stderr.splitlines()) <= 3


def journal_files(system: System) -> list[Path]:
    return sorted((system.home / "journal").rglob("*.md"))


# --- a journal, for real -----------------------------------------------------------------------


def test_init_write_list_json(system: System) -> None:
    init = system.run("init", "--name", "Sam")
    assert init.returncode == 0, init.stderr
    assert stat.S_IMODE(system.home.stat().st_mode) == 0o700

    first = system.run("write", "First entry about #sleep", "--mood", "4")
    assert first.returncode == 0, first.stderr
    second = system.run("write", "--tag", "work", input="Piped\nentry\n")
    assert second.returncode == 0, second.stderr

    listed = system.run("list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == ""
    entries = json.loads(listed.stdout)
    assert [e["text"] for e in entries] == ["Piped\nentry", "First entry about #sleep"]
    assert entries[1]["mood"] == 4 and entries[1]["tags"] == ["sleep"]
    assert entries[0]["tags"] == ["work"] and entries[0]["mood"] is None
    assert {e["author"] for e in entries} == {"sam"}

    files = journal_files(system)
    assert sorted(f.stem for f in files) == sorted(e["id"] for e in entries)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        record = decode_record(path.read_bytes())
        assert path.parent.parent.parent.parent.name == "sam" == record.author
        assert path.parent.parent.parent.name == record.device
    clocks = sorted(decode_record(p.read_bytes()).clock for p in files)
    assert len(clocks) == 2 and clocks[0] < clocks[1]


def test_show_edit_delete_round_trip(system: System) -> None:
    assert system.run("init", "--name", "Sam").returncode == 0
    assert system.run("write", "original text").returncode == 0
    [entry] = json.loads(system.run("list", "--json").stdout)
    prefix = entry["id"][:10]
    edited = system.run("edit", prefix, "better text")
    assert edited.returncode == 0, edited.stderr
    shown = json.loads(system.run("show", prefix, "--json").stdout)
    assert shown["text"] == "better text" and shown["edited"] is True
    deleted = system.run("delete", prefix, "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert json.loads(system.run("list", "--json").stdout) == []
    assert len(journal_files(system)) == 3  # nothing is ever removed from disk


def test_not_initialised_exits_3(system: System) -> None:
    for args in (("list",), ("write", "hello"), ("show", "01abc")):
        assert_clean_failure(system.run(*args), 3)
    assert not system.home.exists()


def test_bad_mood_exits_2_and_saves_nothing(system: System) -> None:
    assert system.run("init", "--name", "Sam").returncode == 0
    for mood in ("9", "0", "-1"):
        completed = system.run("write", "hello", "--mood", mood)
        assert completed.returncode == 2, completed.stderr
        assert "Traceback" not in completed.stderr
    assert journal_files(system) == []


def test_unknown_id_exits_4(system: System) -> None:
    assert system.run("init", "--name", "Sam").returncode == 0
    assert system.run("write", "hello").returncode == 0
    for command in (
        ("show", "zzzzzzzz"),
        ("edit", "zzzzzzzz", "x"),
        ("delete", "zzzzzzzz", "--yes"),
    ):
        assert_clean_failure(system.run(*command), 4)
    assert len(journal_files(system)) == 1


def test_init_twice_is_refused(system: System) -> None:
    assert system.run("init", "--name", "Sam").returncode == 0
    before = (system.home / "config.toml").read_bytes()
    assert_clean_failure(system.run("init", "--name", "Alex"), 6)
    assert (system.home / "config.toml").read_bytes() == before


def test_list_into_a_closed_pipe_is_quiet(system: System) -> None:
    system.fill_journal(300, body_size=600)  # far more than a pipe buffer holds
    process = subprocess.Popen(
        [*peerlog_command(), "list"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=system.env(),
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # like `peerlog list | head -1`
    err = process.stderr.read().decode()
    code = process.wait(timeout=60)
    assert "Traceback" not in err
    assert "unexpected" not in err.lower(), err
    assert code != 70, err


# --- the tour ----------------------------------------------------------------------------------


def test_tour_builds_a_sandbox_in_a_temp_folder_and_leaves_home_alone(system: System) -> None:
    completed = system.run("tour")
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "peerlog tour" in completed.stdout
    for section in ("Goals", "Activity", "Mood", "Balance", "Recent wins"):
        assert section in completed.stdout  # the tour shows a year as a summary
    assert not system.home.exists()
    assert not system.cache.exists()
    [sandbox] = list(system.tempdir.glob("peerlog-tour-*"))
    records = list(sandbox.rglob("members/*/*/*/*/*.md"))
    assert len(records) >= 500  # a year of two partners
    assert str(sandbox) in completed.stdout.replace("\n", "")
    for path in records:
        decode_record(path.read_bytes())  # every sample is a valid record


def test_tour_no_keep_removes_the_sandbox(system: System) -> None:
    completed = system.run("tour", "--no-keep")
    assert completed.returncode == 0, completed.stderr
    assert "peerlog tour" in completed.stdout
    assert list(system.tempdir.iterdir()) == []
    assert not system.home.exists()


def test_tour_does_not_touch_an_existing_journal(system: System) -> None:
    assert system.run("init", "--name", "Alex").returncode == 0
    assert system.run("write", "my own words").returncode == 0
    before = {p: p.read_bytes() for p in system.home.rglob("*") if p.is_file()}
    assert system.run("tour", "--no-keep").returncode == 0
    after = {p: p.read_bytes() for p in system.home.rglob("*") if p.is_file()}
    assert after == before


# --- cost does not grow with history (DESIGN §5) -----------------------------------------------


def test_with_a_warm_cache_list_and_write_decode_no_old_records(system: System) -> None:
    entries = system.fill_journal(300)
    warm = system.run("list", "-n", "1")
    assert warm.returncode == 0, warm.stderr

    listing = count_decodes_during(system, "list", "-n", "10")
    assert listing["exit"] == 0, listing["_stderr"]
    assert listing["decodes"] == 0
    assert listing["_stdout"].count("Day ") == 10

    writing = count_decodes_during(system, "write", "one more day")
    assert writing["exit"] == 0, writing["_stderr"]
    assert writing["decodes"] == 0

    after = count_decodes_during(system, "list", "-n", "10")
    assert after["decodes"] == 1  # only the new file
    # While its folder has only just changed, the new file may be read again rather than the
    # whole index rewritten for it; never an old one.
    again = count_decodes_during(system, "list", "-n", "10")
    assert again["decodes"] <= 1

    newest = json.loads(system.run("list", "-n", "1", "--json").stdout)[0]
    assert newest["text"] == "one more day"
    record = next(p for p in journal_files(system) if p.stem == newest["id"])
    assert decode_record(record.read_bytes()).clock > max(e.clock for e in entries)


def test_write_on_a_cold_cache_still_gets_a_higher_clock(system: System) -> None:
    entries = system.fill_journal(50)
    assert system.run("list", "-n", "1").returncode == 0
    shutil.rmtree(system.cache)  # allowed at any time (DESIGN §2.5)
    completed = system.run("write", "after the cache was deleted")
    assert completed.returncode == 0, completed.stderr
    newest = json.loads(system.run("list", "-n", "1", "--json").stdout)[0]
    record = next(p for p in journal_files(system) if p.stem == newest["id"])
    assert decode_record(record.read_bytes()).clock > max(e.clock for e in entries)
