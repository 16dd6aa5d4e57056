"""`peerlog device …`: approve a new device of yours, revoke a lost one."""

from __future__ import annotations

from typing import Annotated

import typer

from peerlog.cli.context import get_env
from peerlog.cli.options import WhichSpace, fingerprint_option
from peerlog.errors import NothingDone, UsageError
from peerlog.render import messages

device_app = typer.Typer(
    name="device",
    help="Your devices in a space: approve a new one, revoke a lost one.",
    no_args_is_help=True,
)


@device_app.command("approve")
def approve(
    ctx: typer.Context,
    space: WhichSpace = None,
    given: Annotated[str | None, fingerprint_option("the new device shows")] = None,
) -> None:
    """Approve your new device, from a device of yours already trusted in the space.

    The new device shows its fingerprint when it joins (`peerlog space join`); compare it,
    then approve. Other members trust it without further steps.
    """
    from peerlog.actions.membership import approve, pick_space, waiting_devices
    from peerlog.fold.trust import fingerprint

    env = get_env(ctx)
    name = pick_space(env.home, space)
    key, space_id = waiting_devices(env.home, name, given)
    shown = fingerprint(key.key, space_id)
    if given is None:
        if not env.stdin_isatty:
            raise UsageError(
                "Compare the new device's fingerprint first.",
                hint=f"It should read {shown}; pass it with --fingerprint.",
            )
        messages.info(f"Device {key.device} has the fingerprint {shown}.")
        if not typer.confirm("Does the new device's screen show exactly this?", default=False):
            raise NothingDone("Nothing saved: not approved.")
    approve(env.home, name, key, now=env.now())
    messages.info(f"Approved your device {key.device} ({shown}) in {name}.")


@device_app.command("revoke")
def revoke(
    ctx: typer.Context,
    device: Annotated[str, typer.Argument(metavar="DEVICE", help="The lost device's id.")],
    space: WhichSpace = None,
) -> None:
    """Revoke a lost device of yours: what it signs from now on no longer counts."""
    from peerlog.actions.membership import pick_space, revocable, revoke

    env = get_env(ctx)
    name = pick_space(env.home, space)
    key = revocable(env.home, name, device)
    revoke(env.home, name, key, now=env.now())
    messages.info(f"Revoked your device {key.device} in {name}.")
