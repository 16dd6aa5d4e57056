"""The home: where it is, `init`, the identity files and what happens when they are damaged."""

from __future__ import annotations

import contextlib
import stat
import tomllib
from pathlib import Path

import pytest

from peerlog.errors import ExitCode, NotInitialised, Refused, StorageError
from peerlog.records import is_device_id
from peerlog.store import Home, initialise, load_identity, resolve_home


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def make_home(tmp_path: Path) -> Home:
    return Home(root=tmp_path / "home", cache_root=tmp_path / "cache")


# --- resolve_home ------------------------------------------------------------------------------


def test_resolve_home_honours_both_variables(tmp_path: Path) -> None:
    home = resolve_home(
        {"PEERLOG_HOME": str(tmp_path / "h"), "PEERLOG_CACHE_DIR": str(tmp_path / "c")}
    )
    assert home.root == tmp_path / "h"
    assert home.cache_root == tmp_path / "c"
    assert home.config_file == tmp_path / "h" / "config.toml"
    assert home.device_file == tmp_path / "h" / "device.toml"
    assert home.journal_root == tmp_path / "h" / "journal"


def test_resolve_home_creates_nothing(tmp_path: Path) -> None:
    resolve_home({"PEERLOG_HOME": str(tmp_path / "h"), "PEERLOG_CACHE_DIR": str(tmp_path / "c")})
    assert list(tmp_path.iterdir()) == []


def test_resolve_home_makes_relative_and_tilde_paths_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    home = resolve_home({"PEERLOG_HOME": "rel/home", "PEERLOG_CACHE_DIR": "~/cache"})
    assert home.root == tmp_path / "rel" / "home"
    assert home.cache_root == tmp_path / "user" / "cache"
    assert home.root.is_absolute() and home.cache_root.is_absolute()


def test_without_the_variables_the_platform_folders_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdgcache"))
    home = resolve_home({})
    assert home.root == tmp_path / "data" / "peerlog"
    assert home.cache_root == tmp_path / "xdgcache" / "peerlog"
    empty = resolve_home({"PEERLOG_HOME": "", "PEERLOG_CACHE_DIR": ""})
    assert empty == home


