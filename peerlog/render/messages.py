"""Plain one-line messages: errors, warnings and confirmations. Rich-free (the write path).

Everything printed here passes through the sanitiser, because messages can quote user input and
file names from a partner's folder.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from peerlog.render.sanitize import clean_terminal_text


def _emit(text: str, out: TextIO | None = None) -> None:
    out = sys.stderr if out is None else out
    out.write(clean_terminal_text(text) + "\n")
    out.flush()


def error(message: str, hint: str | None = None) -> None:
    _emit(f"peerlog: {message}")
    if hint:
        _emit(f"  {hint}")


def warning(message: str) -> None:
    _emit(f"peerlog: warning: {message}")


def info(message: str) -> None:
    """A confirmation for the user, on stdout."""
    _emit(message, sys.stdout)


_WARNED: set[str] = set()  # skipped-file warnings given during this command


def new_command() -> None:
    """Forget the warnings given so far (tests run many commands in one process)."""
    _WARNED.clear()


def skipped(root: Path, path: str, reason: str) -> None:
    """The one warning for a file that had to be skipped: where it is, and why (once a
    command, however many of its reads met it)."""
    # path "." is the whole folder (a space on a drive that is not mounted)
    text = f"skipped {root if path == '.' else root / path}: {reason}."
    if text not in _WARNED:
        _WARNED.add(text)
        warning(text)


def skipped_files(problems: Iterable[tuple[Any, Any]]) -> None:
    """Warn once about each (session, problem) pair a read collected."""
    for session, problem in problems:
        skipped(session.store.root, problem.path, problem.reason)
