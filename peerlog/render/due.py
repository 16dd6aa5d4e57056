"""What is due, as lines (`render.lines`): `due` and bare `peerlog` print them without Rich's
console; the summary prints the same lines in its own layout."""

from __future__ import annotations

from collections.abc import Sequence

from peerlog.fold.due import DueItem
from peerlog.render.lines import Line

DUE_MARK = {
    "answer-goal": "?",
    "confirm-done": "✓",
    "checkin": "☼",
    "reply": "↩",
    "behind": "→",
    "agreement": "?",
    "reopened": "↺",
    "replied": "✉",
}
BRIEF = 5  # items shown by bare `peerlog` and the summary


def due_lines(items: Sequence[DueItem], *, brief: bool = False) -> list[Line]:
    if not items:
        return [Line("Nothing is waiting for you. Take care.", "green")]
    shown = items[:BRIEF] if brief else items
    lines = []
    for item in shown:
        line = Line(f"{DUE_MARK.get(item.kind, '•')} ", "bold yellow").add_safe(item.text)
        ref = "" if item.ref == item.space else f", {item.ref[:12]}"
        line.add("  (", "dim").add_safe(f"{item.space or 'private'}{ref}", "dim").add(")", "dim")
        lines.append(line)
    if brief and len(items) > len(shown):
        lines.append(Line(f"… and {len(items) - len(shown)} more: peerlog due", "dim"))
    return lines
