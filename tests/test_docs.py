"""The README and --help stay true: every command is documented and explains itself."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
import typer

from peerlog.cli.app import app
from peerlog.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXIT_CODES_DOC = (ROOT / "docs" / "exit-codes.md").read_text(encoding="utf-8")


def _walk(group: object, prefix: str) -> dict[str, object]:
    found: dict[str, object] = {}
    for name, command in getattr(group, "commands", {}).items():
        found[f"{prefix}{name}"] = command
        found.update(_walk(command, f"{prefix}{name} "))
    return found


ALL_COMMANDS = _walk(typer.main.get_command(app), "")
COMMANDS = sorted(ALL_COMMANDS)


def test_the_command_table_is_not_empty() -> None:
    expected = {"init", "write", "list", "show", "edit", "delete", "search", "tags", "export"}
    assert expected | {"reply", "space create", "space join"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"`peerlog {name}" in README, f"README's command table lacks `peerlog {name}`"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_text(name: str) -> None:
    command: typing.Any = ALL_COMMANDS[name]
    assert command.help and command.help.strip(), f"{name} has no help text"
    for param in command.params:
        if param.name != "ctx" and getattr(param, "help", None) is not None:
            assert param.help.strip(), f"{name} --{param.name} has empty help"
        if isinstance(param, typer.core.TyperOption) and param.name != "help":
            assert param.help, f"{name}: option {param.opts} has no help text"


@pytest.mark.parametrize("code", list(ExitCode))
def test_every_exit_code_is_documented(code: ExitCode) -> None:
    assert re.search(rf"^\| {int(code)} \| {code.name} \|", EXIT_CODES_DOC, re.MULTILINE)
    assert f"`{int(code)}`" in README


def test_readme_has_exactly_the_two_setup_commands() -> None:
    setup = README.split("## Set up", 1)[1].split("##", 1)[0]
    commands = [line for line in setup.splitlines() if line.startswith("python3 -m venv")]
    assert len(commands) == 2
    assert commands[0].endswith("peerlog tour")
    assert commands[1].endswith(".venv/bin/pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1].replace("pip install -e", "pip install -q -e") in ci
