"""The root command: global options, the one error handler, and the command table.

Every PeerlogError becomes one sentence on stderr (plus a hint) and its documented exit code;
anything unexpected becomes exit 70 with a pointer to --debug. Tracebacks only with --debug.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from peerlog import __version__
from peerlog.cli import dialogue, doctor, journal, setup, summary
from peerlog.cli.context import Env
from peerlog.cli.goal import goal_app
from peerlog.cli.importing import import_app
from peerlog.cli.resource import resource_app
from peerlog.cli.space import space_app
from peerlog.errors import ExitCode, PeerlogError


class PeerlogGroup(TyperGroup):
    """Runs commands and maps every error to a message and an exit code, in one place."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        from peerlog.render import messages

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
        except Exception as exc:
            env = ctx.obj
            if isinstance(env, Env) and env.debug:
                raise
            messages.error(
                f"Something unexpected went wrong ({type(exc).__name__}: {exc}).",
                hint="Nothing you saved is lost. Run again with --debug to see the details, "
                "and please report it.",
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None


app = typer.Typer(
    cls=PeerlogGroup,
    name="peerlog",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"peerlog {__version__}")
        raise typer.Exit()


@app.callback()
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
    overrides = ctx.obj if isinstance(ctx.obj, dict) else {}
    env = Env.from_process(**overrides)
    env.debug = env.debug or debug
    ctx.obj = env
    if ctx.invoked_subcommand is None:
        _greeting(ctx, env)


def _greeting(ctx: typer.Context, env: Env) -> None:
    """Bare `peerlog`: what is waiting for you, briefly; or how to start."""
    from peerlog.render import messages

    if not env.home.is_initialised():
        typer.echo(ctx.get_help())
        return
    from peerlog.cli.dialogue import show_due

    show_due(env, brief=True)
    messages.info("See the whole picture with `peerlog summary`; all commands: peerlog --help.")


app.command("init")(setup.init)
app.command("write")(journal.write)
app.command("list")(journal.list_entries)
app.command("show")(journal.show)
app.command("edit")(journal.edit)
app.command("delete")(journal.delete)
app.command("search")(journal.search)
app.command("tags")(journal.tags)
app.command("export")(journal.export)
app.command("reply")(journal.reply)
app.command("checkin")(dialogue.checkin)
app.command("checkins")(dialogue.checkins)
app.command("due")(dialogue.due)
app.command("help-now")(dialogue.help_now)
app.command("summary")(summary.summary)
app.command("doctor")(doctor.doctor)
app.add_typer(space_app)
app.add_typer(goal_app)
app.add_typer(resource_app)
app.add_typer(import_app)
app.command("tour")(setup.tour)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="peerlog")
