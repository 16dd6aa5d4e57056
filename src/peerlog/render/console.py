"""Rich consoles and safe Text, created per command (colour detection happens at creation)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from peerlog.render.sanitize import clean_line, clean_terminal_text


def make_console() -> Console:
    """A console on stdout: NO_COLOR, COLUMNS and a non-terminal stdout are honoured by Rich.

    Markup, emoji codes and highlighting are off, so no text can style itself.
    """
    return Console(highlight=False, markup=False, emoji=False)


def safe_text(text: str, style: str = "") -> Text:
    """Untrusted text as inert Rich Text."""
    return Text(clean_terminal_text(text), style=style)


def safe_line(text: str, style: str = "") -> Text:
    """Untrusted text as inert Rich Text on one line."""
    return Text(clean_line(text), style=style)


def print_lines(console: Console, lines: Sequence[Text]) -> None:
    """Print many one-line Texts fast.

    Where Rich would write plain text anyway (not a terminal, no colour), lines of narrow
    characters that fit the width are written directly: rendering thousands of lines through
    Rich costs seconds. Any other line (wide characters, too long to fit) still goes through
    Rich, so wrapping and cell widths stay right.
    """
    if console.is_terminal or console.color_system is not None:
        console.print(Text("\n").join(lines))
        return
    width, out, pending = console.width, console.file, []
    for line in lines:
        plain = line.plain
        # ASCII (and the ellipsis truncation adds) is one cell a character; anything else is
        # measured the way Rich measures it.
        narrow = plain.isascii() or plain.replace("…", "").isascii()
        if len(plain) <= width and (narrow or cell_len(plain) <= width):
            pending.append(plain)
            continue
        if pending:
            out.write("\n".join(pending) + "\n")
            pending = []
        console.print(line)
    if pending:
        out.write("\n".join(pending) + "\n")
    out.flush()
