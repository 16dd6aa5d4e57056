"""Helpers for the sync tests: peerlog run as real subprocesses, one home per member.

Imported by name (`from sync_support import …`) like tests/cli/cli_support.py; a second module
called `conftest` would be ambiguous next to tests/conftest.py.

These tests keep a space in step with a real sync engine (Syncthing, git) and check what
DESIGN §2 promises: concurrent writers never collide, nothing is lost, no conflict copies.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

SAVED_ENTRY = re.compile(r"^Saved entry ([0-9a-z]{26})\b", re.MULTILINE)
SAVED_REPLY = re.compile(r"^Saved reply ([0-9a-z]{26})\b", re.MULTILINE)
CONFLICT_MARK = ".sync-conflict-"
TEMP_MARK = ".~peerlog-"
COMMAND_TIMEOUT = 60.0


def clean_environ(**extra: str) -> dict[str, str]:
    """The test process's environment without anything that would steer peerlog or git."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PEERLOG_", "GIT_", "STTRACE", "XDG_"))
        and k not in {"EDITOR", "VISUAL", "FORCE_COLOR", "CLICOLOR_FORCE", "TERM"}
    }
    env.update({"TZ": "UTC", "NO_COLOR": "1", "COLUMNS": "100", "LANG": "C.UTF-8"})
    env.update(extra)
    return env


