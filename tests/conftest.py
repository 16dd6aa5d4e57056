"""Shared fixtures: every test gets its own home and cache, a fixed terminal and no colour.

Time is never mocked globally: commands get a pinned "now" from the CLI driver
(`cli_driver.py`), and pure functions get it as an argument.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from cli_driver import Peerlog, Person

# Property tests never time out on a busy machine; in CI they draw the same examples every run.
settings.register_profile("peerlog", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("peerlog")


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


@pytest.fixture
def peerlog(tmp_path: Path) -> Peerlog:
    """The CLI, not yet initialised."""
    return Peerlog(home=tmp_path / "home", cache=tmp_path / "cache")


@pytest.fixture
def sam(peerlog: Peerlog) -> Peerlog:
    """The CLI after `peerlog init --name Sam`."""
    result = peerlog("init", "--name", "Sam")
    assert result.exit_code == 0, result.output
    return peerlog


@pytest.fixture
def make_member(tmp_path: Path) -> Callable[[str, str], Peerlog]:
    """Someone on a machine of their own (a new folder each), set up with a name and id."""
    counter = iter(range(100))

    def make(name: str, member: str) -> Peerlog:
        return Person(tmp_path / f"machine{next(counter)}", name, member)

    return make


def pytest_report_header() -> str:
    return f"peerlog tests: TZ={os.environ.get('TZ', '(unset)')}"
