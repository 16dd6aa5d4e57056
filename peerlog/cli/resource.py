"""`peerlog resource …`: share what helped; mark what helped you too."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peerlog.cli.context import get_env
from peerlog.cli.options import AllOpt, JsonFlag, SpaceOpt, TagFilter, Tags
from peerlog.cli.written import warn_if_not_counted
from peerlog.render import messages

if TYPE_CHECKING:
    from peerlog.fold.resources import ResourceView

resource_app = typer.Typer(
    name="resource",
    help="A shared library of what helped: coping strategies, links, knowledge.",
    no_args_is_help=True,
)


@resource_app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(metavar="TITLE", help="What it is.")],
    url: Annotated[str, typer.Option("--url", metavar="URL", help="A link, if any.")] = "",
    note: Annotated[
        str, typer.Option("--note", metavar="TEXT", help="How it helped, or how to use it.")
    ] = "",
    tag: Tags = None,
    space: SpaceOpt = None,
) -> None:
    """Share something that helped (privately, or in a space with --space)."""
    from peerlog.actions.dialogue import add_resource
    from peerlog.actions.spaces import open_scopes

    env = get_env(ctx)
    session = open_scopes(env.home, space)[0]
    record = add_resource(session, title, now=env.now(), url=url, note=note, tags=tag or [])
    where = f" in space {session.space}" if session.space else ""
    messages.info(f"Saved resource {record.id}{where}.")
    warn_if_not_counted(session, record)


@resource_app.command("list")
def list_resources(
    ctx: typer.Context,
    tag: TagFilter = None,
    space: SpaceOpt = None,
    everything: AllOpt = False,
    as_json: JsonFlag = False,
) -> None:
    """List resources, newest first, with who they helped (never ranked).

    Reads your private journal; --space S reads one space, --all your journal and every space.
    """
    from peerlog.actions.dialogue import read_resources
    from peerlog.actions.spaces import elsewhere, names_of, open_scopes
    from peerlog.records.tags import tag_key

    env = get_env(ctx)
    sessions = open_scopes(env.home, space, everything)
    found, problems = read_resources(sessions)
    messages.skipped_files(problems)
    wanted = {tag_key(t.removeprefix("#")) for t in tag or ()}

    def matching(items: Sequence[tuple[Any, ResourceView]]) -> list[ResourceView]:
        return [v for _, v in items if wanted <= {tag_key(t) for t in v.resource.tags}]

    views = matching(found)
    if as_json:
        from peerlog.render.json import print_json, resource_json

        print_json([resource_json(v) for v in views])
        return
    if not views:
        from peerlog.render.lines import Terminal
        from peerlog.render.scope import nothing_found

        others = elsewhere(env.home, sessions, lambda s: len(matching(read_resources(s)[0])))
        spaces = [s.space for s in sessions]
        lines = nothing_found("resources", spaces, filtered=bool(wanted), elsewhere=others)
        Terminal.detect().write(lines)
        return
    from peerlog.fold import short_ids
    from peerlog.render.console import make_console
    from peerlog.render.dialogue import print_resources

    print_resources(make_console(), views, short_ids(v.id for v in views), names_of(sessions))


@resource_app.command("helped")
def helped(
    ctx: typer.Context,
    resource_id: Annotated[str, typer.Argument(metavar="ID", help="The resource's id (or start).")],
) -> None:
    """Mark that a resource helped you too."""
    from peerlog.actions.dialogue import find_resource, mark_helped, read_resources
    from peerlog.actions.spaces import open_scopes

    env = get_env(ctx)
    found, _ = read_resources(open_scopes(env.home, everything=True))
    session, view = find_resource(found, resource_id)
    mark_helped(session, view, now=env.now())
    messages.info(f"Marked '{view.resource.title}' as something that helped you.")
