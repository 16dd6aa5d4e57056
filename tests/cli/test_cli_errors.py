"""Errors a user meets first: no home yet, `init` mistakes. One sentence, an exit code, no trace."""

from __future__ import annotations

import tomllib

import pytest
from cli_support import ExitCode, Peerlog, assert_clean_error, entries, mode_of, write

JOURNAL_COMMANDS = [
    ["write", "hello"],
    ["list"],
    ["list", "--json"],
    ["show", "01m7ysm950"],
    ["edit", "01m7ysm950", "new text"],
    ["delete", "01m7ysm950", "--yes"],
    ["search", "hello"],
    ["tags"],
    ["tags", "--json"],
    ["export"],
    ["export", "--format", "markdown"],
]


@pytest.mark.parametrize("args", JOURNAL_COMMANDS, ids=" ".join)
def test_every_journal_command_before_init_says_to_run_init(
    peerlog: Peerlog, args: list[str]
) -> None:
    result = peerlog(*args)

    assert_clean_error(result, ExitCode.NOT_INITIALISED, "peerlog init")
    assert "not set up" in result.stderr
    assert result.stdout == ""
    assert not (peerlog.home / "journal").exists()
    assert not (peerlog.home / "config.toml").exists()


def test_write_from_stdin_before_init(peerlog: Peerlog) -> None:
    result = peerlog("write", input="piped text\n")
    assert_clean_error(result, ExitCode.NOT_INITIALISED, "peerlog init")


def test_write_with_a_terminal_before_init_does_not_open_an_editor(peerlog: Peerlog) -> None:
    result = peerlog("write", tty=True, env={"EDITOR": "false"})
    assert_clean_error(result, ExitCode.NOT_INITIALISED, "peerlog init")


def test_init_sets_up_a_private_home(peerlog: Peerlog) -> None:
    result = peerlog("init", "--name", "Sam Rivera")

    assert result.exit_code == 0, result.stderr
    assert "Sam Rivera" in result.stdout
    assert "sam-rivera" in result.stdout
    with open(peerlog.home / "config.toml", "rb") as handle:
        config = tomllib.load(handle)
    assert config["member"] == {"id": "sam-rivera", "name": "Sam Rivera"}
    with open(peerlog.home / "device.toml", "rb") as handle:
        device = tomllib.load(handle)["id"]
    assert device in result.stdout
    assert mode_of(peerlog.home) == 0o700
    assert mode_of(peerlog.home / "config.toml") == 0o600
    assert mode_of(peerlog.home / "device.toml") == 0o600
    assert mode_of(peerlog.home / "journal") == 0o700
    write(peerlog, "first entry")
    assert [e["author"] for e in entries(peerlog)] == ["sam-rivera"]
    assert [e["device"] for e in entries(peerlog)] == [device]


def test_init_twice_is_refused_and_keeps_the_identity(sam: Peerlog) -> None:
    config = (sam.home / "config.toml").read_bytes()
    device = (sam.home / "device.toml").read_bytes()

    result = sam("init", "--name", "Someone Else")

    assert_clean_error(result, ExitCode.REFUSED, "already set up", "Sam")
    assert (sam.home / "config.toml").read_bytes() == config
    assert (sam.home / "device.toml").read_bytes() == device


def test_init_with_a_name_that_gives_no_member_id(peerlog: Peerlog) -> None:
    result = peerlog("init", "--name", "李小龍")

    assert_clean_error(result, ExitCode.USAGE, "李小龍", "--member")
    assert not (peerlog.home / "config.toml").exists()
    assert not (peerlog.home / "device.toml").exists()


def test_init_with_such_a_name_and_a_member_id(peerlog: Peerlog) -> None:
    result = peerlog("init", "--name", "李小龍", "--member", "li")

    assert result.exit_code == 0, result.stderr
    with open(peerlog.home / "config.toml", "rb") as handle:
        assert tomllib.load(handle)["member"] == {"id": "li", "name": "李小龍"}


def test_init_makes_a_member_id_from_accented_names(peerlog: Peerlog) -> None:
    assert peerlog("init", "--name", "Zoë Ångström").exit_code == 0
    write(peerlog, "hi")
    assert entries(peerlog)[0]["author"] == "zoe-angstrom"


@pytest.mark.parametrize(
    "member",
    ["CON", "con", "nul", "com1", "LPT9", "Bad_Id", "-sam", "sam-", "a--b", "sam rivera", "x" * 33],
)
def test_init_with_a_bad_member_id(peerlog: Peerlog, member: str) -> None:
    result = peerlog("init", "--name", "Sam", "--member", member)

    assert result.exit_code == ExitCode.USAGE, (result.exit_code, result.stderr)
    assert result.stderr.startswith("peerlog: ")
    assert "member id" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (peerlog.home / "config.toml").exists()


def test_reserved_windows_name_is_explained(peerlog: Peerlog) -> None:
    result = peerlog("init", "--name", "Sam", "--member", "con")
    assert_clean_error(result, ExitCode.USAGE, "reserved")


@pytest.mark.parametrize("name", ["", "   ", "\x1b\x07"])
def test_init_with_an_empty_name(peerlog: Peerlog, name: str) -> None:
    result = peerlog("init", "--name", name)
    assert_clean_error(result, ExitCode.USAGE, "name")
    assert not (peerlog.home / "config.toml").exists()


def test_init_without_a_name_is_a_usage_error(peerlog: Peerlog) -> None:
    result = peerlog("init")
    assert result.exit_code == ExitCode.USAGE
    assert "--name" in result.stderr
    assert not (peerlog.home / "config.toml").exists()


def test_name_with_terminal_controls_is_cleaned(peerlog: Peerlog) -> None:
    result = peerlog("init", "--name", "Sam\x1b]0;pwned\x07 \u202eR")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout
    with open(peerlog.home / "config.toml", "rb") as handle:
        name = tomllib.load(handle)["member"]["name"]
    assert "\x1b" not in name
    assert "\u202e" not in name


def test_unreadable_config_is_a_storage_error(sam: Peerlog) -> None:
    (sam.home / "config.toml").write_text("this is [not toml", encoding="utf-8")
    result = sam("list")
    assert_clean_error(result, ExitCode.STORAGE, "config.toml")


def test_unknown_command_and_option_are_usage_errors(sam: Peerlog) -> None:
    assert sam("frobnicate").exit_code == ExitCode.USAGE
    assert sam("list", "--frobnicate").exit_code == ExitCode.USAGE


def test_bad_pinned_clock_is_a_usage_error(sam: Peerlog) -> None:
    result = sam("list", now=None, env={"PEERLOG_NOW": "half past ten"})
    assert_clean_error(result, ExitCode.USAGE, "PEERLOG_NOW")
