"""Crash safety: `peerlog write` processes killed with SIGKILL at random moments.

Whatever moment a write dies at, no record file is ever partial, every write that reported
success is there, and the only thing left behind is a temp file that `doctor` can name and clean.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hardening_support import (
    ID_RE,
    SAVED_ENTRY_RE,
    Person,
    all_files,
    clean_environ,
    peerlog_argv,
)

from peerlog.records import Entry, Record
from peerlog.store import MalformedRecord, decode_record
from peerlog.store.publish import is_temp_name

SEED = 20261121
WRITERS = 48  # killed at seeded random moments, AT_ONCE at a time
AT_ONCE = 8
SNIPED = 8  # then one at a time, killed the moment their temp file appears
SPACE = "crashpad"


@dataclass
class Job:
    number: int
    target: str  # "private" or "space"
    kill_after: float | None  # seconds after start; None: let it finish (or snipe it)
    process: subprocess.Popen[str] | None = None
    returncode: int | None = None
    stdout: str = ""
    killed: bool = False

    @property
    def text(self) -> str:
        return f"crash-{self.number:03d} in {self.target}"

    @property
    def saved_id(self) -> str | None:
        """The id this write reported as saved (exit 0 and "Saved entry <id>")."""
        match = SAVED_ENTRY_RE.search(self.stdout)
        if self.returncode == 0 and match:
            return match.group(1)
        return None


def run_wave(jobs: list[Job], env: dict[str, str]) -> None:
    started = time.monotonic()
    for job in jobs:
        job.process = subprocess.Popen(
            [*peerlog_argv(), *job_args(job)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
    for job in sorted(jobs, key=lambda j: j.kill_after if j.kill_after is not None else 1e9):
        assert job.process is not None
        if job.kill_after is None:
            continue
        pause = started + job.kill_after - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        if job.process.poll() is None:
            job.process.send_signal(signal.SIGKILL)
            job.killed = True
    for job in jobs:
        assert job.process is not None
        out, _err = job.process.communicate(timeout=60)
        job.stdout = out
        job.returncode = job.process.returncode


def snipe(job: Job, env: dict[str, str], watched: Path) -> None:
    """Run one write and kill it as soon as its temp file shows up in `watched` (mid-publish)."""
    process = subprocess.Popen(
        [*peerlog_argv(), *job_args(job)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline:
        try:
            names = os.listdir(watched)
        except FileNotFoundError:
            continue
        if any(is_temp_name(name) for name in names):
            process.send_signal(signal.SIGKILL)
            job.killed = True
            break
    job.stdout, _err = process.communicate(timeout=60)
    job.returncode = process.returncode


def job_args(job: Job) -> list[str]:
    return ["write", job.text] + (["--space", SPACE] if job.target == "space" else [])


def tree_records(root: Path) -> tuple[dict[str, Record], list[Path], list[str]]:
    """(records by id, temp files, problems) of every file under a record root's members/."""
    records: dict[str, Record] = {}
    temps: list[Path] = []
    problems: list[str] = []
    for path in all_files(root / "members"):
        if is_temp_name(path.name):
            temps.append(path)
            continue
        if not (path.suffix == ".md" and ID_RE.fullmatch(path.stem)):
            problems.append(f"unexpected file {path}")
            continue
        try:
            record = decode_record(path.read_bytes())
        except MalformedRecord as exc:
            problems.append(f"{path} is partial or corrupt: {exc}")
            continue
        if record.id != path.stem:
            problems.append(f"{path} holds record {record.id}")
        records[record.id] = record
    return records, temps, problems


def doctor(sam: Person, *extra: str, now: datetime | None = None) -> tuple[int, dict[str, object]]:
    env = {"PEERLOG_NOW": now.isoformat()} if now is not None else {}
    completed = sam.run("doctor", "--json", *extra, extra_env=env)
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed.returncode, json.loads(completed.stdout)


@pytest.mark.system
def test_killed_writes_leave_no_partial_record_and_lose_no_saved_one(tmp_path: Path) -> None:
    # On the real disk on purpose (not /dev/shm): fsync takes long enough there for a kill to
    # land between a temp file's creation and its publication.
    rng = random.Random(SEED)
    sam = Person(tmp_path, "sam", "Sam")  # real time from here on: doctor checks clock skew
    space = tmp_path / "space"
    sam.ok("space", "create", str(space), "--name", SPACE, now=None)
    env = clean_environ(**sam.env)
    jobs = [
        Job(
            number,
            "space" if number % 2 else "private",
            None if number % 6 == 0 else rng.uniform(0.02, 0.6),
        )
        for number in range(WRITERS)
    ]
    for first in range(0, WRITERS, AT_ONCE):
        run_wave(jobs[first : first + AT_ONCE], env)
    for number in range(WRITERS, WRITERS + SNIPED):
        job = Job(number, "space" if number % 2 else "private", None)
        month = datetime.now(UTC).strftime("%Y/%m")
        base = space if job.target == "space" else sam.home / "journal"
        snipe(job, env, base / "members" / "sam" / sam.device / month)
        jobs.append(job)

    succeeded = [job for job in jobs if job.saved_id]
    # The test only means something if some writes died and some succeeded.
    assert any(job.killed for job in jobs)
    assert len(succeeded) >= WRITERS // 6
    for job in jobs:
        if not job.killed:
            assert job.saved_id, (job.text, job.returncode, job.stdout)

    roots = {"private": sam.home / "journal", "space": space}
    found: dict[str, dict[str, Record]] = {}
    temps: list[Path] = []
    for target, record_root in roots.items():
        records, temp_files, problems = tree_records(record_root)
        assert problems == []
        found[target] = records
        temps += temp_files
        print(target, len(records), "records", len(temp_files), "temp files")
        mine = [r for r in records.values() if r.device == sam.device]
        clocks = [r.clock for r in mine]
        assert len(clocks) == len(set(clocks)), f"a clock was repeated in {target}"

    for job in succeeded:
        assert job.saved_id is not None
        record = found[job.target].get(job.saved_id)
        assert record is not None, f"{job.text} reported {job.saved_id} but it is missing"
        assert isinstance(record, Entry)
        assert record.body == job.text
    for target, records in found.items():
        for record in records.values():
            if isinstance(record, Entry):
                assert record.body.endswith(f" in {target}")  # nothing went astray

    # doctor: nothing but young temp files, which it does not mention yet.
    code, report = doctor(sam)
    assert report["findings"] == [], report
    assert code == 0

    # Two days later the temp files are stale: they are all doctor reports, and --clean
    # removes them.
    later = datetime.now(UTC) + timedelta(days=2)
    code, report = doctor(sam, now=later)
    findings = report["findings"]
    assert isinstance(findings, list)
    assert {f["kind"] for f in findings} <= {"stray-temp"}, findings
    assert sorted(str(f["path"]) for f in findings) == sorted(str(p) for p in temps)
    assert code == (8 if temps else 0)
    code, report = doctor(sam, "--clean", now=later)
    assert report["cleaned"] == len(temps)
    code, report = doctor(sam, now=later)
    assert report["findings"] == [] and code == 0

    # The lock and the clock survived the kills: a new write works and is newest.
    for target, record_root in roots.items():
        args = ["write", "after the storm"] + (["--space", SPACE] if target == "space" else [])
        completed = sam.run(*args)
        assert completed.returncode == 0, completed.stderr
        match = SAVED_ENTRY_RE.search(completed.stdout)
        assert match
        records, _temps, problems = tree_records(record_root)
        assert problems == []
        newest = records[match.group(1)]
        assert newest.clock > max(r.clock for r in records.values() if r.id != newest.id)
