"""What every listing command says about where it looked: the one rule for empty results and
for lists cut short. Rich-free lines (`render.lines`), so `list` stays fast.

Owns the wording of "No entries in your private journal", the pointer to `--space`/`--all`
when other journals hold some, and the "N more" line under a page. Must never read anything:
the counts are handed in.
"""

from __future__ import annotations

from collections.abc import Sequence

from peerlog.render.lines import Line

_ONE = {"entries": "entry", "check-ins": "check-in", "resources": "resource", "tags": "tag"}


def scope_label(spaces: Sequence[str | None]) -> str:
    """The journals a command read, in words: `None` is the private journal."""
    named = [f"space {name}" for name in spaces if name]
    private = ["your private journal"] if any(name is None for name in spaces) else []
    parts = private + named
    if len(parts) > 2:
        return f"{parts[0]} and {len(parts) - 1} spaces"
    return " and ".join(parts) or "no journal"


def nothing_found(
    noun: str,
    spaces: Sequence[str | None],
    *,
    filtered: bool,
    elsewhere: Sequence[tuple[str, int]] = (),
) -> list[Line]:
    """The lines for an empty listing: which journals were read, and, when others (spaces not
    read) hold some, how to see them. `elsewhere` is (space, count) for those journals."""
    where = scope_label(spaces)
    head = f"No {noun} in {where} match." if filtered else f"No {noun} in {where} yet."
    lines = [Line(head, "dim")]
    others = [(name, count) for name, count in elsewhere if count]
    if others:
        match = (" that match", " that matches") if filtered else ("", "")
        held = ", ".join(
            f"{name} has {count} {noun if count != 1 else _ONE.get(noun, noun)}{match[count == 1]}"
            for name, count in others
        )
        lines.append(
            Line("  ", "dim")
            .add_safe(held, "dim")
            .add(": add ", "dim")
            .add_safe(f"--space {others[0][0]}", "dim")
            .add(" or --all to see them.", "dim")
        )
    return lines


def more_line(noun: str, shown: int, total: int, *, order: str = "newest") -> Line:
    """Under a page cut short: how many more there are and how to see them (`order`: how the
    page is sorted, newest or best)."""
    return Line(
        f"Showing the {order} {shown} of {total} {noun}; add -n {total} to see them all.", "dim"
    )
