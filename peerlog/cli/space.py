"""`peerlog space …`: create, join, list and show shared spaces."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from peerlog.cli.context import get_env
from peerlog.cli.options import JsonFlag, WhichSpace, Yes, fingerprint_option
from peerlog.cli.written import warn_if_not_counted
from peerlog.errors import NothingDone, UsageError
from peerlog.render import messages

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
        str | None,
        typer.Option(
            "--name",
            metavar="NAME",
            help="A short name, e.g. sam-and-alex (default: the folder's name).",
        ),
    ] = None,
    sealed: Annotated[
        bool,
        typer.Option(
            "--sealed",
            help="Encrypt every record for the space's admitted members: the folder, the sync "
            "tool and its provider see only who wrote when, never what.",
        ),
    ] = False,
) -> None:
    """Make a folder a new space (created if missing) and join it.

    A sealed space (--sealed) encrypts every entry, check-in, reply, goal and resource for its
    members: each member is given the key when admitted (`peerlog space admit`), and the key
    changes when a member leaves or a device is revoked. See SECURITY.md.
    """
    from peerlog.actions.spaces import create_space, name_from_folder

    env = get_env(ctx)
    folder_name = name or name_from_folder(path)
    info = create_space(env.home, path, folder_name, now=env.now(), sealed=sealed)
    what = "sealed space" if sealed else "space"
    messages.info(f"Created {what} {info.name} in {info.path}.")
    messages.info("Share this folder with your peers; each of them runs `peerlog space join PATH`.")
    _fingerprints(env, info.name)


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

    env = get_env(ctx)
    info = join_space(env.home, path, now=env.now(), alias=alias)
    messages.info(f"Joined space {alias or info.name} ({info.path}).")
    messages.info(f'Write to it with `peerlog write --space {alias or info.name} "..."`.')
    _fingerprints(env, alias or info.name)


def _fingerprints(env: Any, name: str) -> None:
    """My fingerprint in the space, and how the members admit each other."""
    from peerlog.actions.spaces import describe_space

    report = describe_space(env.home, name)
    member, _, key = report.me
    messages.info(f"Your fingerprint in {name}: {report.fingerprint(key)}")
    creator = report.ref.creator
    if creator and creator != member and report.ref.creator_key:
        messages.info(
            f"{creator} (who created it) has the fingerprint "
            f"{report.fingerprint(report.ref.creator_key)}."
        )
    if member not in report.membership.members:
        messages.info(
            "Read your fingerprints to each other in person or on a call; each of you then runs "
            f"`peerlog space admit MEMBER --space {name}`. Until every member has admitted you, "
            'what you write here shows as "not yet admitted" once the space is secured, and '
            "counts for nothing that needs agreement."
        )
    elif key not in report.membership.trusted:
        messages.info(
            f"{member} is a member of {name} already: this device counts once one of "
            f"{member}'s devices that does approves it (`peerlog device approve --space {name}` "
            "there, after comparing this fingerprint). Until then nobody sees what it writes "
            "as yours."
        )


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
    from peerlog.actions.dialogue import agree, agreement
    from peerlog.actions.spaces import open_space

    env = get_env(ctx)
    session = open_space(env.home, name)
    record = agree(session, topic, value, now=env.now())
    view = agreement(session, topic)
    if view.waiting_for:
        messages.info(f"You said {topic} {value}; waiting for {', '.join(view.waiting_for)}.")
    else:
        messages.info(f"Agreed by everyone: {topic} {view.in_force}.")
    warn_if_not_counted(session, record)


@space_app.command("admit")
def admit(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(metavar="MEMBER", help="The member id to admit.")],
    space: WhichSpace = None,
    given: Annotated[str | None, fingerprint_option("their screen shows")] = None,
) -> None:
    """Admit a member after comparing fingerprints with them, in person or on a call.

    A member counts once every current member has admitted them; the space's creator and its
    first joiner admit each other, which secures the space.
    """
    from peerlog.actions.membership import admission_candidate, admit, pick_space
    from peerlog.fold.trust import fingerprint

    env = get_env(ctx)
    name = pick_space(env.home, space)
    key, space_id = admission_candidate(env.home, name, member, given)
    shown = fingerprint(key.key, space_id)
    if given is None:
        if not env.stdin_isatty:
            raise UsageError(
                f"Check {member}'s fingerprint with them first.",
                hint=f"It should read {shown}; pass it with --fingerprint once they confirm.",
            )
        messages.info(f"{member}'s device {key.device} has the fingerprint {shown}.")
        if not typer.confirm(f"Does {member}'s screen show exactly this?", default=False):
            raise NothingDone("Nothing saved: not admitted.")
    admit(env.home, name, key, now=env.now())
    messages.info(f"You admitted {member} ({shown}) in {name}.")


@space_app.command("upgrade")
def upgrade(ctx: typer.Context, space: WhichSpace = None) -> None:
    """Vouch for what this device wrote here before peerlog signed records (from 0.1).

    Run it once on each of your devices that wrote in the space. Once the space is secured,
    old unsigned records count only when their author vouched for them this way.
    """
    from peerlog.actions.membership import pick_space, vouch_for_old_records

    env = get_env(ctx)
    name = pick_space(env.home, space)
    count = vouch_for_old_records(env.home, name, now=env.now())
    if count:
        messages.info(f"Vouched for {count} unsigned records this device wrote in {name}.")
    else:
        messages.info(f"Nothing to vouch for: this device has no unsigned records in {name}.")


@space_app.command("leave")
def leave(
    ctx: typer.Context,
    space: WhichSpace = None,
    yes: Yes = False,
) -> None:
    """Leave a space: you step back from its goals, and your devices no longer speak there.

    What you wrote stays. Nobody can make another member leave. To come back, join from a
    new home and be admitted again.
    """
    from peerlog.actions.membership import leave, pick_space

    env = get_env(ctx)
    name = pick_space(env.home, space)
    if not yes:
        if not env.stdin_isatty:
            raise UsageError(f"Leaving {name} cannot be undone.", hint="Pass --yes to leave.")
        if not typer.confirm(f"Leave {name}? This cannot be undone.", default=False):
            raise NothingDone("Nothing saved: you are still in the space.")
    _, withdrawn = leave(env.home, name, now=env.now())
    goals = f" and stepped back from {withdrawn} goals" if withdrawn else ""
    messages.info(f"You left {name}{goals}. What you wrote there stays.")
