"""Privacy: private writing never reaches a space, and everything private is private on disk.

A session mixes private and shared use (entries, edits, replies, check-ins, goals, resources,
exports) while the working directory is the space folder itself; afterwards not one byte of any
private marker is in any file of the space. Home and cache are 0700 folders and 0600 files, even
under a permissive umask, and the editor's temporary file is 0600 and gone afterwards.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hardening_support import Person, all_files

SPACE = "pair"


def marker(kind: str) -> str:
    return f"priv{kind}{uuid.uuid4().hex[:12]}"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: any private mode must come from peerlog, not from it."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Person, Person, Path]:
    sam, alex = Person(tmp_path, "sam", "Sam"), Person(tmp_path, "alex", "Alex")
    space = tmp_path / "shared"
    sam.ok("space", "create", str(space), "--name", SPACE)
    alex.ok("space", "join", str(space))
    return sam, alex, space


def space_bytes(space: Path) -> bytes:
    """Every byte of every file in the space, names included."""
    chunks = []
    for path in all_files(space):
        chunks.append(str(path.relative_to(space)).encode())
        if path.is_file() and not path.is_symlink():
            chunks.append(path.read_bytes())
    return b"\n".join(chunks)


def test_private_writing_never_reaches_the_space(
    pair: tuple[Person, Person, Path], monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    sam, alex, space = pair
    monkeypatch.chdir(space)  # anything written "here" by mistake would land in the space
    private = {k: marker(k) for k in ("entry", "tag", "edit", "reply", "note", "win", "struggle")}
    private |= {k: marker(k) for k in ("need", "offer", "goal", "why", "log", "resource", "url")}
    shared = {k: marker(k).replace("priv", "shared") for k in ("entry", "checkin", "goal")}

    alex_entry = alex.saved("write", "--space", SPACE, "alex's shared entry")
    entry = sam.saved("write", f"secret {private['entry']}", "--tag", private["tag"], "-m", "2")
    sam.saved("write", "--space", SPACE, f"shared {shared['entry']}", "--tag", "walk")
    sam.ok("edit", entry, input=f"edited {private['edit']}")
    sam.saved("reply", entry, f"note to self {private['reply']}")
    sam.saved("reply", alex_entry, "a shared reply")
    sam.saved(
        "checkin", "--mood", "2", "--win", private["win"], "--struggle", private["struggle"],
        "--need", private["need"], "--offer", private["offer"], "--note", private["note"],
    )  # fmt: skip
    sam.saved("checkin", "--space", SPACE, "--mood", "4", "--win", shared["checkin"])
    goal = sam.saved("goal", "propose", private["goal"], "--why", private["why"], "--target", "3")
    sam.ok("goal", "log", goal, "1", "--note", private["log"])
    sam.saved("goal", "propose", shared["goal"], "--space", SPACE)
    sam.saved("resource", "add", private["resource"], "--url", f"https://{private['url']}.x")
    sam.ok("resource", "add", "a shared book", "--space", SPACE)
    sam.ok("delete", entry, "--yes")
    for args in (
        ["list", "--all"],
        ["search", "--all", "secret"],
        ["tags", "--all"],
        ["checkins", "--all"],
        ["goal", "list"],
        ["resource", "list", "--all"],
        ["summary"],
        ["due"],
        ["export", "--format", "json", "--all"],
        ["export", "--format", "markdown", "--all"],
        ["export", "--format", "html", "--all"],
    ):
        sam.ok(*args)
    result = sam("doctor")
    assert result.exit_code in (0, 8), result.stderr

    everything = space_bytes(space)
    for kind, text in private.items():
        assert text.encode() not in everything, f"the private {kind} reached the space"
    for kind, text in shared.items():
        assert text.encode() in everything, f"the shared {kind} is missing: the scan is broken"
    seen_by_alex = alex.ok("list", "--all", "--json").stdout + alex.ok("goal", "list").stdout
    seen_by_alex += alex.ok("checkins", "--all", "--json").stdout
    for text in private.values():
        assert text not in seen_by_alex


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_home_and_cache_are_private_on_disk(
    pair: tuple[Person, Person, Path], tmp_path: Path, open_umask: None
) -> None:
    sam, _alex, _space = pair
    entry = sam.saved("write", "private words", "--tag", "sleep")
    sam.ok("edit", entry, input="other words")
    sam.ok("checkin", "--mood", "3", "--win", "a walk")
    goal = sam.saved("goal", "propose", "Sleep early", "--target", "3/week")
    sam.ok("goal", "log", goal, "1")
    sam.ok("list", "--all")
    sam.ok("summary")
    export = tmp_path / "exports" / "backup.json"
    sam.ok("export", "--format", "json", "--all", "--out", str(export))

    wrong = []
    for root in (sam.home, sam.cache):
        assert mode(root) == 0o700, (root, oct(mode(root)))
        for current, dirs, files in os.walk(root):
            for name in dirs:
                if mode(Path(current) / name) != 0o700:
                    wrong.append((Path(current) / name, oct(mode(Path(current) / name))))
            for name in files:
                if mode(Path(current) / name) != 0o600:
                    wrong.append((Path(current) / name, oct(mode(Path(current) / name))))
    assert wrong == []
    assert len(list((sam.home / "journal").rglob("*.md"))) >= 5
    assert mode(export) == 0o600


# --- the editor's temporary file --------------------------------------------------------------

EDITOR = """\
#!{python}
import json, os, sys
path = sys.argv[-1]
info = os.stat(path)
with open(os.environ["HARDENING_EDITOR_LOG"], "a") as log:
    log.write(json.dumps({{"path": path, "mode": info.st_mode & 0o7777,
                          "uid": info.st_uid, "nlink": info.st_nlink}}) + "\\n")
