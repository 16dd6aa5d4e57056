"""Helpers for the system tests: run peerlog as a real process, in an isolated environment.

Deliberately not a `conftest.py` (a second `conftest` module would shadow `tests/conftest.py`
under pytest's default "prepend" import mode); the file name is unique for the same reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from disk_time import age_tree
from peerlog.records import Entry
from peerlog.store import Home, encode_record, initialise, resolve_home

TIMEOUT = 60
RESULT_MARK = "@@peerlog-test-result@@ "


def peerlog_command() -> list[str]:
    """The installed console script next to this Python, else `python -m peerlog`."""
    script = Path(sys.executable).parent / "peerlog"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "peerlog"]


@dataclass
class System:
    """Where one test's peerlog lives, and how to run it for real."""

    tmp_path: Path

    @property
    def home(self) -> Path:
        return self.tmp_path / "home"

    @property
    def cache(self) -> Path:
        return self.tmp_path / "cache"

    @property
    def tempdir(self) -> Path:
        return self.tmp_path / "tmp"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PEERLOG_", "PYTEST_"))
            and key not in {"NO_COLOR", "FORCE_COLOR", "EDITOR", "VISUAL", "CI"}
        }
        self.tempdir.mkdir(exist_ok=True)
        env.update(
            PEERLOG_HOME=str(self.home),
            PEERLOG_CACHE_DIR=str(self.cache),
            TMPDIR=str(self.tempdir),
            TZ="UTC",
            COLUMNS="100",
            PYTHONDONTWRITEBYTECODE="1",
        )
        env.update(extra)
        return env

    def run(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*peerlog_command(), *args],
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            env=env or self.env(),
            timeout=TIMEOUT,
            check=False,
        )

    def python(self, code: str, *, input: str = "") -> dict[str, Any]:
        """Run a Python snippet in a fresh interpreter; it reports by calling `report(dict)`."""
        prelude = textwrap.dedent(
            f"""
            import json as _json
            def report(data):
                print({RESULT_MARK!r} + _json.dumps(data), flush=True)
            """
        )
        completed = subprocess.run(
            [sys.executable, "-c", prelude + textwrap.dedent(code)],
            input=input,
            capture_output=True,
            text=True,
            env=self.env(),
            timeout=TIMEOUT,
            check=False,
        )
        for line in completed.stdout.splitlines():
            if line.startswith(RESULT_MARK):
                result: dict[str, Any] = json.loads(line[len(RESULT_MARK) :])
                result["_stdout"] = completed.stdout
                result["_stderr"] = completed.stderr
                return result
        raise AssertionError(
            f"the snippet reported nothing (exit {completed.returncode}):\n"
            f"{completed.stdout}\n{completed.stderr}"
        )

    def resolved_home(self) -> Home:
        return resolve_home({"PEERLOG_HOME": str(self.home), "PEERLOG_CACHE_DIR": str(self.cache)})

    def fill_journal(self, count: int, *, body_size: int = 60) -> list[Entry]:
        """Initialise, then drop `count` settled entries (one a day back) straight into the
        journal, as if written over the last months; returns them."""
        home = self.resolved_home()
        identity = initialise(home, "sam", "Sam")
        start = datetime(2026, 11, 20, 9, tzinfo=UTC)
        entries = []
        for i in range(count):
            created = start - timedelta(days=i)
            body = f"Day {i}: " + ("a quiet note about the day. " * (body_size // 28 + 1))
            record = Entry(
                id=_record_id(created, i),
                author=identity.member,
                device=identity.device,
                clock=i + 1,
                created=created,
                when=created,
                body=body[:body_size],
                tags=("daily",),
                mood=(i % 5) + 1,
            )
            path = (
                home.journal_root
                / "members"
                / identity.member
                / identity.device
                / f"{created.year:04d}"
                / f"{created.month:02d}"
                / f"{record.id}.md"
            )
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.write_bytes(encode_record(record))
            entries.append(record)
        age_tree(home.journal_root)
        return entries


def _record_id(created: datetime, serial: int) -> str:
    from peerlog.records import new_record_id

    return new_record_id(created, serial.to_bytes(10, "big"))


COUNT_DECODES = """
import sys
import peerlog.store.scan as _scan
_real = _scan.decode_record
_calls = []
def _counting(data):
    _calls.append(len(data))
    return _real(data)
_scan.decode_record = _counting
from peerlog.cli.app import main
sys.argv = ["peerlog", *ARGS]
_code = 0
try:
    main()
except SystemExit as exc:
    _code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
report({"exit": _code, "decodes": len(_calls)})
"""


def count_decodes_during(system: System, *args: str, input: str = "") -> dict[str, Any]:
    """Run one command in a fresh process and count the record files it decoded."""
    return system.python(f"ARGS = {list(args)!r}\n" + COUNT_DECODES, input=input)
