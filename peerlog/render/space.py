"""Human views of spaces."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from peerlog.fold.space import DeviceView
from peerlog.render.console import safe_line
from peerlog.render.journal import format_when, plural

if TYPE_CHECKING:
    from peerlog.reports import SpaceReport
    from peerlog.store.home import SpaceRef


def print_space_list(console: Console, spaces: Sequence[SpaceRef]) -> None:
    if not spaces:
        console.print(Text("No spaces yet. `peerlog space create PATH --name NAME` makes one."))
        return
    for ref in spaces:
        console.print(
            Text.assemble((ref.name, "bold"), "  ", safe_line(str(ref.path), style="dim"))
        )


def _ahead(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def print_space(
    console: Console, report: SpaceReport, skewed: Sequence[tuple[str, DeviceView, timedelta]]
) -> None:
    info = report.info
    console.print(Text(f"Space {report.ref.name}", style="bold"))
    console.print(safe_line(f"{report.ref.path}", style="dim"))
    if info is not None:
        made = f"created by {info.created_by} on {format_when(info.created)}"
        console.print(safe_line(made, style="dim"))
    console.print()
    if not report.members:
        console.print(Text("No members have written here yet."))
    for member in report.members:
        name = safe_line(member.name or "(profile not synced yet)", style="bold")
        seen = member.last_activity
        active = f"  last active {format_when(seen)}" if seen is not None else ""
        who = safe_line(member.member, style="magenta")
        console.print(Text.assemble(name, "  ", who, (active, "dim")))
        for device in member.devices:
            last = format_when(device.last)
            text = f"  device {device.device}: {plural(device.records, 'record')}, last {last}"
            console.print(Text(text, style="dim"))
    _print_keys(console, report)
    for topic, agreement in sorted(report.agreements.items()):
        console.print()
        proposed = ""
        if agreement.waiting_for and agreement.proposed:
            waiting = ", ".join(agreement.waiting_for)
            proposed = f" (proposed: {agreement.proposed}; waiting for {waiting})"
        in_force = agreement.in_force or "nothing yet"
        agreed = safe_line(f"Agreed {topic}: ", style="bold")  # a partner's words: sanitised
        console.print(Text.assemble(agreed, safe_line(in_force), safe_line(proposed, style="dim")))
    for member_id, device, ahead in skewed:
        console.print()
        console.print(
            safe_line(
                f"Clock warning: {member_id}'s device {device.device} wrote a record dated "
                f"{_ahead(ahead)} ahead of this machine's clock. One of the two clocks is wrong; "
                "order is kept by logical clocks, but dates shown may look odd.",
                style="yellow",
            )
        )


_STATUS = {
    "trusted": "counts",
    "waiting": "waiting: not admitted or approved",
    "revoked": "revoked",
}


def _print_keys(console: Console, report: SpaceReport) -> None:
    """Each key seen here, its fingerprint and whether it counts."""
    membership = report.membership
    console.print()
    if report.ref.sealed:
        console.print(
            Text(
                "Sealed: every record but who is in the space is encrypted for its members.",
                style="bold",
            )
        )
    if membership.secured:
        console.print(
            Text("Secured: only records signed by admitted members' devices count.", style="bold")
        )
    else:
        console.print(
            Text(
                "Not secured yet: the creator and another member have not admitted each other "
                "(`peerlog space admit MEMBER`). Until then anyone who can write to the folder "
                "can write in any member's name.",
                style="yellow",
            )
        )
    for key in membership.keys:
        status = _STATUS.get(key.status, key.status)
        admitted = f"; admitted by {', '.join(key.admitted_by)}" if key.admitted_by else ""
        mine = "  (this device)" if (key.member, key.device, key.key) == report.me else ""
        line = Text.assemble(
            safe_line(key.member, style="magenta"),
            safe_line(f" device {key.device} ", style="dim"),
            (report.fingerprint(key.key), "bold"),
            (f"  {status}", "dim"),
            safe_line(admitted, style="dim"),
            (mine, "dim"),
        )
        console.print(line)
