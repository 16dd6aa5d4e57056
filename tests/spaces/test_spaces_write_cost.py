"""Writing into a space costs the same however long the partners' history is."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

import peerlog.store.scan as scan
from cli_driver import FIXED_NOW, Peerlog
from peerlog.actions.journal import write_entry
from peerlog.actions.spaces import open_space
from peerlog.store import decode_record, resolve_home


def _count_decodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real = scan.decode_record

    def counting(data: bytes) -> object:
        calls[0] += 1
        return real(data)

    monkeypatch.setattr(scan, "decode_record", counting)
    return calls


@pytest.mark.parametrize("history", [3, 120])
def test_a_space_write_reads_one_file_per_other_device(
    pair: tuple[Peerlog, Peerlog, Path], monkeypatch: pytest.MonkeyPatch, history: int
) -> None:
    sam, alex, shared = pair
    partner = open_space(resolve_home(alex.env), "pair")
    for day in range(history):  # Alex's long history, written without Sam reading it
        write_entry(partner, f"day {day}", now=FIXED_NOW - timedelta(days=day))
    sam.ok("list", "--space", "pair")  # Sam's cache is warm for what existed before
    write_entry(partner, "newest, not yet read by Sam", now=FIXED_NOW)
    calls = _count_decodes(monkeypatch)
    entry_id = sam.saved_id("write", "--space", "pair", "hello")
    # Only Alex's newest records are read, for the clock: those sharing the newest time in
    # their id (here several, all written at the pinned FIXED_NOW). Never the history.
    names = sorted(p.name for p in (shared / "members" / "alex").rglob("*.md"))
    newest = [n for n in names if n[:10] == names[-1][:10]]
    assert calls[0] == len(newest) <= 3  # the profile, "day 0" and the newest: not the history
    (path,) = (shared / "members" / "sam").rglob(f"{entry_id}.md")
    newest_of_alex = max(
        decode_record(p.read_bytes()).clock for p in (shared / "members" / "alex").rglob("*.md")
    )
    assert decode_record(path.read_bytes()).clock > newest_of_alex
