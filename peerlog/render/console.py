"""Rich consoles and safe Text, created per command (colour detection happens at creation)."""

from __future__ import annotations

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
