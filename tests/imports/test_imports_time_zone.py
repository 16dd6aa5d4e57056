"""jrnl's times carry no time zone: the import says which it used, and `--tz` chooses one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from import_support import Peerlog, entries, jrnl_entry, jrnl_file


def test_the_machine_zone_is_used_and_said(
    sam: Peerlog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    path = jrnl_file(tmp_path, [jrnl_entry("Morning", date="2020-05-04", time="09:30")])

    result = sam("import", "jrnl", str(path))

    assert result.exit_code == 0, result.stderr
    assert "this machine's time zone (JST)" in result.stdout
    assert "pass --tz ZONE" in result.stdout
    (entry,) = entries(sam)
    assert entry["date"] == "2020-05-04T09:30:00+09:00"


def test_tz_reads_the_times_in_that_zone(sam: Peerlog, tmp_path: Path) -> None:
    path = jrnl_file(
        tmp_path,
        [
            jrnl_entry("Winter", date="2021-01-10", time="08:00"),
            jrnl_entry("Summer", date="2021-07-10", time="08:00"),
        ],
    )

    result = sam("import", "jrnl", str(path), "--tz", "Europe/Berlin")

    assert result.exit_code == 0, result.stderr
    assert "Times were read in Europe/Berlin" in result.stdout
    instants = {e["text"]: datetime.fromisoformat(e["date"]) for e in entries(sam)}
    assert instants["Winter"].utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert instants["Summer"].utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
    assert instants["Summer"].hour == 8


def test_a_time_in_the_spring_gap_is_reported_not_shifted_silently(
    sam: Peerlog, tmp_path: Path
) -> None:
    path = jrnl_file(tmp_path, [jrnl_entry("In the gap", date="2021-03-14", time="02:30")])

    result = sam("import", "jrnl", str(path), "--tz", "America/New_York")

    assert result.exit_code == 0, result.stderr
    assert "2021-03-14 02:30 does not exist in America/New_York" in result.stderr
    assert "imported as 03:30" in result.stderr
    (entry,) = entries(sam)
    assert entry["date"] == "2021-03-14T03:30:00-04:00"


def test_a_second_import_in_another_zone_adds_nothing(sam: Peerlog, tmp_path: Path) -> None:
    path = jrnl_file(tmp_path, [jrnl_entry("Once")])
    sam("import", "jrnl", str(path), "--tz", "Europe/Berlin")

    again = sam("import", "jrnl", str(path), "--tz", "America/New_York")

    assert "Imported 0 entries" in again.stdout
    assert len(entries(sam)) == 1