def test_each_record_root_gets_its_own_cache_folder_inside_the_cache(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    a = home.cache_for(tmp_path / "space-a")
    b = home.cache_for(tmp_path / "space-b")
    assert a != b
    assert a == home.cache_for(tmp_path / "space-a")
    assert a.parent == home.cache_root and b.parent == home.cache_root


# --- initialise --------------------------------------------------------------------------------


def test_initialise_creates_private_identity_files(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    identity = initialise(home, "sam", "Sam")
    assert identity.member == "sam" and identity.name == "Sam"
    assert is_device_id(identity.device)
    assert mode(home.root) == 0o700
    assert mode(home.config_file) == 0o600
    assert mode(home.device_file) == 0o600
    assert mode(home.journal_root) == 0o700
    config = tomllib.loads(home.config_file.read_text())
    assert config["member"] == {"id": "sam", "name": "Sam"}
    assert tomllib.loads(home.device_file.read_text()) == {"id": identity.device}
    assert home.is_initialised()
    assert load_identity(home) == identity
    assert [p.name for p in home.root.iterdir() if p.name.startswith(".~")] == []


def test_the_device_file_is_kept_out_of_sync(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    initialise(home, "sam", "Sam")
    ignore = (home.root / ".stignore").read_text()
    assert "device.toml" in ignore.splitlines()


def test_initialise_tightens_an_existing_open_home_folder(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    home.root.mkdir(mode=0o755)
    home.root.chmod(0o755)
    initialise(home, "sam", "Sam")
    assert mode(home.root) == 0o700


def test_each_home_gets_its_own_device_id(tmp_path: Path) -> None:
    one = initialise(Home(tmp_path / "a", tmp_path / "c"), "sam", "Sam")
    two = initialise(Home(tmp_path / "b", tmp_path / "c"), "sam", "Sam")
    assert one.device != two.device


def test_names_with_quotes_and_unicode_survive(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    name = 'Zoë "Z" O\'Brien \\ 日本'
    initialise(home, "zoe", name)
    assert load_identity(home).name == name


def test_initialise_refuses_a_second_time_and_changes_nothing(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    initialise(home, "sam", "Sam")
    before = {p.name: p.read_bytes() for p in home.root.iterdir() if p.is_file()}
    with pytest.raises(Refused) as raised:
        initialise(home, "alex", "Alex")
    assert raised.value.exit_code == ExitCode.REFUSED
    assert "Sam" in raised.value.message
    assert str(home.root) in raised.value.message
    after = {p.name: p.read_bytes() for p in home.root.iterdir() if p.is_file()}
    assert after == before


# --- load_identity and damage ------------------------------------------------------------------


def test_load_identity_before_init_is_not_initialised(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    with pytest.raises(NotInitialised) as raised:
        load_identity(home)
    assert raised.value.exit_code == ExitCode.NOT_INITIALISED
    assert "init" in (raised.value.hint or "")
    assert not home.root.exists()


@pytest.mark.parametrize(
    "content",
    [b"member = {id = ", b"\xff\xfe not utf-8", b"[member]\nid = 'sam'\nid = 'dup'\n"],
    ids=["bad toml", "not utf-8", "duplicate key"],
)
def test_a_corrupt_config_is_a_storage_error_naming_the_file(
    tmp_path: Path, content: bytes
) -> None:
    home = make_home(tmp_path)
    initialise(home, "sam", "Sam")
    home.config_file.write_bytes(content)
    with pytest.raises(StorageError) as raised:
        load_identity(home)
    assert raised.value.exit_code == ExitCode.STORAGE
    assert str(home.config_file) in raised.value.message
    assert home.config_file.read_bytes() == content  # never overwritten


@pytest.mark.parametrize(
    "content",
    [
        "format = 1\n",
        "member = 'sam'\n",
        "[member]\nid = 'sam'\n",
        "[member]\nid = 1\nname = 'S'\n",
    ],
)
def test_a_config_without_member_id_and_name_is_a_storage_error(
    tmp_path: Path, content: str
) -> None:
    home = make_home(tmp_path)
    initialise(home, "sam", "Sam")
    home.config_file.write_text(content)
    with pytest.raises(StorageError) as raised:
        load_identity(home)
    assert str(home.config_file) in raised.value.message


@pytest.mark.parametrize("content", ["", "id = 'NOT-VALID'\n", "id = 5\n", "id = "])
def test_a_bad_device_file_is_a_storage_error_naming_it(tmp_path: Path, content: str) -> None:
    home = make_home(tmp_path)
    initialise(home, "sam", "Sam")
    home.device_file.write_text(content)
    with pytest.raises(StorageError) as raised:
        load_identity(home)
    assert str(home.device_file) in raised.value.message


@pytest.mark.parametrize(
    ("damaged", "content"), [("device.toml", "id = 'lost'\n"), ("config.toml", "format = 1\n")]
)
def test_following_the_hint_move_it_away_and_init_again_recovers(
    tmp_path: Path, damaged: str, content: str
) -> None:
    # The StorageError hints say: "move it away and run `peerlog init` again". Doing exactly that
    # must give a usable home, not a loop of "not set up yet, run peerlog init".
    home = make_home(tmp_path)
    first = initialise(home, "sam", "Sam")
    (home.root / damaged).write_text(content)
    with pytest.raises(StorageError) as raised:
        load_identity(home)
    assert "init" in (raised.value.hint or "")
    (home.root / damaged).rename(home.root / f"{damaged}.bak")
    with contextlib.suppress(Refused):  # refusing is fine only if the home works anyway
        initialise(home, "sam", "Sam")
    identity = load_identity(home)
    assert identity.member == first.member
    assert is_device_id(identity.device)
