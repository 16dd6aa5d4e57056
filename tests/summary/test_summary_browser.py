"""The HTML report in a real headless Chromium: it loads, renders, runs no script, and shows
hostile partner text as text. Chromium is installed by .ci/run (Debian packages chromium and
chromium-driver); where it is missing locally the test skips and says why."""

from __future__ import annotations

import shutil
import struct
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peerlog.cli.app import app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NOW = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)
HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)> \x1b[31m [bold]x[/]'
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]

pytestmark = [
    pytest.mark.system,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)"),
]


def _peer(tmp: Path, name: str) -> tuple[CliRunner, dict[str, str]]:
    env = {"PEERLOG_HOME": str(tmp / name / "home"), "PEERLOG_CACHE_DIR": str(tmp / name / "c")}
    runner = CliRunner()
    result = runner.invoke(app, ["init", "--name", name.title()], env=env, obj={"now": NOW})
    assert result.exit_code == 0, result.output
    return runner, env


def _run(peer: tuple[CliRunner, dict[str, str]], *args: str) -> None:
    runner, env = peer
    result = runner.invoke(app, list(args), env=env, obj={"now": NOW}, catch_exceptions=False)
    assert result.exit_code == 0, (result.stdout, result.stderr)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


@pytest.fixture
def report(tmp_path: Path) -> Path:
    sam, alex = _peer(tmp_path, "sam"), _peer(tmp_path, "alex")
    shared = tmp_path / "shared"
    _run(sam, "space", "create", str(shared), "--name", "pair")
    _run(alex, "space", "join", str(shared))
    _run(alex, "write", "--space", "pair", "--mood", "2", HOSTILE)
    _run(sam, "write", "--space", "pair", "--mood", "4", "A calm evening walk #outside")
    _run(sam, "goal", "propose", "Walk together", "--target", "3/week", "--space", "pair")
    out = tmp_path / "report.html"
    _run(sam, "export", "--format", "html", "--space", "pair", "--out", str(out))
    return out


def test_report_renders_in_chromium_without_script_errors(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = _chromium(tmp_path, "--window-size=1000,1600", f"--screenshot={shot}", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1000, 1600)
    assert len(data) > 20_000  # a rendered page, not a blank one
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == [], console  # no script ran, so nothing could fail or be blocked


def test_hostile_text_is_text_in_the_dom(report: Path, tmp_path: Path) -> None:
    done = _chromium(tmp_path, "--dump-dom", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "<script" not in dom.lower()
    assert "<img" not in dom.lower()
    assert '&lt;script&gt;alert("pwned")&lt;/script&gt;' in dom
    assert "[bold]x[/]" in dom
    assert "\x1b" not in dom
    assert "A calm evening walk #outside" in dom
    for section in ("Goals", "Activity", "Mood", "Balance", "Entries"):
        assert f"<h2>{section}</h2>" in dom
