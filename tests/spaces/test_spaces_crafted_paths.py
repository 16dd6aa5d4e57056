"""A peer crafts the shared folder's *shape*: links, blocked, deep, long and special paths.

Each test builds what a hostile (or broken) peer's machine could sync into the space, then
asserts what the victim sees, the exit code, what stays untouched on disk, and what `doctor`
reports. Nothing here may exit 70, print a traceback, hang, or write outside the space.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli_driver import FIXED_NOW, Peerlog
from peerlog.errors import ExitCode


def doctor(member: Peerlog, *args: str) -> tuple[int, list[dict[str, str]]]:
    result = member("doctor", "--json", *args)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code in (ExitCode.OK, ExitCode.ATTENTION), result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert isinstance(findings, list)
    return result.exit_code, findings


def refused(result: object, code: ExitCode, *needles: str) -> None:
    exit_code, stderr = result.exit_code, result.stderr  # type: ignore[attr-defined]
    assert exit_code == int(code), (exit_code, stderr)
    assert stderr.startswith("peerlog: "), stderr
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr, (needle, stderr)


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if not p.is_dir())


# --- writes follow links ----------------------------------------------------------------------


@pytest.mark.parametrize("level", ["members", "member", "device", "year", "month"])
def test_a_linked_folder_on_the_way_to_my_records_is_refused(
    pair: tuple[Peerlog, Peerlog, Path], tmp_path: Path, level: str
) -> None:
    """Alex's machine syncs a link in place of a folder on the way to Sam's own records."""
    sam, _alex, shared = pair
    outside = tmp_path / "outside"
    outside.mkdir()
    chain = ["members", "sam", sam.device, "2026", "11"]
    depth = ["members", "member", "device", "year", "month"].index(level) + 1
    link = shared.joinpath(*chain[:depth])
    shutil.rmtree(link)
    link.symlink_to(outside, target_is_directory=True)
    before = files_under(shared)

    result = sam("write", "--space", "pair", "secret words")

    refused(result, ExitCode.STORAGE, "symbolic link", str(link), "Nothing was written")
    assert "Saved" not in result.stdout
    assert files_under(outside) == []  # nothing landed outside
    assert files_under(shared) == before
    code, findings = doctor(sam)
    assert code == ExitCode.ATTENTION
    (found,) = [f for f in findings if f["kind"] == "symlink"]
    assert found["path"] == str(link)
    assert "outside this folder" in found["message"]


def test_a_linked_journal_folder_in_the_home_is_refused(sam: Any, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(sam.home / "journal")
    (sam.home / "journal").symlink_to(outside, target_is_directory=True)
    result = sam("write", "private words")
    refused(result, ExitCode.STORAGE, "symbolic link")
    assert files_under(outside) == []


def test_a_linked_cache_folder_is_never_written_through(
    pair: tuple[Peerlog, Peerlog, Path], tmp_path: Path
) -> None:
    sam, _alex, _shared = pair
    outside = tmp_path / "outside"
    outside.mkdir()
    for each in [p for p in sam.cache.iterdir() if p.is_dir()]:
        shutil.rmtree(each)
        each.symlink_to(outside, target_is_directory=True)
    sam("list", "--space", "pair")  # reads may run without a cache
    result = sam("write", "--space", "pair", "words")
    refused(result, ExitCode.STORAGE, "symbolic link")
    assert files_under(outside) == []


# --- crashes and blocks -----------------------------------------------------------------------


@pytest.fixture
def blocked_folder(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Folders that refuse to be listed, as `chmod 000` makes them for anyone but root (the
    tests may run as root, where permissions do not block reads: the refusal is made at the
    one call the store lists folders with)."""
    blocked: list[Path] = []
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if isinstance(path, (str, os.PathLike)) and any(
            Path(os.fspath(path)) == b for b in blocked
        ):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    yield blocked
    for folder in blocked:
        folder.chmod(0o755)


