"""Real processes: start-up, help text for every command, and a write path without Rich."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from system_support import System, peerlog_command

from peerlog import __version__
from peerlog.cli.app import app

pytestmark = pytest.mark.system


def command_paths() -> list[tuple[str, ...]]:
    """Every command and sub-command of the app, as the words a user types."""
    found: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", None)
        if path:
            found.append(path)
        if isinstance(subcommands, dict):
            for name, sub in sorted(subcommands.items()):
                if not getattr(sub, "hidden", False):
                    walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


COMMANDS = command_paths()


@pytest.fixture
def system(tmp_path: Path) -> System:
    return System(tmp_path)


def test_the_command_table_is_not_empty() -> None:
    names = {path[0] for path in COMMANDS}
    assert {"init", "write", "list", "show", "edit", "delete", "search", "tags", "tour"} <= names


def test_python_m_peerlog_help(system: System) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "peerlog", "--help"],
        capture_output=True,
        text=True,
        env=system.env(),
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Usage" in completed.stdout
    assert "write" in completed.stdout
    assert completed.stderr == ""


def test_version(system: System) -> None:
    completed = system.run("--version")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == f"peerlog {__version__}\n"
    assert completed.stderr == ""


def test_the_console_script_is_installed() -> None:
    # The other tests fall back to `python -m peerlog`; the script is what users run.
    assert peerlog_command()[0].endswith("peerlog")


def first_help_line(output: str) -> str:
    """The first line of the command's description, below its usage line."""
    lines = [line.strip().strip("│").strip() for line in output.splitlines()]
    usage = next(i for i, line in enumerate(lines) if line.startswith("Usage:"))
    for line in lines[usage + 1 :]:
        if line.strip():
            return line.strip()
    return ""


