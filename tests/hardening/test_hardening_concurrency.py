"""Concurrency: many processes of one device writing to the same home and space at once.

They share one home, so one device id: the cache lock must give every record its own logical
clock, and each process must see its own clocks rise.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hardening_support import ID_RE, Person, all_files, clean_environ, fast_scratch

from peerlog.records import Entry, Profile
from peerlog.store import decode_record

PROCESSES = 8
EACH = 200
SPACE = "busy"

# One writer: waits for the start signal, then alternates private and shared entries through
# peerlog's library, and prints the ids and clocks it got, in the order it made them.
DRIVER = textwrap.dedent(
    """
    import json, os, sys, time
    from datetime import UTC, datetime
    from pathlib import Path
    from peerlog.actions.journal import open_private_journal, write_entry
    from peerlog.actions.spaces import open_space
    from peerlog.store import resolve_home

    number, count, go = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    home = resolve_home(os.environ)
    private = open_private_journal(home)
    shared = open_space(home, sys.argv[4])
    made = {"private": [], "space": []}
    while not go.exists():
        time.sleep(0.001)
    for i in range(count):
        for target, session in (("private", private), ("space", shared)):
            entry = write_entry(session, f"p{number}-{i} {target}", now=datetime.now(UTC))
            made[target].append([entry.id, entry.clock])
    print(json.dumps(made))
    """
)


@pytest.mark.system
def test_eight_processes_one_device_no_collision_no_loss_clocks_rise(tmp_path: Path) -> None:
    with fast_scratch(tmp_path, "busy") as root:
        sam = Person(root, "sam", "Sam")
        space = root / "space"
        sam.ok("space", "create", str(space), "--name", SPACE, now=None)
        go = root / "go"
        env = clean_environ(**sam.env)
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", DRIVER, str(n), str(EACH), str(go), SPACE],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for n in range(PROCESSES)
        ]
        time.sleep(1.0)  # let every interpreter start and open its sessions
        go.touch()
        made: list[dict[str, list[tuple[str, int]]]] = []
        for process in processes:
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
            made.append({k: [(str(i), int(c)) for i, c in v] for k, v in json.loads(out).items()})

        for target, record_root in (("private", sam.home / "journal"), ("space", space)):
            # What the processes were told.
            told = [pair for one in made for pair in one[target]]
            ids = [record_id for record_id, _clock in told]
            assert len(ids) == PROCESSES * EACH
            assert len(set(ids)) == len(ids), f"id collision in {target}"
            for one in made:
                clocks = [clock for _id, clock in one[target]]
                assert clocks == sorted(clocks) and len(set(clocks)) == len(clocks), (
                    f"a process's clocks did not rise in {target}"
                )

            # What is on disk.
            files = all_files(record_root / "members")
            assert all(p.suffix == ".md" and ID_RE.fullmatch(p.stem) for p in files), [
                p.name for p in files if not ID_RE.fullmatch(p.stem)
            ]
            records = [decode_record(p.read_bytes()) for p in files]
            entries = {r.id: r for r in records if isinstance(r, Entry)}
            assert set(entries) == set(ids), f"records lost or invented in {target}"
            for record_id, clock in told:
                assert entries[record_id].clock == clock
            assert all(r.device == sam.device for r in records)
            every_clock = [r.clock for r in records]
            assert len(set(every_clock)) == len(every_clock), f"clocks repeated in {target}"
            extra = [r for r in records if not isinstance(r, Entry)]
            assert all(isinstance(r, Profile) for r in extra)

        # And peerlog itself agrees (reading at the real time the writers used).
        listed = json.loads(sam.ok("list", "--space", SPACE, "--json", now=None).stdout)
        assert len(listed) == PROCESSES * EACH
        listed = json.loads(sam.ok("list", "--json", now=None).stdout)
        assert len(listed) == PROCESSES * EACH
