"""peerlog on a real terminal (a pty): the guided check-in prompt, Ctrl-C in it, and the first
page of `list`."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest
from system_support import System, peerlog_command

pytestmark = pytest.mark.system
NOW = "2026-11-21T10:15:00+00:00"


class Terminal:
    """A peerlog process whose stdin, stdout and stderr are one pty, as in a real terminal."""

    def __init__(self, system: System, *args: str) -> None:
        self.master, slave = pty.openpty()
        env = system.env(PEERLOG_NOW=NOW, TERM="xterm", COLUMNS="80", LINES="24")
        self.process = subprocess.Popen(
            [*peerlog_command(), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.seen = b""

    def expect(self, text: str, timeout: float = 30) -> str:
        """Read until `text` appears (a deadline for a hung process, not a timed assertion)."""
        deadline = time.monotonic() + timeout
        while text.encode() not in self.seen:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"never saw {text!r} in {self.seen.decode(errors='replace')!r}"
                )
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.seen += chunk
        return self.seen.decode(errors="replace")

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def interrupt(self) -> None:
        """Ctrl-C. Sent again if the first one came before the prompt was read (Python sees a
        signal only once its input() is waiting; this is the test's race, not a user's)."""
        for _ in range(5):
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=3)
                return
            except subprocess.TimeoutExpired:
                continue

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        """Everything the process wrote until it ended, and its exit code (a hung process is
        killed and fails the test)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if not ready:
                if self.process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.seen += chunk
        try:
            code = self.process.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise AssertionError(
                f"peerlog did not end: {self.seen.decode(errors='replace')!r}"
            ) from None
        os.close(self.master)
        return code, self.seen.decode(errors="replace").replace("\r\n", "\n")


@pytest.fixture
def system(tmp_path: Path) -> System:
    made = System(tmp_path)
    result = made.run("init", "--name", "Sam", env=made.env(PEERLOG_NOW=NOW))
    assert result.returncode == 0, result.stderr
    return made


def test_guided_checkin_takes_the_mood_word(system: System) -> None:
    term = Terminal(system, "checkin")
    term.expect("How are you feeling today?")
    term.send("Good\n")
    for question in ("What went well?", "What is hard right now?"):
        term.expect(question)
        term.send("\n")
    for question in ("What do you need?", "What can you offer others?", "Anything else?"):
        term.expect(question)
        term.send("\n")

    code, out = term.finish()

    assert code == 0, out
    assert "Saved check-in" in out
    assert "Please answer" not in out
    listed = system.run("checkins", "--json", env=system.env(PEERLOG_NOW=NOW))
    assert '"mood": 4' in listed.stdout


def test_ctrl_c_in_the_checkin_ends_on_a_fresh_line(system: System) -> None:
    term = Terminal(system, "checkin")
    term.expect("How are you feeling today?")
    term.send("3\n")
    term.expect("moves on)\r\n : ")  # waiting at the prompt
    term.interrupt()

    code, out = term.finish()

    assert code == 1, out
    cancelled = "peerlog: Check-in cancelled; nothing was saved."
    assert f"\n{cancelled}" in out  # on its own line, not after the question
    assert "Traceback" not in out
    listed = system.run("checkins", "--json", env=system.env(PEERLOG_NOW=NOW))
    assert listed.stdout.strip() == "[]"


def test_list_on_a_terminal_shows_one_page_and_the_way_to_the_rest(tmp_path: Path) -> None:
    system = System(tmp_path)
    system.fill_journal(30)

    code, out = Terminal(system, "list").finish()

    assert code == 0, out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 41  # 20 entries of two lines, and the hint
    assert "Showing the newest 20 of 30 entries; add -n 30 to see them all." in lines[-1]
