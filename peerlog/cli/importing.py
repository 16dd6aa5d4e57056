"""`peerlog import …`: bring in journals from other tools, or restore peerlog's own export."""

from __future__ import annotations

import contextlib
import sys
from typing import Annotated, Any

import typer

from peerlog.cli.context import get_env
from peerlog.cli.options import SpaceOpt
from peerlog.render import messages

import_app = typer.Typer(
    name="import",
    help="Bring in a journal from another tool, or restore peerlog's own JSON export.",
    no_args_is_help=True,
)


@import_app.command("jrnl")
def jrnl(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE.json",
            help="A jrnl export (jrnl --format json > FILE.json); '-' reads standard input.",
        ),
    ],
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            metavar="ZONE",
            help="The time zone the entries were written in (jrnl's times carry none), "
            "e.g. Europe/Berlin. Default: this machine's.",
        ),
    ] = None,
    space: SpaceOpt = None,
) -> None:
    """Import a jrnl JSON export: text, dates, tags and stars kept; all or nothing; importing
    twice adds nothing."""
    from peerlog.actions.importing import import_jrnl
    from peerlog.actions.spaces import open_scopes
    from peerlog.render.journal import plural

    env = get_env(ctx)
    session = open_scopes(env.home, space)[0]
    bar: Any = contextlib.nullcontext(None)
    if sys.stdout.isatty():  # a bar for people, nothing for scripts
        from peerlog.render.progress import import_progress

        bar = import_progress()
    with bar as progress:
        report = import_jrnl(
            session, file, now=env.now(), stdin=env.stdin, tz=tz, progress=progress
        )
    for note in report.notes[:20]:
        messages.warning(f"{note}.")
    if len(report.notes) > 20:
        messages.warning(f"… and {len(report.notes) - 20} more notes like these.")
    if report.empty:
        count = plural(report.empty, "entry", "entries")
        messages.warning(f"{count} had no text at all: left out (nothing to keep).")
    where = f"space {session.space}" if session.space else "your journal"
    already = f"; {report.already} were already there" if report.already else ""
    messages.info(f"Imported {report.added} entries into {where}{already}.")
    if report.added:
        messages.info(
            f"Times were read in {report.zone}: jrnl's carry no time zone"
            + ("." if tz else "; pass --tz ZONE if they were written in another.")
        )


@import_app.command("peerlog")
def restore(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE.json",
            help="peerlog's own export (peerlog export --format json --all); '-' reads "
            "standard input.",
        ),
    ],
) -> None:
    """Restore peerlog's JSON export: every entry, check-in, goal, reply and resource, exactly
    (ids kept; all or nothing; importing twice adds nothing)."""
    from peerlog.actions.restore import restore_backup
    from peerlog.render.journal import plural

    env = get_env(ctx)
    report = restore_backup(env.home, file, stdin=env.stdin)
    where = " and ".join(report.scopes) or "nowhere (the export is empty)"
    already = f"; {report.already} were already there" if report.already else ""
    messages.info(f"Restored {plural(report.added, 'record')} into {where}{already}.")
