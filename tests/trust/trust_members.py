"""Members of a space for the tests: each with their own home and cache, the CLI in-process."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from peerlog.cli.app import app

FIXED_NOW = datetime(2026, 11, 21, 10, 15, tzinfo=UTC)


class Member:
    """One person on one machine: their own home and cache, the CLI in-process."""

    def __init__(self, root: Path, name: str, member: str) -> None:
        self.home = root / f"home-{member}-{root.name}"
        self.cache = root / f"cache-{member}-{root.name}"
        self.env = {"PEERLOG_HOME": str(self.home), "PEERLOG_CACHE_DIR": str(self.cache)}
        self.runner = CliRunner()
        self.app = app
        self.now = FIXED_NOW
        self.member = member
        result = self("init", "--name", name, "--member", member)
        assert result.exit_code == 0, result.output
        self.device = tomllib.loads((self.home / "device.toml").read_text())["id"]

    def __call__(self, *args: str, input: str | None = None, now: Any = FIXED_NOW) -> Result:
        return self.runner.invoke(
            app, list(args), input=input, env=self.env, obj={"now": now}, catch_exceptions=False
        )

    def ok(self, *args: str, **kwargs: Any) -> Result:
        result = self(*args, **kwargs)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result

    def saved_id(self, *args: str) -> str:
        """Run a writing command and return the id it reports."""
        out = self.ok(*args).stdout
        return out.split("Saved ", 1)[1].split()[1].rstrip(".")

    def saved_goal(self, *args: str) -> str:
        """Propose a goal and return its id."""
        out = self.ok(*args).stdout
        return out.split("Proposed goal ", 1)[1].split(":")[0]


def fingerprint_of(viewer: Member, space: str, member: str, device: str | None = None) -> str:
    """The fingerprint `viewer`'s `space show` gives `member`'s key (read out on a call)."""
    keys = json.loads(viewer.ok("space", "show", space, "--json").stdout)["keys"]
    found = [k for k in keys if k["member"] == member and device in (None, k["device"])]
    assert len(found) == 1, found
    return str(found[0]["fingerprint"])


def admit(admitter: Member, member: Member, space: str = "pair") -> None:
    """`admitter` admits `member` after they compared fingerprints on both screens."""
    theirs = fingerprint_of(member, space, member.member, member.device)
    assert fingerprint_of(admitter, space, member.member, member.device) == theirs
    admitter.ok("space", "admit", member.member, "--space", space, "--fingerprint", theirs)
