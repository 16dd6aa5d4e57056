"""What a command needs from the outside world, injected so tests are deterministic.

Built once per run by the root callback; tests pass overrides through `CliRunner.invoke(obj=…)`
(a dict of field values), e.g. `{"stdin_isatty": True}` to exercise the editor path.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import typer

from peerlog.classes import dataclass
from peerlog.errors import UsageError

if TYPE_CHECKING:
    from peerlog.store import Home


@dataclass(slots=True)
class Env:
    """The environment of one command run."""

    environ: Mapping[str, str]
    stdin: BinaryIO
    stdin_isatty: bool
    fixed_now: datetime | None = None
    debug: bool = False
    _home: Home | None = field(default=None, repr=False)
    _typed: str | None = field(default=None, repr=False)  # asked once a run, never kept

    @classmethod
    def from_process(cls, **overrides: Any) -> Env:
        environ = overrides.pop("environ", os.environ)
        fixed = overrides.pop("now", None) or _now_from(environ)
        stdin = sys.stdin
        values: dict[str, Any] = {
            "environ": environ,
            "stdin": getattr(stdin, "buffer", stdin),
            "stdin_isatty": bool(stdin and stdin.isatty()),
            "fixed_now": fixed,
            "debug": bool(environ.get("PEERLOG_DEBUG")),
        }
        return cls(**(values | overrides))

    def now(self) -> datetime:
        """The current local time (PEERLOG_NOW pins it, for demos and tests)."""
        return self.fixed_now or datetime.now().astimezone()

    @property
    def home(self) -> Home:
        if self._home is None:
            from peerlog.store import resolve_home  # not paid by --version and --help

            home = resolve_home(self.environ, self.fixed_now)
            self._home = replace(home, passphrase=self.passphrase)
        return self._home

    def passphrase(self) -> str:
        """The journal's passphrase: PEERLOG_PASSPHRASE, else asked on the terminal (no
        echo); a UsageError when there is neither."""
        given = self.environ.get("PEERLOG_PASSPHRASE") or _from_keyring(self.home.root)
        if given:
            return given
        if not self.stdin_isatty:
            raise UsageError(
                "Your private journal is encrypted, and no passphrase was given.",
                hint="Set PEERLOG_PASSPHRASE, or run the command on a terminal to be asked.",
            )
        if self._typed is not None:
            return self._typed
        import getpass

        try:
            self._typed = getpass.getpass("Passphrase of your private journal: ")
        except EOFError:
            raise UsageError("No passphrase was given.") from None
        return self._typed

    def new_passphrase(self) -> str:
        """A passphrase for a new journal key: PEERLOG_PASSPHRASE, else asked twice."""
        if self.environ.get("PEERLOG_PASSPHRASE") or not self.stdin_isatty:
            return self.passphrase()
        import getpass

        try:
            first = getpass.getpass("Choose a passphrase for your private journal: ")
            if getpass.getpass("Type it again: ") != first:
                raise UsageError("The two passphrases differ; nothing was encrypted.")
        except EOFError:
            raise UsageError("No passphrase was given.") from None
        self._typed = first
        return first

    def read_stdin(self) -> str:
        data = self.stdin.read()
        try:
            return data.decode("utf-8") if isinstance(data, bytes) else str(data)
        except UnicodeDecodeError:
            raise UsageError(
                "The text on standard input is not valid UTF-8.",
                hint="Convert it to UTF-8 (e.g. with iconv) and try again.",
            ) from None


KEYRING_SERVICE = "peerlog"


def _from_keyring(home: Path) -> str | None:
    """The passphrase kept in the system keyring for this home (`--keyring`), if the optional
    `keyring` package is installed and holds one; imported only for an encrypted journal."""
    try:
        import keyring  # type: ignore[import-not-found, unused-ignore]

        found = keyring.get_password(KEYRING_SERVICE, str(home))
    except Exception:  # not installed, no backend, a locked keyring: ask instead
        return None
    return found if isinstance(found, str) and found else None


def keep_in_keyring(home: Path, passphrase: str) -> None:
    """Keep the journal's passphrase in the system keyring, or say how to get it."""
    try:
        import keyring  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise UsageError(
            "--keyring needs the optional keyring package.",
            hint="Install it with `pip install 'peerlog[keyring]'`, or leave out --keyring.",
        ) from None
    try:
        keyring.set_password(KEYRING_SERVICE, str(home), passphrase)
    except Exception as exc:  # every backend raises its own
        raise UsageError(f"The system keyring did not keep the passphrase ({exc}).") from None


def _now_from(environ: Mapping[str, str]) -> datetime | None:
    pinned = environ.get("PEERLOG_NOW")
    if not pinned:
        return None
    try:
        moment = datetime.fromisoformat(pinned)
    except ValueError:
        raise UsageError(f"PEERLOG_NOW is not an ISO date-time: '{pinned}'.") from None
    return moment if moment.tzinfo else moment.astimezone()


def moment_of(text: str | None, now: datetime, *, ahead: bool = False) -> datetime | None:
    """The moment WHEN `text` names (None for none); `ahead` for deadlines and rests
    (`friday`: the coming one). The WHEN parser is imported only when used."""
    if text is None:
        return None
    from peerlog.when import moment

    return moment(text, now, ahead=ahead)


def get_env(ctx: typer.Context) -> Env:
    env = ctx.find_root().obj
    assert isinstance(env, Env), "the root callback sets the Env"
    return env