@pytest.fixture(scope="module")
def help_outputs(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, ...], tuple[int, str, str, bool]]:
    """`peerlog <command> --help` for every command, run side by side in real processes."""
    results = {}
    runs = []
    for words in COMMANDS:
        system = System(tmp_path_factory.mktemp("help"))
        process = subprocess.Popen(
            [*peerlog_command(), *words, "--help"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=system.env(),
        )
        runs.append((words, system, process))
    for words, system, process in runs:
        out, err = process.communicate(timeout=60)
        results[words] = (process.returncode, out, err, system.home.exists())
    return results


@pytest.mark.parametrize("words", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_command_has_help(
    help_outputs: dict[tuple[str, ...], tuple[int, str, str, bool]], words: tuple[str, ...]
) -> None:
    code, out, err, created_home = help_outputs[words]
    assert code == 0, err
    assert "Traceback" not in err
    assert f"peerlog {' '.join(words)}" in out
    line = first_help_line(out)
    assert line, out
    assert not line.startswith(("╭", "Options", "Arguments", "Commands")), out
    assert not created_home  # asking for help creates nothing


MODULES_CHECK = """
import sys
from peerlog.cli.app import main
sys.argv = ["peerlog", *ARGS]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
loaded = sorted(m for m in sys.modules if m.startswith(("peerlog", "rich")))
report({"exit": code, "modules": loaded})
"""


def modules_during(system: System, *args: str, input: str = "") -> dict[str, object]:
    """Run one command in a fresh interpreter: its exit code, output, and the peerlog and
    Rich modules it imported."""
    return system.python(f"ARGS = {list(args)!r}\n" + MODULES_CHECK, input=input)


def rich_modules_during(system: System, *args: str, input: str = "") -> dict[str, object]:
    result = modules_during(system, *args, input=input)
    modules = result.pop("modules")
    assert isinstance(modules, list)
    result["rich"] = [m for m in modules if m == "rich" or m.startswith("rich.")]
    return result


@pytest.mark.parametrize(
    "args",
    [("write", "A quiet day."), ("write", "Tagged", "--tag", "calm", "--mood", "4")],
    ids=["text", "tag and mood"],
)
def test_write_with_text_does_not_import_rich(system: System, args: tuple[str, ...]) -> None:
    assert system.run("init", "--name", "Sam").returncode == 0
    result = rich_modules_during(system, *args)
    assert result["exit"] in (0, None), result["_stderr"]
    assert result["rich"] == []
    assert "Saved entry" in str(result["_stdout"])


def test_write_from_piped_stdin_does_not_import_rich(system: System) -> None:
    assert system.run("init", "--name", "Sam").returncode == 0
    result = rich_modules_during(system, "write", input="Piped in.\nSecond line.\n")
    assert result["exit"] in (0, None), result["_stderr"]
    assert result["rich"] == []
    listed = system.run("list", "--json")
    assert "Piped in.\\nSecond line." in listed.stdout


def test_write_errors_do_not_import_rich_either(system: System) -> None:
    assert system.run("init", "--name", "Sam").returncode == 0
    result = rich_modules_during(system, "write", "x", "--mood", "9")
    assert result["exit"] == 2
    assert result["rich"] == []


def test_the_check_would_notice_rich(system: System) -> None:
    # The probe itself must be able to see Rich when a command does import it.
    assert system.run("init", "--name", "Sam").returncode == 0
    assert system.run("write", "something to sum up").returncode == 0
    result = rich_modules_during(system, "summary")
    assert result["exit"] in (0, None)
    assert "rich.console" in result["rich"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("list", "-n", "10"), "an entry"),
        (("list",), "an entry"),
        (("due",), "Nothing is waiting"),
        (("tags",), "tagged"),
    ],
)
def test_everyday_reads_write_lines_without_richs_console(
    system: System, args: tuple[str, ...], shown: str
) -> None:
    """Lists are plain styled lines (render.lines): Rich's console costs a fifth of the budget."""
    assert system.run("init", "--name", "Sam").returncode == 0
    assert system.run("write", "an entry #tagged to list").returncode == 0
    result = rich_modules_during(system, *args)
    assert result["exit"] in (0, None), result
    assert shown in str(result["_stdout"])
    rich = result["rich"]
    assert isinstance(rich, list)
    assert not [m for m in rich if m.startswith(("rich.console", "rich.text"))]


def test_running_one_command_builds_only_that_command() -> None:
    """Start-up builds the asked-for command only; the full table is for help and tests."""
    from peerlog.cli.app import COMMANDS, _requested, build_app

    assert _requested(["--debug", "write", "x"]) == ("write", "x")
    assert _requested(["--version"]) == ("", None)  # no command at all
    assert _requested(["--help"]) == (None, None)
    assert _requested(["wirte"]) == (None, None)  # unknown: the full table, to suggest
    assert _requested(["goal", "log", "g"]) == ("goal", "log")
    one = typer.main.get_command(build_app("write"))
    assert sorted(one.commands) == ["write"]  # type: ignore[attr-defined]
    full = typer.main.get_command(build_app())
    assert sorted(full.commands) == sorted(COMMANDS)  # type: ignore[attr-defined]
    bare = typer.main.get_command(build_app(""))
    assert getattr(bare, "commands", {}) == {}
    # Of a group, only the command asked for; the whole group for its help or a typo.
    goal = typer.main.get_command(build_app("goal", "log")).commands["goal"]  # type: ignore[attr-defined]
    assert sorted(goal.commands) == ["log"]
    every = typer.main.get_command(build_app("goal", "--help")).commands["goal"]  # type: ignore[attr-defined]
    assert {"log", "list", "propose", "show"} <= set(every.commands)
    assert len(typer.main.get_command(build_app("goal", "lgo")).commands["goal"].commands) > 1  # type: ignore[attr-defined]


