"""Helpers for the hardening tests: fast scratch folders, people with their own home, real runs.

Deliberately not a `conftest.py` and never imported as `conftest` (pytest's default "prepend"
import mode would let a second `conftest` module shadow `tests/conftest.py`); the file name is
unique in the suite for the same reason.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cli_driver
from peerlog.store import Home, resolve_home

FIXED_NOW = cli_driver.FIXED_NOW  # a Saturday
NOW_ENV = FIXED_NOW.isoformat()
TIMEOUT = 120

ID_RE = re.compile(r"[0-7][0-9a-hjkmnp-tv-z]{25}")
SAVED_ENTRY_RE = re.compile(r"Saved entry (" + ID_RE.pattern + r")\b")

# Every character that could steer a terminal (DESIGN §6): C0 except tab and newline, DEL, C1,
# bidi marks/embeddings/overrides/isolates, and the invisible zero-width characters.
UNSAFE_CHARS = (
    [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + ["\u061c", "\u200e", "\u200f"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200b", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064", "\ufeff"]
    # characters that draw nothing: soft hyphen, Hangul fillers, tag characters
    + ["\u00ad", "\u115f", "\u1160", "\u3164", "\uffa0"]
    + [chr(c) for c in range(0xE0000, 0xE0080)]
)
UNSAFE_RE = re.compile("[" + "".join(re.escape(c) for c in UNSAFE_CHARS) + "]")


def unsafe_in(text: str) -> list[str]:
    """The characters of `text` that must never reach a terminal, as readable escapes."""
    return sorted({f"U+{ord(c):04X}" for c in UNSAFE_RE.findall(text)})


def peerlog_argv() -> list[str]:
    """Run peerlog as a real process: `python -m peerlog` with this interpreter."""
    return [sys.executable, "-m", "peerlog"]


@contextlib.contextmanager
def fast_scratch(tmp_path: Path, label: str) -> Iterator[Path]:
    """A scratch folder in /dev/shm when there is one (fsync is nearly free there), else under
    `tmp_path`; removed afterwards."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix=f"peerlog-hardening-{label}-", dir=shm))
    else:
        folder = tmp_path / f"scratch-{label}"
        folder.mkdir()
    try:
        yield folder
    finally:
        _make_removable(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _make_removable(folder: Path) -> None:
    for current, dirs, _files in os.walk(folder):
        for name in dirs:
            path = Path(current) / name
            if not path.is_symlink():
                with contextlib.suppress(OSError):
                    os.chmod(path, 0o700)


def clean_environ(**extra: str) -> dict[str, str]:
    """This process's environment without anything that would change peerlog's behaviour."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PEERLOG_", "PYTEST_", "HYPOTHESIS"))
        and key
        not in {"NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "EDITOR", "VISUAL", "CI", "TERM"}
    }
    env.update(TZ="UTC", COLUMNS="100", LINES="40", PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


class Person(cli_driver.Peerlog):
    """One member on one machine (the shared CLI driver, in-process), or run for real."""

    def __init__(self, root: Path, member: str, name: str, *, init: bool = True) -> None:
        self.name = name
        self.tmp = root / f"tmp-{member}"
        self.tmp.mkdir(parents=True, exist_ok=True)
        super().__init__(
            root / f"home-{member}",
            root / f"cache-{member}",
            member=member,
            env={"TMPDIR": str(self.tmp)},
        )
        if init:
            self.ok("init", "--name", name, "--member", member)

    @property
    def resolved(self) -> Home:
        return resolve_home({"PEERLOG_HOME": str(self.home), "PEERLOG_CACHE_DIR": str(self.cache)})

    def saved(self, *args: str, **kwargs: Any) -> str:
        """Run a writing command and return the first id it reports ("Saved entry <id>.")."""
        out = self.ok(*args, **kwargs).stdout
        match = ID_RE.search(out)
        assert match, out
        return match.group(0)

    def run(
        self, *args: str, input: str = "", extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run peerlog as a real process."""
        return subprocess.run(
            [*peerlog_argv(), *args],
            input=input,
            capture_output=True,
            text=True,
            env=clean_environ(**self.env, **(extra_env or {})),
            timeout=TIMEOUT,
            check=False,
        )


def all_files(root: Path) -> list[Path]:
    """Every file, link and special file under `root` (links not followed)."""
    found = []
    for current, dirs, files in os.walk(root, followlinks=False):
        here = Path(current)
        found += [here / name for name in files]
        found += [here / name for name in dirs if (here / name).is_symlink()]
    return sorted(found)
