"""Helpers for the import tests: the jrnl corpus, and what an import left on disk (the CLI
driver is tests/cli_driver.py).

Deliberately not a `conftest.py`, and named uniquely (pytest's default "prepend" import mode).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import Result

from cli_driver import FIXED_NOW, Peerlog, assert_clean_error, entries

__all__ = [
    "CORPUS",
    "FIXED_NOW",
    "Peerlog",
    "assert_refused",
    "entries",
    "jrnl_entry",
    "jrnl_file",
    "records",
]

CORPUS = Path(__file__).parent / "jrnl_corpus"


def jrnl_file(folder: Path, entries: list[Any], name: str = "journal.json") -> Path:
    """A jrnl-shaped export holding `entries`."""
    path = folder / name
    path.write_text(json.dumps({"tags": {}, "entries": entries}), encoding="utf-8")
    return path


def jrnl_entry(title: str, body: str = "", **fields: Any) -> dict[str, Any]:
    """One entry as `jrnl --format json` writes it; `fields` override date, time, tags, star."""
    entry = {"title": title, "body": body, "date": "2020-05-04", "time": "09:30", "tags": []}
    entry["starred"] = False
    entry.update(fields)
    return entry


def records(peerlog: Peerlog) -> list[Path]:
    """Every file under the private journal (records or not)."""
    root = peerlog.home / "journal"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_refused(result: Result, code: int, *needles: str) -> None:
    """A refused import: the exit code, a `peerlog:` sentence naming the problem, no traceback,
    and nothing said to be imported."""
    assert_clean_error(result, code, *needles)
    assert "Imported" not in result.stdout