def test_version_imports_neither_the_store_nor_rich(system: System) -> None:
    result = modules_during(system, "--version")
    assert result["exit"] in (0, None), result["_stderr"]
    assert f"peerlog {__version__}" in str(result["_stdout"])
    modules = result["modules"]
    assert isinstance(modules, list)
    assert "peerlog.cli.app" in modules  # the probe sees peerlog's modules
    assert not [m for m in modules if m.startswith(("peerlog.store", "peerlog.records", "rich"))]
    assert not [
        m
        for m in modules
        if m.startswith("peerlog.cli.") and m != "peerlog.cli.app" and m != "peerlog.cli.context"
    ]


def test_a_check_in_with_flags_imports_no_goal_code_and_no_rich(system: System) -> None:
    """The scripted check-in is an everyday command: it pays for nothing it does not use."""
    assert system.run("init", "--name", "Sam").returncode == 0
    space = system.tmp_path / "shared"
    assert system.run("space", "create", str(space), "--name", "pair").returncode == 0
    args = ["checkin", "--space", "pair", "--mood", "3", "--win", "a walk", "--need", "sleep"]
    result = modules_during(system, *args)
    assert result["exit"] in (0, None), result["_stderr"]
    assert "Saved check-in" in str(result["_stdout"])
    modules = result["modules"]
    assert isinstance(modules, list)
    assert "peerlog.actions.dialogue" in modules  # the probe sees what the command imported
    assert [m for m in modules if "goals" in m or m.startswith("rich")] == []
    listed = system.run("checkins", "--space", "pair", "--json")
    assert "a walk" in listed.stdout


HOSTILE_TEXT = "Watch [red]this[/] \x1b[31mred\x1b[0m \u202eevil\u202c " + "word " * 30


def _saved_id(completed: subprocess.CompletedProcess[str]) -> str:
    assert completed.returncode == 0, completed.stderr
    return next(w for w in completed.stdout.split() if len(w.rstrip(".")) == 26).rstrip(".")


def test_show_prints_an_entry_and_a_check_in_without_rich(system: System) -> None:
    """`show` is an everyday command: one entry or check-in in full, as lines (render.lines),
    its partner-written text inert and wrapped at words to the terminal's width."""
    assert system.run("init", "--name", "Sam").returncode == 0
    entry = _saved_id(system.run("write", "first words"))
    assert system.run("edit", entry, HOSTILE_TEXT).returncode == 0
    assert system.run("reply", entry, "a reply \x1b]0;title\x07 " + "again " * 25).returncode == 0
    checkin = _saved_id(system.run("checkin", "--mood", "3", "--win", HOSTILE_TEXT))
    for args in ((entry, "--history"), (checkin,)):
        result = rich_modules_during(system, "show", *args)
        assert result["exit"] in (0, None), result["_stderr"]
        assert result["rich"] == []
        shown = str(result["_stdout"]).split("@@peerlog-test-result@@")[0]
        assert "[red]this[/]" in shown  # markup shows as typed
        assert "\x1b" not in shown and "\u202e" not in shown and "\u202c" not in shown
        assert "[31mred" in shown  # what is left of the escape is harmless text
        lines = shown.splitlines()
        assert max(len(line) for line in lines) <= 100
        assert all(not line.endswith("wor") for line in lines)  # broken between words
    result = rich_modules_during(system, "show", entry, "--history")
    shown = str(result["_stdout"])
    assert "first words" in shown and "original, written" in shown
    assert "  ↳ Sam" in shown and "    a reply ]0;title again" in shown


def test_show_of_text_beyond_ascii_loads_only_richs_cell_widths(system: System) -> None:
    assert system.run("init", "--name", "Sam").returncode == 0
    entry = _saved_id(system.run("write", "Café 日本語 " * 20))
    result = rich_modules_during(system, "show", entry)
    assert result["exit"] in (0, None), result["_stderr"]
    assert "Café 日本語" in str(result["_stdout"])
    rich = result["rich"]
    assert isinstance(rich, list)
    assert not [m for m in rich if m.startswith(("rich.console", "rich.text"))]