def test_an_unreadable_member_folder_is_reported_not_a_crash(
    pair: tuple[Peerlog, Peerlog, Path], blocked_folder: list[Path]
) -> None:
    sam, alex, shared = pair
    alex.saved_id("write", "--space", "pair", "from alex")
    mine = sam.saved_id("write", "--space", "pair", "from sam")
    folder = shared / "members" / "alex"
    folder.chmod(0)
    blocked_folder.append(folder)

    result = sam("list", "--space", "pair", "--json")
    assert result.exit_code == 0, result.stderr
    assert [e["id"] for e in json.loads(result.stdout)] == [mine]
    assert "could not be read" in result.stderr and str(folder) in result.stderr
    code, findings = doctor(sam)
    assert code == ExitCode.ATTENTION
    (found,) = [f for f in findings if f["path"] == str(folder)]
    assert found["kind"] == "unreadable" and "permissions" in found["advice"]


def nest(folder: Path, name: str, levels: int) -> None:
    """`levels` folders named `name`, one in the other, made by descriptor (the whole path may
    be longer than a path can be)."""
    fd = os.open(folder, os.O_RDONLY)
    for _ in range(levels):
        os.mkdir(name, dir_fd=fd)
        next_fd = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = next_fd
    os.close(fd)


def unnest(folder: Path, name: str) -> None:
    """Remove what `nest` made, deepest first, without recursion."""
    fds = [os.open(folder, os.O_RDONLY)]
    while True:
        try:
            fds.append(os.open(name, os.O_RDONLY, dir_fd=fds[-1]))
        except FileNotFoundError:
            break
    os.close(fds.pop())
    while fds:
        parent = fds.pop()
        os.rmdir(name, dir_fd=parent)
        os.close(parent)


