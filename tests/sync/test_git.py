"""A space kept in step with real git: two clones of a bare repository, diverging every round.

Both members write entries and replies before they sync, so every pull is a real merge of two
histories. Because each device only ever adds new files in its own folder (DESIGN §2), every
merge must be clean: no conflicts, no markers, nothing left over.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from sync_support import (
    Member,
    admit,
    check_converged,
    check_reply_clocks,
    check_signed,
    clean_environ,
    snapshot,
    stray_files,
)

pytestmark = pytest.mark.system

SPACE = "pair"
ROUNDS = 10
MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ", "||||||| ")


@dataclass
class Clone:
    """One member's clone of the shared repository, with git run as a subprocess."""

    label: str
    path: Path
    env: dict[str, str]

    def git(self, *args: str, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            ["git", *args],
            cwd=self.path,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode in ok, (
            f"{self.label}: git {' '.join(args)} -> exit {proc.returncode}\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
        return proc

    def assert_clean(self, when: str) -> None:
        status = self.git("status", "--porcelain", "--untracked-files=all").stdout
        assert status == "", f"{self.label} not clean {when}:\n{status}"
        unmerged = self.git("ls-files", "-u").stdout
        assert unmerged == "", f"{self.label} has unmerged paths {when}:\n{unmerged}"
        marked = conflict_markers(self.path)
        assert not marked, f"{self.label} has conflict markers {when}: {marked}"

    def sync(self, message: str, *, first: bool = False) -> None:
        """add, commit, pull (merge), push; every step must succeed and leave nothing behind.

        `first`: the shared repository is still empty, so there is nothing to pull yet.
        """
        self.git("add", "-A")
        if self.git("status", "--porcelain").stdout:
            self.git("commit", "-q", "-m", message)
        if not first:
            self.pull()
        self.git("push", "-q", "origin", "HEAD:main")
        self.assert_clean(f"after syncing '{message}'")

    def pull(self) -> None:
        proc = self.git("pull", "--no-rebase", "--no-edit", "origin", "main", ok=(0, 1, 128))
        assert proc.returncode == 0, (
            f"{self.label}: git pull failed (exit {proc.returncode})\n{proc.stdout}\n{proc.stderr}"
        )
        assert "CONFLICT" not in proc.stdout + proc.stderr, proc.stdout
        self.assert_clean("after pull")


def conflict_markers(root: Path) -> list[str]:
    """Files (outside .git) with a line that starts like a merge conflict marker."""
    found = []
    for current, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            path = Path(current) / name
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            if any(line.startswith(MARKERS) for line in lines):
                found.append(str(path.relative_to(root)))
    return found


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Clone, Clone]:
    """A bare repository and two clones with local identities (no global or system config)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    empty_config = tmp_path / "gitconfig-empty"
    empty_config.write_text("")
    env = clean_environ(
        HOME=str(tmp_path / "git-home"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(empty_config),
        GIT_TERMINAL_PROMPT="0",
        GIT_EDITOR="true",
        GIT_MERGE_AUTOEDIT="no",
    )
    (tmp_path / "git-home").mkdir()
    bare = tmp_path / "shared.git"
    subprocess.run(
        ["git", "init", "-q", "--bare", "-b", "main", str(bare)],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    made = []
    for label, who in (("a", "Sam"), ("b", "Alex")):
        path = tmp_path / f"clone-{label}"
        subprocess.run(
            ["git", "clone", "-q", str(bare), str(path)],
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        clone = Clone(label, path, env)
        clone.git("config", "user.name", who)
        clone.git("config", "user.email", f"{who.lower()}@example.invalid")
        clone.git("config", "commit.gpgsign", "false")
        clone.git("config", "pull.rebase", "false")
        clone.git("checkout", "-q", "-B", "main")
        made.append(clone)
    return made[0], made[1]


def test_concurrent_writers_over_git(
    clones: tuple[Clone, Clone], sam_and_alex: tuple[Member, Member]
) -> None:
    a, b = clones
    sam, alex = sam_and_alex

    sam.run("space", "create", str(a.path), "--name", SPACE)
    assert (a.path / ".gitignore").is_file(), "space create should add a .gitignore"
    a.sync("Sam creates the space", first=True)
    b.pull()
    alex.run("space", "join", str(b.path))
    b.sync("Alex joins")
    a.pull()
    admit(sam, alex, SPACE)  # they compare fingerprints and admit each other: secured
    a.sync("Sam admits Alex")
    b.pull()
    admit(alex, sam, SPACE)
    b.sync("Alex admits Sam")
    a.pull()

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    for n in range(ROUNDS):
        # Both write before either syncs: the two histories diverge every round.
        for me in (sam, alex):
            for k in range(rng.randint(1, 3)):
                me.write(SPACE, f"{me.member} entry {n}.{k}: how the week went.")
            theirs = [e["id"] for e in me.entries(SPACE) if e["author"] != me.member]
            if theirs:
                me.reply(rng.choice(theirs), f"{me.member} replies in round {n}.")
            mine = [e["id"] for e in me.entries(SPACE) if e["author"] == me.member]
            me.reply(rng.choice(mine), f"{me.member} adds to their own entry in round {n}.")
        a.sync(f"Sam, round {n}")
        b.sync(f"Alex, round {n}")
    a.pull()

    heads = {c.label: c.git("rev-parse", "HEAD").stdout.strip() for c in (a, b)}
    assert heads["a"] == heads["b"], f"clones ended on different commits: {heads}"
    merges = a.git("rev-list", "--merges", "--count", "HEAD").stdout.strip()
    assert int(merges) >= ROUNDS - 1, f"expected a merge most rounds, got {merges} (seed {seed})"
    assert alex.saved_replies
    assert sam.saved_replies

    views = [snapshot(m.entries(SPACE)) for m in (sam, alex)]
    view = check_converged([sam, alex], views)
    assert set(view) == set(sam.saved_entries) | set(alex.saved_entries)
    for clone in (a, b):
        assert stray_files(clone.path) == [], (
            f"conflict copies or temp files in clone {clone.label}"
        )
        tracked = clone.git("ls-files").stdout.splitlines()
        assert not [t for t in tracked if ".~peerlog-" in t], "a temp file was committed"
        assert check_reply_clocks(clone.path) == len(sam.saved_replies) + len(alex.saved_replies)
    for clone in (a, b):
        assert check_signed(clone.path) > ROUNDS
    for member in (sam, alex):
        shown = json.loads(member.run("space", "show", SPACE, "--json").stdout)
        assert shown["secured"] and sorted(shown["admitted"]) == ["alex", "sam"]
        code, report = member.doctor(SPACE)
        assert code == 0, f"{member.member}: doctor found {report['findings']}"
        assert report["findings"] == []
