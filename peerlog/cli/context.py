"""What a command needs from the outside world, injected so tests are deterministic.

Built once per run by the root callback; tests pass overrides through `CliRunner.invoke(obj=…)`
(a dict of field values), e.g. `{"stdin_isatty": True}` to exercise the editor path.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import field
from datetime import datetime
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
        values.update(overrides)
        return cls(**values)

    def now(self) -> datetime:
        """The current local time (PEERLOG_NOW pins it, for demos and tests)."""
        return self.fixed_now or datetime.now().astimezone()

    @property
    def home(self) -> Home:
        if self._home is None:
            from dataclasses import replace

            from peerlog.store import resolve_home  # not paid by --version and --help

            home = resolve_home(self.environ, self.fixed_now)
            self._home = replace(home, passphrase=self.passphrase)
        return self._home

    def passphrase(self, prompt: str = "Passphrase of your private journal: ") -> str:
        """The journal's passphrase: PEERLOG_PASSPHRASE, else asked on the terminal (no
        echo); a UsageError when there is neither."""
        given = self.environ.get("PEERLOG_PASSPHRASE")
        if given:
            return given
        if not self.stdin_isatty:
            raise UsageError(
                "Your private journal is encrypted, and no passphrase was given.",
                hint="Set PEERLOG_PASSPHRASE, or run the command on a terminal to be asked.",
            )
        import getpass

        try:
            return getpass.getpass(prompt)
        except EOFError:
            raise UsageError("No passphrase was given.") from None

    def new_passphrase(self) -> str:
        """A passphrase for a new journal key: PEERLOG_PASSPHRASE, else asked twice."""
        if self.environ.get("PEERLOG_PASSPHRASE") or not self.stdin_isatty:
            return self.passphrase()
        first = self.passphrase("Choose a passphrase for your private journal: ")
        if self.passphrase("Type it again: ") != first:
            raise UsageError("The two passphrases differ; nothing was encrypted.")
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


def _now_from(environ: Mapping[str, str]) -> datetime | None:
    pinned = environ.get("PEERLOG_NOW")
    if not pinned:
        return None
    try:
        moment = datetime.fromisoformat(pinned)
    except ValueError:
        raise UsageError(f"PEERLOG_NOW is not an ISO date-time: '{pinned}'.") from None
    return moment if moment.tzinfo else moment.astimezone()


def get_env(ctx: typer.Context) -> Env:
    env = ctx.find_root().obj
    assert isinstance(env, Env), "the root callback sets the Env"
    return env