def test_twelve_hundred_nested_folders_are_reported(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, shared = pair
    kept = alex.saved_id("write", "--space", "pair", "still here")
    deep = shared / "members" / "alex"
    nest(deep, "d", 1200)
    try:
        _check_deep(sam, deep, kept)
    finally:
        unnest(deep, "d")


def _check_deep(sam: Peerlog, deep: Path, kept: str) -> None:

    listed = sam("list", "--space", "pair", "--json")
    assert listed.exit_code == 0 and [e["id"] for e in json.loads(listed.stdout)] == [kept]
    code, findings = doctor(sam)
    assert code == ExitCode.ATTENTION
    (found,) = findings
    assert found["kind"] == "too-deep" and "32 folders deep" in found["message"]
    assert found["path"].startswith(str(deep / "d"))


def test_a_path_longer_than_4096_bytes_is_reported(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, shared = pair
    alex.saved_id("write", "--space", "pair", "still here")
    nest(shared / "members", "n" * 250, 20)  # 20 names of 250 bytes: over 5,000 bytes
    assert sam("list", "--space", "pair").exit_code == 0
    code, findings = doctor(sam)
    assert code == ExitCode.ATTENTION
    assert [f["kind"] for f in findings] == ["unreadable"]
    assert "name too long" in findings[0]["message"].lower()


def test_a_fifo_named_space_toml_does_not_hang_join(tmp_path: Path) -> None:
    """Run as a real process with a timeout: a hang fails the test instead of the suite."""
    space = tmp_path / "space"
    space.mkdir()
    os.mkfifo(space / "space.toml")
    home = tmp_path / "home"
    env = {
        **os.environ,
        "PEERLOG_HOME": str(home),
        "PEERLOG_CACHE_DIR": str(tmp_path / "cache"),
        "PEERLOG_NOW": FIXED_NOW.isoformat(),
    }
    argv = [sys.executable, "-m", "peerlog"]
    subprocess.run([*argv, "init", "--name", "Sam"], env=env, check=True, capture_output=True)
    joined = subprocess.run(
        [*argv, "space", "join", str(space)], env=env, capture_output=True, text=True, timeout=60
    )
    assert joined.returncode == ExitCode.STORAGE, joined.stderr
    assert "not a plain file" in joined.stderr and "Traceback" not in joined.stderr
    assert "spaces" not in (home / "config.toml").read_text()


def test_a_fifo_or_socket_in_a_member_folder_is_reported(
    pair: tuple[Peerlog, Peerlog, Path],
) -> None:
    sam, alex, shared = pair
    alex.saved_id("write", "--space", "pair", "words")
    fifo = shared / "members" / "alex" / "pipe"
    os.mkfifo(fifo)
    assert sam("list", "--space", "pair").exit_code == 0
    _code, findings = doctor(sam)
    (found,) = findings
    assert found["kind"] == "special-file" and "named pipe" in found["message"]


@pytest.fixture
def unmounted(pair: tuple[Peerlog, Peerlog, Path], tmp_path: Path) -> tuple[Peerlog, str, Path]:
    """Sam has a private entry and a joined space whose drive is no longer mounted."""
    sam, _alex, shared = pair
    entry = sam.saved_id("write", "private words")
    shared.rename(tmp_path / "unplugged")
    return sam, entry, shared


@pytest.mark.parametrize(
    "command",
    [
        ["show", "{entry}"],
        ["edit", "{entry}", "new words"],
        ["reply", "{entry}", "a note to self"],
        ["due"],
        ["goal", "list"],
        [],
        ["list", "--all"],
        ["summary"],
    ],
    ids=lambda c: " ".join(c) or "bare",
)
def test_a_missing_space_is_a_warning_where_it_is_not_needed(
    unmounted: tuple[Peerlog, str, Path], command: list[str]
) -> None:
    sam, entry, shared = unmounted
    result = sam(*(part.format(entry=entry) for part in command))
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert f"skipped {shared}: the folder is missing" in result.stderr
    assert not shared.exists()  # never recreated: it is the mount point of a drive


@pytest.mark.parametrize(
    "command",
    [
        ["write", "--space", "pair", "words"],
        ["list", "--space", "pair"],
        ["checkin", "--space", "pair", "--mood", "3"],
        ["space", "show", "pair"],
    ],
    ids=" ".join,
)
def test_a_missing_space_is_an_error_where_it_is_needed(
    unmounted: tuple[Peerlog, str, Path], command: list[str]
) -> None:
    sam, _entry, shared = unmounted
    refused(sam(*command), ExitCode.STORAGE, "missing", str(shared))
    assert not shared.exists()


def test_doctor_reports_a_missing_space(unmounted: tuple[Peerlog, str, Path]) -> None:
    sam, _entry, shared = unmounted
    code, findings = doctor(sam)
    assert code == ExitCode.ATTENTION
    (found,) = findings
    assert found["kind"] == "missing" and found["path"] == str(shared / ".")
    assert "Mount the drive" in found["advice"]


# --- leaks ------------------------------------------------------------------------------------


def test_a_space_may_not_contain_the_cache(make_member: object, tmp_path: Path) -> None:
    sam = make_member("Sam", "sam")  # type: ignore[operator]
    around = tmp_path / "synced"
    sam.env["PEERLOG_CACHE_DIR"] = str(around / "cache")  # a cache folder inside a synced one
    result = sam("space", "create", str(around), "--name", "leak")
    refused(result, ExitCode.REFUSED, "contains peerlog's cache", "private entries")
    assert not (around / "space.toml").exists()


def test_a_space_may_not_sit_in_the_cache(make_member: object) -> None:
    sam = make_member("Sam", "sam")  # type: ignore[operator]
    inside = sam.cache / "nested"
    refused(
        sam("space", "create", str(inside), "--name", "leak"),
        ExitCode.REFUSED,
        "inside peerlog's cache",
    )


def test_spaces_may_not_nest(pair: tuple[Peerlog, Peerlog, Path], tmp_path: Path) -> None:
    sam, _alex, shared = pair
    inner = shared / "members" / "inner"
    refused(
        sam("space", "create", str(inner), "--name", "inner"),
        ExitCode.REFUSED,
        "inside the folder of your space pair",
    )
    # a folder around a joined space: its members would see this space's files
    sam.ok("space", "create", str(tmp_path / "outer" / "first"), "--name", "first")
    refused(
        sam("space", "create", str(tmp_path / "outer"), "--name", "around"),
        ExitCode.REFUSED,
        "contains the folder of your space first",
    )
    assert not (inner / "space.toml").exists()
    assert not (tmp_path / "outer" / "space.toml").exists()


def test_join_refuses_a_space_inside_another(
    pair: tuple[Peerlog, Peerlog, Path], make_member: object, tmp_path: Path
) -> None:
    sam, _alex, shared = pair
    other = make_member("Kim", "kim")  # type: ignore[operator]
    nested = shared / "nested"
    other.ok("space", "create", str(nested), "--name", "nested")
    refused(sam("space", "join", str(nested)), ExitCode.REFUSED, "inside the folder")