@dataclass
class Member:
    """One person on one device: their own peerlog home and cache, driven as a subprocess."""

    name: str
    member: str
    root: Path
    saved_entries: list[str] = field(default_factory=list)
    saved_replies: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def env(self) -> dict[str, str]:
        return clean_environ(
            PEERLOG_HOME=str(self.home),
            PEERLOG_CACHE_DIR=str(self.cache),
            HOME=str(self.root / "user"),
        )

    def run(self, *args: str, ok: Iterable[int] = (0,)) -> subprocess.CompletedProcess[str]:
        """Run `peerlog ARGS…`; the exit code must be in `ok` and stderr free of tracebacks."""
        proc = subprocess.run(
            [sys.executable, "-m", "peerlog", *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
        described = (
            f"{self.member}: peerlog {' '.join(args)} -> exit {proc.returncode}\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
        assert "Traceback" not in proc.stderr, described
        assert "Traceback" not in proc.stdout, described
        assert proc.returncode in tuple(ok), described
        return proc

    def init(self) -> None:
        (self.root / "user").mkdir(parents=True, exist_ok=True)
        self.run("init", "--name", self.name, "--member", self.member)

    def write(self, space: str, text: str) -> str:
        out = self.run("write", "--space", space, text).stdout
        found = SAVED_ENTRY.search(out)
        assert found, f"{self.member}: no 'Saved entry <id>' in {out!r}"
        with self._lock:
            self.saved_entries.append(found.group(1))
        return found.group(1)

    def reply(self, entry_id: str, text: str) -> str:
        out = self.run("reply", entry_id, text).stdout
        found = SAVED_REPLY.search(out)
        assert found, f"{self.member}: no 'Saved reply <id>' in {out!r}"
        with self._lock:
            self.saved_replies.append(found.group(1))
        return found.group(1)

    def entries(self, space: str) -> list[dict[str, Any]]:
        data = json.loads(self.run("list", "--space", space, "--json").stdout)
        assert isinstance(data, list)
        return data

    def doctor(self, space: str) -> tuple[int, dict[str, Any]]:
        proc = self.run("doctor", "--space", space, "--json", ok=(0, 8))
        return proc.returncode, json.loads(proc.stdout)


def snapshot(entries: list[dict[str, Any]]) -> dict[str, frozenset[str]]:
    """Entry id -> the ids of its replies: what two members must agree on."""
    return {e["id"]: frozenset(r["id"] for r in e["replies"]) for e in entries}


def all_ids(view: dict[str, frozenset[str]]) -> set[str]:
    return set(view) | {r for replies in view.values() for r in replies}


def free_ports(count: int) -> list[int]:
    """`count` distinct free TCP ports on 127.0.0.1 (all held open until every one is chosen)."""
    with ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind(("127.0.0.1", 0))
            ports.append(sock.getsockname()[1])
        return ports


def wait_until(
    predicate: Callable[[], Any],
    timeout: float,
    what: str,
    interval: float = 1.0,
    details: Callable[[], str] | None = None,
) -> Any:
    """Poll `predicate` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            extra = f"\n{details()}" if details is not None else ""
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}{extra}")
        time.sleep(interval)


def stray_files(root: Path) -> list[str]:
    """Conflict copies and peerlog temp files anywhere under `root` (except .git)."""
    found = []
    for current, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in [*dirs, *files]:
            if CONFLICT_MARK in name or name.startswith(TEMP_MARK):
                found.append(os.path.relpath(os.path.join(current, name), root))
    return sorted(found)


def check_converged(
    members: list[Member], views: list[dict[str, frozenset[str]]]
) -> dict[str, frozenset[str]]:
    """Both members see the same entries and replies, including every write that succeeded."""
    first = views[0]
    for member, view in zip(members, views, strict=True):
        assert set(view) == set(first), f"{member.member} sees other entries"
        for entry_id, replies in first.items():
            assert view[entry_id] == replies, f"{member.member}: replies of {entry_id} differ"
    seen = all_ids(first)
    for member in members:
        lost = (set(member.saved_entries) | set(member.saved_replies)) - seen
        assert not lost, f"{member.member}'s saved records are missing: {sorted(lost)}"
    return first


def read_front_matter(root: Path) -> dict[str, dict[str, Any]]:
    """Record id -> its TOML front matter, for every record file under `root/members`."""
    found = {}
    for path in (root / "members").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("+++\n"), path
        front = tomllib.loads(text[4:].split("\n+++\n", 1)[0])
        found[front["id"]] = front
    return found


def check_reply_clocks(root: Path) -> int:
    """Every reply was written after its writer saw the entry, so its Lamport clock is higher
    (DESIGN §2.6: one more than the highest seen). Returns how many replies were checked."""
    records = read_front_matter(root)
    replies = [r for r in records.values() if r["type"] == "reply"]
    for reply in replies:
        target = records.get(reply["target"])
        assert target is not None, f"reply {reply['id']} points to a missing record"
        assert reply["clock"] > target["clock"], (
            f"reply {reply['id']} (clock {reply['clock']}) is not after the entry it answers, "
            f"{target['id']} (clock {target['clock']})"
        )
    return len(replies)


def fingerprint(viewer: Member, space: str, member: str) -> str:
    """The fingerprint `viewer`'s `space show` gives `member`'s one key."""
    shown = json.loads(viewer.run("space", "show", space, "--json").stdout)
    [key] = [k for k in shown["keys"] if k["member"] == member]
    return str(key["fingerprint"])


def admit(admitter: Member, member: Member, space: str) -> None:
    """`admitter` admits `member`, the fingerprints on both screens compared first."""
    theirs = fingerprint(member, space, member.member)
    assert fingerprint(admitter, space, member.member) == theirs
    admitter.run("space", "admit", member.member, "--space", space, "--fingerprint", theirs)


def check_signed(root: Path) -> int:
    """Every record file under `root` carries a key and ends its front matter with its
    signature; how many there are."""
    count = 0
    for path in (root / "members").rglob("*.md"):
        front = path.read_text(encoding="utf-8").split("+++\n")[1]
        assert "\nkey = " in front, path
        assert front.splitlines()[-1].startswith('signature = "'), path
        count += 1
    return count


def write_at_once(
    members: tuple[Member, Member],
    space: str,
    rounds: int,
    text: Callable[[Member, int, str], str],
) -> int:
    """Both members write `rounds` entries at the same time, each in its own thread, and every
    other round reply to one of the other's entries that has arrived; `text(member, round,
    "entry" or "reply")` says what. The seed used."""
    import random

    errors: list[BaseException] = []

    def work(me: Member, seed: int) -> None:
        rng = random.Random(seed)
        try:
            for n in range(rounds):
                me.write(space, text(me, n, "entry"))
                if n % 2 == 1:
                    theirs = [e["id"] for e in me.entries(space) if e["author"] != me.member]
                    if theirs:
                        me.reply(rng.choice(theirs), text(me, n, "reply"))
                time.sleep(rng.uniform(0.0, 0.3))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    seed = random.randrange(1 << 30)
    workers = [
        threading.Thread(target=work, args=(member, seed + n), name=member.member)
        for n, member in enumerate(members)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
        assert not worker.is_alive(), f"worker {worker.name} hung"
    if errors:
        raise errors[0]
    return seed
