"""Setting up: `init` creates the home; `tour` shows peerlog in a throwaway sandbox."""

from __future__ import annotations

from typing import Annotated

import typer

from peerlog.cli.context import get_env


def init(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Your name, as peers will see it.")],
    member: Annotated[
        str | None,
        typer.Option(
            "--member", help="Your member id (lowercase letters, digits, '-'). Default: from name."
        ),
    ] = None,
) -> None:
    """Set up peerlog: your name, member id and this device's id."""
    from peerlog.errors import UsageError
    from peerlog.records import check_member_id
    from peerlog.records.names import member_id_from_name
    from peerlog.render import messages
    from peerlog.render.sanitize import clean_line
    from peerlog.store import initialise

    env = get_env(ctx)
    display = clean_line(name).strip()
    if not display:
        raise UsageError("Your name cannot be empty.", hint='Pass --name "Your Name".')
    member_id = member if member is not None else member_id_from_name(display)
    if member_id is None:
        raise UsageError(
            f"Could not make a member id from the name '{display}'.",
            hint="Choose one with --member, e.g. --member sam.",
        )
    identity = initialise(env.home, check_member_id(member_id), display)
    messages.info(f"Welcome, {identity.name}. Your journal is in {env.home.root}.")
    messages.info(f"Member id: {identity.member}; this device: {identity.device}.")
    messages.info(
        "This device has its own signing key (device.key in that folder): keep it there, "
        "never copy it."
    )
    messages.info('Write your first entry with `peerlog write "..."`, or see `peerlog --help`.')


def tour(
    ctx: typer.Context,
    keep: Annotated[
        bool, typer.Option("--keep/--no-keep", help="Keep the sandbox folder afterwards.")
    ] = True,
) -> None:
    """Try peerlog in a sandbox: a year of two peers' shared history (yours is not touched)."""
    from peerlog.actions.spaces import open_scopes
    from peerlog.actions.summary import build_summary
    from peerlog.actions.tour import build_tour
    from peerlog.render.console import make_console
    from peerlog.render.tour import print_tour

    env = get_env(ctx)
    now = env.now()
    sandbox = build_tour(now)
    try:
        summary, _, _ = build_summary(open_scopes(sandbox.home, everything=True), now=now)
        print_tour(make_console(), sandbox.folder, sandbox.home, summary, kept=keep)
    finally:
        if not keep:
            sandbox.remove()
