"""`peerlog doctor`: check your journal and spaces for anything that needs attention."""

from __future__ import annotations

from typing import Annotated

import typer

from peerlog.cli.context import get_env
from peerlog.cli.options import JsonFlag, SpaceOpt
from peerlog.errors import ExitCode


def doctor(
    ctx: typer.Context,
    space: SpaceOpt = None,
    clean: Annotated[
        bool,
        typer.Option("--clean", help="Remove stale temp files from this device's own folders."),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Check your journal and spaces: conflict copies, bad files, links, clocks.

    Reads every file from disk again (never from the cache), and also reports merge leftovers,
    records changed after they were written, unreadable folders and missing spaces.
    Exits 0 when all is well and 8 when something needs attention.
    """
    from peerlog.actions.doctor import run_doctor

    env = get_env(ctx)
    report = run_doctor(env.home, now=env.now(), space=space, clean=clean)
    if as_json:
        from peerlog.render.doctor import doctor_json
        from peerlog.render.json import print_json

        print_json(doctor_json(report))
    else:
        from peerlog.render.console import make_console
        from peerlog.render.doctor import print_doctor

        print_doctor(make_console(), report)
    if report.findings:
        raise typer.Exit(int(ExitCode.ATTENTION))
