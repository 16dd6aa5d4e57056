"""Shared fixtures: every test gets its own home and cache, a fixed terminal and no colour.

Time is never mocked globally: commands get a pinned "now" through PEERLOG_NOW, and pure
functions get it as an argument.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from peerlog.cli.app import app

FIXED_NOW = datetime(2026, 11, 21, 10, 15, tzinfo=UTC)  # a Saturday

# Property tests never time out on a busy machine; in CI they draw the same examples every run.
settings.register_profile("peerlog", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("peerlog")

# Text that tries to take over a terminal: Rich markup, ANSI CSI/OSC, C1 controls, bidi, zero-width.
HOSTILE = (
    "[bold red]markup[/] [link=https://evil.example]click[/link] "
    "\x1b[2J\x1b[31mred\x1b[0m \x1b]0;pwned title\x07 "
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ "
    "\x9b31mC1\x9d \u202eevil\u202c \u2066iso\u2069 zero\u200bwidth\ufeff bell\x07 cr\rback"
    " \U000e0069\U000e0067tag \u00adsoft \u3164filler"
)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A private home and cache per test, UTC, 100 columns, no colour, no CI hints."""
    monkeypatch.setenv("PEERLOG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PEERLOG_CACHE_DIR", str(tmp_path / "cache"))
    for name in (
        "PEERLOG_NOW",
        "PEERLOG_DEBUG",
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "CI",
        "GITHUB_ACTIONS",
        "VISUAL",
        "EDITOR",
        "TERM",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "40")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    time.tzset()


@dataclass
class Peerlog:
    """Runs the CLI in-process like a user would, and knows where the files are."""

    home: Path
    cache: Path
    runner: CliRunner

    def __call__(
        self,
        *args: str,
        input: str | bytes | None = None,
        tty: bool = False,
        now: datetime | None = FIXED_NOW,
        env: dict[str, str] | None = None,
    ) -> Result:
        overrides: dict[str, object] = {}
        if tty:
            overrides["stdin_isatty"] = True
        if now is not None:
            overrides["now"] = now
        return self.runner.invoke(
            app, list(args), input=input, env=env, obj=overrides, catch_exceptions=False
        )

    def records(self) -> list[Path]:
        """Every record file in the private journal, sorted."""
        return sorted((self.home / "journal").rglob("*.md"))


@pytest.fixture
def peerlog(tmp_path: Path) -> Peerlog:
    """The CLI, not yet initialised."""
    return Peerlog(home=tmp_path / "home", cache=tmp_path / "cache", runner=CliRunner())


@pytest.fixture
def sam(peerlog: Peerlog) -> Peerlog:
    """The CLI after `peerlog init --name Sam`."""
    result = peerlog("init", "--name", "Sam")
    assert result.exit_code == 0, result.output
    return peerlog


def pytest_report_header() -> str:
    return f"peerlog tests: TZ={os.environ.get('TZ', '(unset)')}"
