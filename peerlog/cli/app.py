"""The root command: global options, the one error handler, and the command table.

Every PeerlogError becomes one sentence on stderr (plus a hint) and its documented exit code;
anything unexpected becomes exit 70 with a pointer to --debug. Tracebacks only with --debug.
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import os
import re
import sys
from typing import Annotated, Any

import typer
from typer._click.exceptions import ClickException, UsageError
from typer.core import TyperGroup

from peerlog import __version__
from peerlog.cli.context import Env
from peerlog.errors import ExitCode, PeerlogError


class PeerlogGroup(TyperGroup):
    """Runs commands and maps every error to a message and an exit code, in one place."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Typer's own usage errors (a bad value, a missing argument, an unknown option) come
        out as peerlog's do: a `peerlog: …` sentence on stderr, a hint, exit 2, no box."""
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
        except UsageError as exc:
            if type(exc).__name__ != "NoArgsIsHelpError":  # that one printed the help
                _usage_error(exc)
            result = int(ExitCode.USAGE)
        except ClickException as exc:
            from peerlog.render import messages

            messages.error(exc.format_message())
            result = exc.exit_code
        except typer.Abort:
            from peerlog.render import messages

            messages.error("Stopped; nothing more was saved.")
            result = int(ExitCode.NOTHING_DONE)
        if standalone_mode:
            raise SystemExit(result if isinstance(result, int) else 0)
        return result

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        from peerlog.render import messages

        messages.new_command()
        try:
            return super().invoke(ctx)
        except PeerlogError as exc:
            messages.error(exc.message, exc.hint)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            messages.error("Interrupted; nothing more was saved.")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except BrokenPipeError:  # `peerlog list | head`: the reader had enough
            # stdout to /dev/null, so the flush at exit does not fail on the closed pipe
            with contextlib.suppress(OSError, ValueError, AttributeError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        except Exception as exc:
            if isinstance(ctx.obj, Env) and ctx.obj.debug:
                raise
            messages.error(
                f"Something unexpected went wrong ({type(exc).__name__}: {exc}).",
                hint="Nothing you saved is lost. Run again with --debug to see the details, "
                "and please report it.",
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None


def _usage_error(exc: Any) -> None:
    """A click usage error as one sentence, with the usage line and where to read more."""
    from peerlog.render import messages

    message = exc.format_message()
    for pattern, words in _PLAIN_WORDS:
        message = re.sub(pattern, words, message)
    message = message[:1].upper() + message[1:]
    if not message.endswith((".", "?")):
        message += "."
    ctx = exc.ctx
    hint = f"{ctx.get_usage()}  (see `{ctx.command_path} --help`)" if ctx is not None else None
    messages.error(message, hint)


# Click's phrasing of a bad number, in everyday words.
_PLAIN_WORDS = (
    (r"is not a valid (int range|integer|float range|float)\.?", "is not a number."),
    (r"is not in the range x>=(\d+)\.?", r"is too small: the least is \1."),
    (r"is not in the range x<=(\d+)\.?", r"is too big: the most is \1."),
    (r"is not in the range (\d+)<=x<=(\d+)\.?", r"is not between \1 and \2."),
    (r"^Invalid value for ", "Bad value for "),
    (r"'(-\w)' / '(--[\w-]+)'", r"\2 (\1)"),
    (r"'(--[\w-]+)' / '(-\w)'", r"\1 (\2)"),
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"peerlog {__version__}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of unexpected errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """A journal and goal tool for peer support.

    Keep a private journal with moods and tags. Start with peerlog init --name "Your Name",
    or try peerlog tour first.
    """
    env = Env.from_process(**(ctx.obj if isinstance(ctx.obj, dict) else {}))
    env.debug = env.debug or debug
    ctx.obj = env
    if ctx.invoked_subcommand is not None:
        return
    # Bare `peerlog`: what is waiting for you, briefly; or how to start.
    if not env.home.is_initialised():
        typer.echo(ctx.get_help())
        return
    from peerlog.cli.dialogue import show_due
    from peerlog.render import messages

    show_due(env, brief=True)
    messages.info("See the whole picture with `peerlog summary`; all commands: peerlog --help.")


# The command table: name -> (module, attribute). A command is a function; a group is a
# Typer sub-app. Modules are imported only for the commands that are built.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("setup", "init"),
    "encrypt": ("setup", "encrypt"),
    "write": ("journal", "write"),
    "list": ("journal", "list_entries"),
    "show": ("journal", "show"),
    "edit": ("journal", "edit"),
    "delete": ("journal", "delete"),
    "search": ("journal", "search"),
    "tags": ("journal", "tags"),
    "export": ("journal", "export"),
    "reply": ("journal", "reply"),
    "checkin": ("dialogue", "checkin"),
    "checkins": ("dialogue", "checkins"),
    "due": ("dialogue", "due"),
    "help-now": ("dialogue", "help_now"),
    "summary": ("summary", "summary"),
    "doctor": ("doctor", "doctor"),
    "space": ("space", "space_app"),
    "device": ("device", "device_app"),
    "goal": ("goal", "goal_app"),
    "resource": ("resource", "resource_app"),
    "import": ("importing", "import_app"),
    "tour": ("setup", "tour"),
}


def build_app(only: str | None = None, sub: str | None = None) -> typer.Typer:
    """The command line with every command, or with just `only` (what main() runs), and of a
    group just its command `sub` when that is given.

    Building every command costs tens of milliseconds (Typer reads each signature), paid on
    every run; a run of one command builds that one.
    """
    built = typer.Typer(
        cls=PeerlogGroup,
        name="peerlog",
        invoke_without_command=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(root)
    for name, (module_name, attribute) in COMMANDS.items():
        if only is not None and name != only:
            continue
        target = getattr(importlib.import_module(f"peerlog.cli.{module_name}"), attribute)
        if isinstance(target, typer.Typer):
            built.add_typer(_only_command(target, sub), name=name)
        else:
            built.command(name)(target)
    return built


def _only_command(group: typer.Typer, name: str | None) -> typer.Typer:
    """`group` with just its command `name`, when it has one by that name (a copy: the group
    itself keeps every command)."""
    chosen = [c for c in group.registered_commands if name is not None and c.name == name]
    if not chosen:
        return group
    narrowed = copy.copy(group)
    narrowed.registered_commands = chosen
    return narrowed


def _requested(argv: list[str]) -> tuple[str | None, str | None]:
    """The one command to build: the command named on the command line (after global
    options), "" (none) when only the version is asked for, None (all) otherwise (help); and
    the word after it (a group's command, if it is one)."""
    for index, arg in enumerate(argv):
        if arg == "--debug":
            continue
        if arg == "--version":
            return "", None
        if arg not in COMMANDS:
            return None, None
        return arg, argv[index + 1] if index + 1 < len(argv) else None
    return None, None


def __getattr__(name: str) -> typer.Typer:
    # `from peerlog.cli.app import app`: the full command line (tests, docs, completion).
    if name == "app":
        return build_app()
    raise AttributeError(name)


def main() -> None:
    """Console-script entry point."""
    build_app(*_requested(sys.argv[1:]))(prog_name="peerlog")
