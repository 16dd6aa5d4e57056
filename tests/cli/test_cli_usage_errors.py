"""Typer's own usage errors read like peerlog's: a `peerlog: …` sentence, a hint, exit 2."""

from __future__ import annotations

import pytest
from cli_support import ExitCode, Peerlog, assert_clean_error

CASES = [
    (["list", "-n", "abc"], "Bad value for --number (-n): 'abc' is not a number.", "peerlog list"),
    (["list", "-n", "0"], "Bad value for --number (-n): 0 is too small: the least is 1.", "list"),
    (["show"], "Missing argument 'ID'.", "peerlog show --help"),
    (["goal", "show"], "Missing argument 'GOAL'.", "peerlog goal show --help"),
    (["list", "--bogus"], "No such option: --bogus.", "peerlog list --help"),
    (["lisst"], "No such command 'lisst'. Did you mean 'list'?", "peerlog --help"),
    (["export", "--format", "pdf"], "'pdf' is not one of 'json', 'markdown', 'html'.", "export"),
]


@pytest.mark.parametrize(("args", "sentence", "hint"), CASES, ids=lambda v: str(v))
def test_usage_errors_are_one_sentence_with_a_hint_and_exit_2(
    sam: Peerlog, args: list[str], sentence: str, hint: str
) -> None:
    result = sam(*args)

    assert_clean_error(result, ExitCode.USAGE, sentence, hint)
    first, second = result.stderr.splitlines()
    assert first.startswith("peerlog: ")
    assert second.startswith("  Usage: peerlog")
    for box in "╭╮╰╯│─":
        assert box not in result.stderr
    assert result.stdout == ""


def test_usage_errors_look_the_same_before_init(peerlog: Peerlog) -> None:
    result = peerlog("list", "-n", "abc")

    assert_clean_error(result, ExitCode.USAGE, "'abc' is not a number.")


def test_help_and_version_still_exit_0(sam: Peerlog) -> None:
    for args in (["--help"], ["list", "--help"], ["--version"]):
        result = sam(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert result.stderr == ""


def test_a_group_without_its_command_shows_the_help(sam: Peerlog) -> None:
    result = sam("goal")

    assert result.exit_code == ExitCode.USAGE
    assert "propose" in result.stdout
    assert "Error" not in result.stderr
