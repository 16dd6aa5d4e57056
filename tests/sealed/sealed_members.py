"""Members of a sealed space for the tests: each with their own home and cache, the CLI
in-process, and a way to look for a word in every file they keep."""

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

    def __init__(self, root: Path, name: str, member: str, env: dict[str, str] | None = None):
        self.home = root / f"home-{member}"
        self.cache = root / f"cache-{member}"
        self.env = {"PEERLOG_HOME": str(self.home), "PEERLOG_CACHE_DIR": str(self.cache)}
        self.env.update(env or {})
        self.runner = CliRunner()
        self.member = member
        self.ok("init", "--name", name, "--member", member)
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

    def texts(self, space: str) -> list[str]:
        """The texts of the entries `list --space` shows."""
        rows = json.loads(self.ok("list", "--space", space, "-n", "100", "--json").stdout)
        return [row["text"] for row in rows]


def fingerprint_of(viewer: Member, space: str, member: str, device: str | None = None) -> str:
    keys = json.loads(viewer.ok("space", "show", space, "--json").stdout)["keys"]
    found = [k for k in keys if k["member"] == member and device in (None, k["device"])]
    assert len(found) == 1, found
    return str(found[0]["fingerprint"])


def admit(admitter: Member, member: Member, space: str = "pair") -> None:
    """`admitter` admits `member` after they compared fingerprints on both screens."""
    theirs = fingerprint_of(member, space, member.member, member.device)
    assert fingerprint_of(admitter, space, member.member, member.device) == theirs
    admitter.ok("space", "admit", member.member, "--space", space, "--fingerprint", theirs)


def files_holding(word: str, *folders: Path) -> list[Path]:
    """Every file under `folders` whose bytes hold `word` (what `grep -r` finds)."""
    needle = word.encode()
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink() and needle in path.read_bytes():
                found.append(path)
    return found
