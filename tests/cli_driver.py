"""The one CLI driver of the tests: peerlog run in-process as a user would run it, on one
machine (its own home and cache), with a pinned "now", and the few checks every folder makes of
what a command printed.

A plain module (not a conftest) with a name of its own, importable from every test folder:
`tests/` is on the path once the root conftest is loaded (as for disk_time.py). Folders add
only what is theirs (record builders, their fixtures) in their own `*_support.py`.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import EllipsisType
from typing import Any

from typer.testing import CliRunner, Result

from peerlog.cli.app import app
from peerlog.errors import ExitCode

FIXED_NOW = datetime(2026, 11, 21, 10, 15, tzinfo=UTC)  # a Saturday

# Text that tries to take over a terminal: Rich markup, ANSI CSI/OSC, C1 controls, bidi, zero-width.
HOSTILE = (
    "[bold red]markup[/] [link=https://evil.example]click[/link] "
    "\x1b[2J\x1b[31mred\x1b[0m \x1b]0;pwned title\x07 "
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ "
    "\x9b31mC1\x9d \u202eevil\u202c \u2066iso\u2069 zero\u200bwidth\ufeff bell\x07 cr\rback"
    " \U000e0069\U000e0067tag \u00adsoft \u3164filler"
)

ID = r"[0-7][0-9a-hjkmnp-tv-z]{25}"

# Characters that must never reach a terminal from untrusted text (DESIGN §6).
_UNSAFE = re.compile(
    "[\x1b\r\x07\x80-\x9f\u00ad\u115f\u1160\u202a-\u202e\u2066-\u2069\u3164\uffa0"
    "\U000e0000-\U000e007f]"
)


@dataclass
class Peerlog:
    """One machine: its home and cache (passed to every command as PEERLOG_HOME and
    PEERLOG_CACHE_DIR), the CLI in-process. Commands run at `now` unless told otherwise
    (`now=None`: the real clock)."""

    home: Path
    cache: Path
    runner: CliRunner = field(default_factory=CliRunner)
    now: datetime | None = FIXED_NOW
    member: str = ""
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.env = {
            "PEERLOG_HOME": str(self.home),
            "PEERLOG_CACHE_DIR": str(self.cache),
            **self.env,
        }

    def __call__(
        self,
        *args: str,
        input: str | bytes | None = None,
        tty: bool = False,
        now: datetime | EllipsisType | None = ...,
        env: dict[str, str] | None = None,
    ) -> Result:
        """Run `peerlog ARGS…`; `tty`: as if standard input were a terminal."""
        overrides: dict[str, object] = {}
        if tty:
            overrides["stdin_isatty"] = True
        moment = self.now if isinstance(now, EllipsisType) else now
        if moment is not None:
            overrides["now"] = moment
        return self.runner.invoke(
            app,
            list(args),
            input=input,
            env={**self.env, **(env or {})},
            obj=overrides,
            catch_exceptions=False,
        )

    def ok(self, *args: str, **kwargs: Any) -> Result:
        """Run a command that must succeed: exit 0, no traceback."""
        return succeeded(self(*args, **kwargs), args)

    def fails(self, code: int, *args: str, **kwargs: Any) -> Result:
        """Run a command that must be refused with `code`: a sentence on stderr, no traceback."""
        result = self(*args, **kwargs)
        assert result.exit_code == code, (args, result.exit_code, result.stdout, result.stderr)
        assert "Traceback" not in result.output
        assert result.stderr.strip(), "a refusal says why on stderr"
        return result

    def json(self, *args: str, **kwargs: Any) -> Any:
        """`peerlog ARGS… --json`, parsed."""
        return json.loads(self.ok(*args, "--json", **kwargs).stdout)

    def saved_id(self, *args: str, **kwargs: Any) -> str:
        """Run a writing command and return the id its "Saved <kind> <id>" line reports."""
        out = self.ok(*args, **kwargs).stdout
        match = re.search(rf"Saved [a-z-]+ ({ID})\b", out)
        assert match, out
        return match.group(1)

    def saved_goal(self, *args: str, **kwargs: Any) -> str:
        """Propose a goal and return its id."""
        out = self.ok(*args, **kwargs).stdout
        match = re.search(rf"Proposed goal ({ID})", out)
        assert match, out
        return match.group(1)

    @property
    def device(self) -> str:
        """This machine's device id, from device.toml."""
        with open(self.home / "device.toml", "rb") as handle:
            device = tomllib.load(handle)["id"]
        assert isinstance(device, str)
        return device

    def records(self) -> list[Path]:
        """Every record file in the private journal, sorted."""
        return sorted((self.home / "journal").rglob("*.md"))


class Person(Peerlog):
    """Someone on a machine of their own (a folder holding its home and cache), after
    `peerlog init --name NAME --member MEMBER`; with no name, not set up yet."""

    def __init__(self, machine: Path, name: str, member: str, *, now: datetime = FIXED_NOW) -> None:
        machine.mkdir(parents=True, exist_ok=True)
        super().__init__(machine / "home", machine / "cache", now=now, member=member)
        if name:
            self.ok("init", "--name", name, "--member", member)


def succeeded(result: Result, args: tuple[str, ...] = ()) -> Result:
    assert result.exit_code == 0, (args, result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.output
    return result


def entries(peerlog: Peerlog, *args: str, command: str = "list", **kwargs: Any) -> list[Any]:
    """`peerlog list --json …` (or another listing command), parsed."""
    data = peerlog.json(command, *args, **kwargs)
    assert isinstance(data, list)
    return data


def assert_clean_error(result: Result, code: ExitCode | int, *needles: str) -> None:
    """A failed command: the exit code, a `peerlog:` sentence on stderr, no traceback."""
    assert result.exit_code == int(code), (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("peerlog: "), result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream
        assert 'File "' not in stream
    assert isinstance(result.exception, SystemExit) or result.exception is None


def fingerprint_of(viewer: Peerlog, space: str, member: str, device: str | None = None) -> str:
    """The fingerprint `viewer`'s `space show` gives `member`'s key (read out on a call)."""
    keys = viewer.json("space", "show", space)["keys"]
    found = [k for k in keys if k["member"] == member and device in (None, k["device"])]
    assert len(found) == 1, found
    return str(found[0]["fingerprint"])


def admit(admitter: Peerlog, member: Peerlog, space: str = "pair") -> None:
    """`admitter` admits `member` after they compared fingerprints on both screens."""
    theirs = fingerprint_of(member, space, member.member, member.device)
    assert fingerprint_of(admitter, space, member.member, member.device) == theirs
    admitter.ok("space", "admit", member.member, "--space", space, "--fingerprint", theirs)


def assert_terminal_safe(text: str) -> None:
    """No ESC, BEL, CR, C1 control or bidi override/isolate in `text`."""
    found = _UNSAFE.findall(text)
    assert not found, f"unsafe characters reached the terminal: {found!r}"
