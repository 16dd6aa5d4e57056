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
            from peerlog.store import resolve_home  # not paid by --version and --help

            self._home = resolve_home(self.environ, self.fixed_now)
        return self._home

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
