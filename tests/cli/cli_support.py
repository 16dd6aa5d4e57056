"""Helpers for the CLI tests: reading what a command printed and what it left on disk. The
driver itself (`Peerlog`) and the checks every folder shares are in tests/cli_driver.py.

Deliberately not a `conftest.py`, and named uniquely (pytest's default "prepend" import mode).
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from cli_driver import (
    FIXED_NOW,
    HOSTILE,
    Peerlog,
    assert_clean_error,
    assert_terminal_safe,
    entries,
    succeeded,
)
from disk_time import age_tree
from peerlog.errors import ExitCode
from peerlog.records import Deletion, Entry, Record, Revision, new_device_id, new_record_id
from peerlog.store import decode_record, encode_record
from peerlog.store import scan as scan_module

__all__ = [
    "FIXED_NOW",
    "HOSTILE",
    "Deletion",
    "Editor",
    "ExitCode",
    "Peerlog",
    "Revision",
    "age_tree",
    "assert_clean_error",
    "assert_terminal_safe",
    "cached_run",
    "count_decodes",
    "drop_record",
    "entries",
    "foreign_entry",
    "isolate_tempdir",
    "make_editor",
    "mode_of",
    "ok",
    "read",
    "record_path",
    "records_of_type",
    "saved_id",
    "saved_id_from",
    "write",
]

ID_RE = re.compile(r"[0-7][0-9a-hjkmnp-tv-z]{25}")

# --- what a command printed -------------------------------------------------------------------


def saved_id(result: Result) -> str:
    """The entry id from `write`'s "Saved entry <id>." confirmation."""
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    match = re.search(r"Saved entry (" + ID_RE.pattern + r")\.", result.stdout)
    assert match, result.stdout
    return match.group(1)


def saved_id_from(stdout: str) -> str:
    match = re.search(r"Saved entry (" + ID_RE.pattern + r")\.", stdout)
    assert match, stdout
    return match.group(1)


def write(peerlog: Peerlog, *args: str, **kwargs: Any) -> str:
    """Run `peerlog write …` and return the new entry's id."""
    return saved_id(peerlog("write", *args, **kwargs))


# --- what a command left on disk --------------------------------------------------------------


def record_path(peerlog: Peerlog, record_id: str) -> Path:
    """The one file in the journal tree named `<record_id>.md`."""
    found: list[Path] = [p for p in peerlog.records() if p.name == f"{record_id}.md"]
    assert len(found) == 1, (record_id, found)
    return found[0]


def read(path: Path) -> Record:
    return decode_record(path.read_bytes())


def records_of_type(peerlog: Peerlog, kind: type[Record]) -> list[Record]:
    return [r for r in (read(p) for p in peerlog.records()) if isinstance(r, kind)]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def drop_record(peerlog: Peerlog, record: Record, *, folder: Path | None = None) -> Path:
    """Put `record`'s file where a sync engine would: its author's and device's month folder."""
    created = record.created
    if folder is None:
        folder = (
            peerlog.home
            / "journal"
            / "members"
            / record.author
            / record.device
            / f"{created.year:04d}"
            / f"{created.month:02d}"
        )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record.id}.md"
    path.write_bytes(encode_record(record))
    return path


def foreign_entry(
    text: str,
    *,
    author: str = "alex",
    device: str | None = None,
    clock: int = 1,
    at: datetime = FIXED_NOW,
    tags: tuple[str, ...] = (),
    mood: int | None = None,
) -> Entry:
    """An entry record as another member (or another device) would have written it."""
    return Entry(
        id=new_record_id(at),
        author=author,
        device=device or new_device_id(),
        clock=clock,
        created=at,
        when=at,
        body=text,
        tags=tags,
        mood=mood,
    )


# --- a fake $EDITOR ---------------------------------------------------------------------------

_EDITOR_SCRIPT = """\
#!{python}
import json, os, stat, sys
path = sys.argv[-1]
info = os.stat(path)
with open(path, encoding="utf-8", newline="") as handle:
    before = handle.read()
with open({log!r}, "w", encoding="utf-8") as handle:
    json.dump({{"argv": sys.argv[1:], "path": path, "mode": stat.S_IMODE(info.st_mode),
               "uid": info.st_uid, "before": before}}, handle)
replacement = {text!r}
if isinstance(replacement, bytes):
    with open(path, "wb") as handle:
        handle.write(replacement)
elif replacement is not None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(replacement)
sys.exit({status})
"""


@dataclass(frozen=True)
class Editor:
    """A fake editor script and what it saw when it ran."""

    script: Path
    log: Path

    @property
    def ran(self) -> bool:
        return self.log.exists()

    def seen(self) -> dict[str, Any]:
        data = json.loads(self.log.read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data


def make_editor(
    tmp_path: Path, text: str | bytes | None, *, status: int = 0, name: str = "editor"
) -> Editor:
    """An executable that records os.stat and the content of the file it is given, then writes
    `text` into it (raw when bytes; leaves it alone when None) and exits with `status`."""
    folder = tmp_path / "editors"
    folder.mkdir(exist_ok=True)
    script = folder / f"{name}.py"
    log = folder / f"{name}.json"
    script.write_text(
        _EDITOR_SCRIPT.format(python=sys.executable, log=str(log), text=text, status=status),
        encoding="utf-8",
    )
    script.chmod(0o755)
    return Editor(script=script, log=log)


def isolate_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point `tempfile` at an empty folder of this test, so leftovers can be seen."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# --- warm runs through the index (docs/storage.md) -----------------------------------------


@dataclass
class Decodes:
    """Record files parsed while it is installed."""

    count: int = 0


def count_decodes(monkeypatch: pytest.MonkeyPatch) -> Decodes:
    counter = Decodes()
    real = scan_module.decode_record

    def counting(data: bytes) -> Any:
        counter.count += 1
        return real(data)

    monkeypatch.setattr(scan_module, "decode_record", counting)
    return counter


def ok(result: Result) -> str:
    """The output of a command that must succeed."""
    return succeeded(result).stdout


def cached_run(
    peerlog: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, *args: str, **kwargs: Any
) -> str:
    """Run a read-only command twice: the first brings the index up to date, the second is
    warm (asserted: no record file parsed, the same output). Returns the output."""
    computed = ok(peerlog(*args, **kwargs))
    with monkeypatch.context() as patch:
        decodes = count_decodes(patch)
        cached = ok(peerlog(*args, **kwargs))
    assert decodes.count == 0, f"{args}: a record file was parsed on a warm run"
    assert cached == computed
    return cached
