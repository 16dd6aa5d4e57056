"""Every error a user can meet, each carrying its exit code.

Owns the exit-code table (documented in docs/exit-codes.md) and the exception types that the one
handler in `peerlog.cli.app` turns into a sentence on stderr. Must never print or exit by itself.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes. Stable: scripts rely on them."""

    OK = 0
    NOTHING_DONE = 1  # nothing was saved: empty text, unchanged edit, a "no" at a prompt
    USAGE = 2  # a bad option or value (also Typer's own usage errors)
    NOT_INITIALISED = 3  # no home yet: run `peerlog init`
    NOT_FOUND = 4  # no record or space matches
    AMBIGUOUS = 5  # an id prefix matches more than one record
    REFUSED = 6  # not allowed: another member's record, a home that already exists
    STORAGE = 7  # files could not be read or written
    ATTENTION = 8  # `doctor` found something that needs attention
    INTERNAL = 70  # a bug in peerlog; rerun with --debug for the traceback


class PeerlogError(Exception):
    """A failure with a sentence for the user and an exit code.

    `message` says what went wrong; `hint`, when given, says what to do about it.
    """

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NothingDone(PeerlogError):
    exit_code = ExitCode.NOTHING_DONE


class UsageError(PeerlogError):
    exit_code = ExitCode.USAGE


class NotInitialised(PeerlogError):
    exit_code = ExitCode.NOT_INITIALISED


class NotFound(PeerlogError):
    exit_code = ExitCode.NOT_FOUND


class Ambiguous(PeerlogError):
    exit_code = ExitCode.AMBIGUOUS


class Refused(PeerlogError):
    exit_code = ExitCode.REFUSED


class StorageError(PeerlogError):
    exit_code = ExitCode.STORAGE


class WhenError(UsageError):
    """A WHEN expression (`--date`, `--since`, `--until`) could not be understood."""
