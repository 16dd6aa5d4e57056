"""`peerlog space …`: create, join, list and show shared spaces."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peerlog.cli.context import get_env
from peerlog.cli.options import JsonFlag

space_app = typer.Typer(
    name="space",
    help="Shared spaces: folders you sync with peers (Syncthing, Dropbox, Nextcloud, git).",
    no_args_is_help=True,
)

SpacePath = Annotated[Path, typer.Argument(metavar="PATH", help="The shared folder.")]
SpaceName = Annotated[str, typer.Argument(metavar="SPACE", help="The space's name.")]


@space_app.command("create")
def create(
    ctx: typer.Context,
    path: SpacePath,
    name: Annotated[
        str, typer.Option("--name", metavar="NAME", help="A short name, e.g. sam-and-alex.")
    ],
) -> None:
    """Make a folder a new space (created if missing) and join it."""
    from peerlog.actions.spaces import create_space
    from peerlog.render import messages

    env = get_env(ctx)
    info = create_space(env.home, path, name, now=env.now())
    messages.info(f"Created space {info.name} in {info.path}.")
    messages.info("Share this folder with your peers; each of them runs `peerlog space join PATH`.")


@space_app.command("join")
def join(
    ctx: typer.Context,
    path: SpacePath,
    alias: Annotated[
        str | None,
        typer.Option("--as", metavar="NAME", help="Your own name for it, if you have a clash."),
    ] = None,
) -> None:
    """Join a space that a peer created (once its folder has synced here)."""
    from peerlog.actions.spaces import join_space
    from peerlog.render import messages

    env = get_env(ctx)
    info = join_space(env.home, path, now=env.now(), alias=alias)
    messages.info(f"Joined space {alias or info.name} ({info.path}).")
    messages.info(f'Write to it with `peerlog write --space {alias or info.name} "..."`.')


@space_app.command("list")
def list_spaces(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List the spaces you have joined."""
    from peerlog.store import load_identity
    from peerlog.store.home import registered_spaces

    env = get_env(ctx)
    load_identity(env.home)
    spaces = sorted(registered_spaces(env.home).values(), key=lambda ref: ref.name)
    if as_json:
        from peerlog.render.json import print_json

        print_json([{"name": r.name, "path": str(r.path), "id": r.id} for r in spaces])
        return
    from peerlog.render.console import make_console
    from peerlog.render.space import print_space_list

    print_space_list(make_console(), spaces)


@space_app.command("show")
def show(ctx: typer.Context, name: SpaceName, as_json: JsonFlag = False) -> None:
    """Show a space: members, their devices, last activity, clock warnings."""
    from peerlog.actions.spaces import describe_space
    from peerlog.fold.space import skewed_devices
    from peerlog.render import messages

    env = get_env(ctx)
    report = describe_space(env.home, name)
    for note in report.notes:
        messages.warning(note)
    for problem in report.problems:
        messages.skipped(report.ref.path, problem.path, problem.reason)
    skewed = skewed_devices(report.members, env.now())
    if as_json:
        from peerlog.render.json import print_json, space_json

        print_json(space_json(report, skewed))
        return
    from peerlog.render.console import make_console
    from peerlog.render.space import print_space

    print_space(make_console(), report, skewed)


@space_app.command("agree")
def agree(
    ctx: typer.Context,
    name: SpaceName,
    topic: Annotated[str, typer.Argument(metavar="TOPIC", help="What to agree on: cadence.")],
    value: Annotated[
        str, typer.Argument(metavar="VALUE", help="For cadence: 2d, 3 days, 1w, daily, weekly.")
    ],
) -> None:
    """Propose or accept a space agreement, e.g. how often to check in.

    It holds when every member has said the same; until then the old agreement stands.
    """
    from peerlog.actions.dialogue import agree as agree_action
    from peerlog.actions.dialogue import agreement
    from peerlog.actions.spaces import open_space
    from peerlog.render import messages

    env = get_env(ctx)
    session = open_space(env.home, name)
    agree_action(session, topic, value, now=env.now())
    view = agreement(session, topic)
    if view.waiting_for:
        messages.info(f"You said {topic} {value}; waiting for {', '.join(view.waiting_for)}.")
    else:
        messages.info(f"Agreed by everyone: {topic} {view.in_force}.")
