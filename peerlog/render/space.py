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
        line = Text(ref.name, style="bold")
        line.append("  ")
        line.append_text(safe_line(str(ref.path), style="dim"))
        console.print(line)


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
        created = Text("created by ", style="dim")
        created.append_text(safe_line(info.created_by, style="dim"))
        created.append(f" on {format_when(info.created)}", style="dim")
        console.print(created)
    console.print()
    if not report.members:
        console.print(Text("No members have written here yet."))
    for member in report.members:
        line = safe_line(member.name or "(profile not synced yet)", style="bold")
        line.append("  ")
        line.append_text(safe_line(member.member, style="magenta"))
        if member.last_activity is not None:
            line.append(f"  last active {format_when(member.last_activity)}", style="dim")
        console.print(line)
        for device in member.devices:
            last = format_when(device.last)
            text = f"  device {device.device}: {plural(device.records, 'record')}, last {last}"
            console.print(Text(text, style="dim"))
    _print_keys(console, report)
    for topic, agreement in sorted(report.agreements.items()):
        console.print()
        line = Text("Agreed ", style="bold")
        line.append_text(safe_line(topic, style="bold"))  # a partner's words: sanitised
        line.append(": ", style="bold")
        line.append_text(safe_line(agreement.in_force or "nothing yet"))
        if agreement.waiting_for and agreement.proposed:
            waiting = ", ".join(agreement.waiting_for)
            proposed = f" (proposed: {agreement.proposed}; waiting for {waiting})"
            line.append_text(safe_line(proposed, style="dim"))
        console.print(line)
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
        line = safe_line(key.member, style="magenta")
        line.append_text(safe_line(f"  device {key.device}  ", style="dim"))
        line.append(report.fingerprint(key.key), style="bold")
        line.append(f"  {_STATUS.get(key.status, key.status)}", style="dim")
        if key.admitted_by:
            line.append_text(safe_line(f"; admitted by {', '.join(key.admitted_by)}", style="dim"))
        if (key.member, key.device, key.key) == report.me:
            line.append("  (this device)", style="dim")
        console.print(line)
