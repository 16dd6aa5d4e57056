"""Helpers for the import tests: the jrnl corpus, and what an import left on disk.

Deliberately not a `conftest.py`, and named uniquely (pytest's default "prepend" import mode).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from typer.testing import Result

try:
    from conftest import FIXED_NOW, Peerlog  # type: ignore[import-not-found]
except ImportError:  # another folder's conftest shadows ours: load tests/conftest.py by path
    _spec = importlib.util.spec_from_file_location(
        "peerlog_tests_root_conftest", Path(__file__).resolve().parents[1] / "conftest.py"
    )
    assert _spec is not None and _spec.loader is not None
    _root = importlib.util.module_from_spec(_spec)
    sys.modules[_spec.name] = _root
    _spec.loader.exec_module(_root)
    FIXED_NOW = _root.FIXED_NOW
    Peerlog = _root.Peerlog

__all__ = [
    "CORPUS",
    "FIXED_NOW",
    "Peerlog",
    "assert_refused",
    "jrnl_entry",
    "jrnl_file",
    "listed",
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


def listed(peerlog: Peerlog, *args: str) -> list[dict[str, Any]]:
    result = peerlog("list", "--json", *args)
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def assert_refused(result: Result, code: int, *needles: str) -> None:
    """A refused import: the exit code, a `peerlog:` sentence naming the problem, no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("peerlog: "), result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert "Imported" not in result.stdout
