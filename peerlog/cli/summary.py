"""`peerlog summary`: the dashboard of your journey, alone or together."""

from __future__ import annotations

from typing import Annotated

import typer

from peerlog.cli.context import get_env
from peerlog.cli.options import JsonFlag, SpaceOpt
from peerlog.errors import UsageError
from peerlog.render import messages


def summary(
    ctx: typer.Context,
    space: SpaceOpt = None,
    everything: Annotated[
        bool,
        typer.Option(
            "--all", "-a", help="Your journal and every space (the default).", show_default=False
        ),
    ] = True,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", "-s", metavar="WHEN", help="Start of the window (default 12 weeks)."
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Your progress at a glance: goals, activity, mood, balance, wins, what is due."""
    from peerlog.actions.spaces import open_scopes
    from peerlog.actions.summary import build_summary
    from peerlog.when import range_start

    env = get_env(ctx)
    now = env.now()
    start = range_start(since, now) if since is not None else None
    if start is not None and start > now:
        raise UsageError(
            f"--since {since} is in the future: the summary looks back from today.",
            hint="Give a day on or before today, e.g. --since '4 weeks ago'.",
        )
    sessions = open_scopes(env.home, space, everything=True)
    result, _, problems = build_summary(sessions, now=now, since=start)
    messages.skipped_files(problems)
    if as_json:
        from peerlog.render.json import print_json, summary_json

        print_json(summary_json(result))
        return
    from peerlog.render.console import make_console
    from peerlog.render.summary import print_summary

    label = f"space {space}" if space else "your journal and spaces"
    print_summary(make_console(), result, label)
