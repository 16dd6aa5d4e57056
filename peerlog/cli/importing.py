"""`peerlog import …`: bring in journals from other tools."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from peerlog.cli.context import get_env
from peerlog.cli.options import SpaceOpt

import_app = typer.Typer(
    name="import", help="Bring in a journal from another tool.", no_args_is_help=True
)


@import_app.command("jrnl")
def jrnl(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE.json", help="A jrnl export: jrnl --format json.")
    ],
    space: SpaceOpt = None,
) -> None:
    """Import a jrnl JSON export (text, dates, tags, stars kept; importing twice adds nothing)."""
    from peerlog.actions.importing import import_jrnl
    from peerlog.actions.spaces import open_scopes
    from peerlog.render import messages

    env = get_env(ctx)
    session = open_scopes(env.home, space)[0]
    bar: Any = contextlib.nullcontext(None)
    if sys.stdout.isatty():  # a bar for people, nothing for scripts
        from peerlog.render.progress import import_progress

        bar = import_progress()
    with bar as progress:
        report = import_jrnl(session, file, now=env.now(), progress=progress)
    for reason in report.skipped[:20]:
        messages.warning(f"skipped {reason}.")
    if len(report.skipped) > 20:
        messages.warning(f"… and {len(report.skipped) - 20} more entries skipped.")
    where = f"space {session.space}" if session.space else "your journal"
    already = f"; {report.already} were already there" if report.already else ""
    messages.info(f"Imported {report.added} entries into {where}{already}.")