text = os.environ.get("HARDENING_EDITOR_TEXT")
if text is not None:
    with open(path, "w") as handle:
        handle.write(text)
sys.exit(int(os.environ.get("HARDENING_EDITOR_EXIT", "0")))
"""


@pytest.fixture
def editor(tmp_path: Path) -> tuple[Path, Path]:
    script = tmp_path / "fake-editor"
    script.write_text(textwrap.dedent(EDITOR.format(python=sys.executable)), encoding="utf-8")
    script.chmod(0o755)
    return script, tmp_path / "editor-log.jsonl"


def edits(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text("utf-8").splitlines()]


@pytest.mark.parametrize(
    ("outcome", "text", "status"),
    [("saved", "words from the editor", "0"), ("unchanged", None, "0"), ("failed", None, "1")],
)
def test_editor_temp_file_is_private_and_removed(
    pair: tuple[Person, Person, Path],
    editor: tuple[Path, Path],
    open_umask: None,
    outcome: str,
    text: str | None,
    status: str,
) -> None:
    sam, _alex, space = pair
    script, log = editor
    env = {"EDITOR": str(script), "HARDENING_EDITOR_LOG": str(log), "HARDENING_EDITOR_EXIT": status}
    if text is not None:
        env["HARDENING_EDITOR_TEXT"] = text
    result = sam("write", "--space", SPACE, tty=True, env=env)
    assert result.exit_code == (0 if outcome == "saved" else 1), result.stderr
    entry = sam.saved("write", "to be edited")
    again = sam("edit", entry, tty=True, env=env)
    assert again.exit_code == result.exit_code, again.stderr

    seen = edits(log)
    assert len(seen) == 2
    for call in seen:
        path = Path(str(call["path"]))
        assert call["mode"] == 0o600, oct(int(str(call["mode"])))
        assert call["uid"] == os.getuid() and call["nlink"] == 1
        assert not path.exists(), f"the editor's temp file {path} was left behind"
        assert space not in path.parents and sam.home not in path.parents


def test_editor_text_kept_after_a_failed_editor_is_still_private(
    pair: tuple[Person, Person, Path], editor: tuple[Path, Path], open_umask: None
) -> None:
    """When the editor fails after text was typed, the file is kept on purpose (so nothing is
    lost), and it says where; it stays 0600."""
    sam, _alex, _space = pair
    script, log = editor
    env = {
        "EDITOR": str(script),
        "HARDENING_EDITOR_LOG": str(log),
        "HARDENING_EDITOR_TEXT": "typed, then the editor crashed",
        "HARDENING_EDITOR_EXIT": "3",
    }
    result = sam("write", tty=True, env=env)
    assert result.exit_code == 1
    (call,) = edits(log)
    path = Path(str(call["path"]))
    try:
        assert str(path) in result.stderr.replace("\n", "")
        assert path.exists() and mode(path) == 0o600
    finally:
        path.unlink(missing_ok=True)
