"""`doctor` output: each finding with what it means and what to do."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from peerlog.render.console import safe_line
from peerlog.render.journal import plural

if TYPE_CHECKING:
    from peerlog.reports import DoctorReport


def print_doctor(console: Console, report: DoctorReport) -> None:
    for checked in report.checked:
        records = plural(checked.records, "record")
        scope, root = safe_line(checked.scope), safe_line(checked.root, style="dim")
        console.print(Text.assemble(("checked ", "dim"), scope, (f": {records} in ", "dim"), root))
    if report.cleaned:
        console.print(Text(f"Removed {report.cleaned} stale temp file(s).", style="green"))
    if not report.findings:
        console.print(Text("All good: nothing needs your attention.", style="green"))
        return
    console.print()
    for finding in report.findings:
        scope = safe_line(finding.scope, style="dim")
        console.print(Text.assemble((finding.kind, "bold yellow"), "  ", scope))
        console.print(safe_line(finding.path, style="cyan"))
        console.print(Text.assemble("  ", safe_line(finding.message)))
        console.print(Text.assemble("  → ", safe_line(finding.advice, style="dim")))
        console.print()
    count = len(report.findings)
    verb = "needs" if count == 1 else "need"
    console.print(Text(f"{plural(count, 'finding')} {verb} attention.", style="bold"))


def doctor_json(report: DoctorReport) -> dict[str, Any]:
    return {
        "ok": not report.findings,
        "findings": [asdict(f) for f in report.findings],
        "checked": [asdict(c) for c in report.checked],
        "cleaned": report.cleaned,
    }
