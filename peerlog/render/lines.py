"""Styled output without Rich's console, for the everyday views (`list`, `show`, `due`, `tags`).

Importing Rich's console and text costs 29 ms of CPU here (measured again with the SQLite
index; this goes when it no longer saves 10 ms), over a quarter of an everyday command's
budget, and these views are lines with a few styles on whole pieces. A `Terminal` decides what
Rich would decide for the same stream and environment: styles only on a terminal
(`FORCE_COLOR` and `TTY_COMPATIBLE` override), none on `TERM=dumb`, no colours with `NO_COLOR`
(bold and dim stay), and the width from the terminal or `COLUMNS`. Lines are wrapped between
words and cut as Rich wraps and cuts them; text of characters one cell wide (ASCII, most
Latin, Greek and Cyrillic, the marks peerlog prints) is measured here, other text by Rich's
cell tables (`rich.cells`, 2 ms, loaded only then). Styles are plain SGR sequences; nothing of
the text can add its own, because every piece of untrusted text goes through the sanitiser.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import TYPE_CHECKING, TextIO

from peerlog.classes import dataclass
from peerlog.render.sanitize import clean_line, clean_terminal_text

if TYPE_CHECKING:
    from rich.text import Text

_ATTRIBUTES = {"bold": "1", "dim": "2", "italic": "3", "underline": "4"}
_COLOURS = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36"}


@dataclass(frozen=True, slots=True)
class Terminal:
    """Where lines go, how wide it is, and whether it shows styles and colours."""

    out: TextIO
    width: int
    styled: bool
    coloured: bool

    @classmethod
    def detect(
        cls, out: TextIO | None = None, environ: Mapping[str, str] | None = None
    ) -> Terminal:
        """The terminal (or pipe, or file) standard output is: decided as Rich decides."""
        out = sys.stdout if out is None else out
        env = os.environ if environ is None else environ
        terminal = _is_terminal(out, env)
        dumb = terminal and env.get("TERM", "").lower() in ("dumb", "unknown")
        # Windows consoles may not understand SGR without Rich's set-up: plain there.
        styled = terminal and not dumb and sys.platform != "win32"
        coloured = styled and env.get("NO_COLOR", "") == ""
        return cls(out, _width(env, dumb=dumb), styled, coloured)

    def paint(self, text: str, style: str) -> str:
        """`text` (already safe) in `style`: words from bold, dim, italic, underline and six
        colour names, written as Rich writes them (attributes first, then the colour)."""
        if not style or not self.styled or not text:
            return text
        words = style.split()
        codes = [code for word, code in _ATTRIBUTES.items() if word in words]
        if self.coloured:
            codes += [code for word, code in _COLOURS.items() if word in words]
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes else text

    def write(self, lines: Iterable[Line]) -> None:
        """Each line on its own output line (wrapped at words if wider than the terminal, as
        Rich wraps it), all in one write."""
        width = self.width
        self.out.write(
            "".join(part.render(self) + "\n" for line in lines for part in line.wrapped(width))
        )
        self.out.flush()


class Line:
    """One line of output: pieces of text, each with a style. Untrusted text goes in through
    `add_safe`, which cleans it and folds it onto the line."""

    __slots__ = ("pieces",)

    def __init__(self, text: str = "", style: str = "") -> None:
        self.pieces: list[tuple[str, str]] = [(text, style)] if text else []

    def add(self, text: str, style: str = "") -> Line:
        """Append text of our own (never a partner's, never user input). Empty text adds no
        piece, as in Rich, so a cut never takes its style from nothing."""
        if text:
            self.pieces.append((text, style))
        return self

    def add_safe(self, text: str, style: str = "") -> Line:
        """Append untrusted text, made inert and put on one line."""
        return self.add(clean_line(text), style)

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.pieces)

    def fits(self, width: int) -> bool:
        return cells(self.plain) <= width

    def fit(self, width: int) -> Line:
        """Cut to `width` cells with an ellipsis, as Rich's `truncate(overflow="ellipsis")`."""
        if self.fits(width):
            return self
        return self._crop(width - 1, "…")

    def wrapped(self, width: int) -> list[Line]:
        """The line in lines of at most `width` cells, broken between words (a word too long
        for a line is folded), as Rich's `Text.wrap` breaks it."""
        if self.fits(width):
            return [self]
        plain = self.plain
        cuts = [0, *_breaks(plain, width), len(plain)]
        lines = []
        for start, end in pairwise(cuts):
            line = self._between(start, end)
            excess = (end - start) - width  # Rich's rstrip_end: spaces past the width go
            if excess > 0:
                spaces = len(line.plain) - len(line.plain.rstrip())
                line = line._between(0, end - start - min(spaces, excess))
            lines.append(line if line.fits(width) else line._crop(width, ""))
        return lines

    def _between(self, start: int, end: int) -> Line:
        """The characters from `start` to `end`, keeping each piece's style."""
        part, offset = Line(), 0
        for text, style in self.pieces:
            low, high = max(start, offset), min(end, offset + len(text))
            if low < high:
                part.add(text[low - offset : high - offset], style)
            offset += len(text)
        return part

    def _crop(self, room: int, tail: str) -> Line:
        """The first `room` cells (a wide character cut in two becomes a space), then `tail`."""
        plain = self.plain
        if single_cells(plain):
            cut = plain[:room].ljust(room)
        else:
            from rich.cells import set_cell_size

            cut = set_cell_size(plain, room)  # as Rich cuts the line (zero-width marks stay)
        keep = 0
        while keep < len(cut) and keep < len(plain) and cut[keep] == plain[keep]:
            keep += 1
        kept = self._between(0, keep)
        ending = cut[keep:] + tail  # a space for half a wide character, then the tail
        if not kept.pieces:
            return Line().add(ending, self.pieces[0][1] if self.pieces else "")
        text, style = kept.pieces.pop()
        return kept.add(text + ending, style)

    def render(self, terminal: Terminal) -> str:
        return "".join(terminal.paint(text, style) for text, style in self.pieces)

    def to_text(self) -> Text:
        """The same line as Rich Text, for views Rich lays out."""
        from rich.text import Text

        return Text.assemble(*self.pieces)


def text_lines(text: str, width: int, *, indent: str = "") -> list[Line]:
    """Untrusted text of any number of lines, made inert, each line wrapped between words to
    `width` cells with `indent` before every line it makes (tabs stop every 8 columns, as in
    Rich)."""
    room = max(width - cells(indent), 1)
    lines = []
    for raw in clean_terminal_text(text).split("\n"):
        for part in Line(_expand_tabs(raw)).wrapped(room):
            line = Line(indent)
            line.pieces += part.pieces
            lines.append(line)
    return lines


# Characters one cell wide for Rich as for terminals: the ranges `rich.cells` takes without
# looking (Latin, Greek, Cyrillic, box drawing and shapes, braille), the dashes, quotes and
# ellipsis of general punctuation, and the marks peerlog's own views print. Text of these
# alone is measured by its length; other text by Rich's tables.
_SINGLE_CELLS = (
    "[\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2010-\u2027\u2500-\u25fc\u2800-\u28ff"
    "\u2192\u21a9\u21b3\u21ba\u2605\u263c\u2709\u2713]*"
)


def single_cells(text: str) -> bool:
    """Whether every character of `text` takes one cell."""
    if text.isascii():  # printable ASCII is \x20-\x7e: no pattern to compile
        return text.isprintable()
    return re.fullmatch(_SINGLE_CELLS, text) is not None  # compiled once, by `re`'s cache


def _expand_tabs(line: str) -> str:
    """Each tab as the spaces to the next multiple of 8 cells (Rich's `Text.expand_tabs`)."""
    if "\t" not in line:
        return line
    *parts, last = line.split("\t")
    done: list[str] = []
    column = 0  # counted as it goes: measuring all that is done at each tab takes n² steps
    for part in parts:
        column += cells(part)
        stop = 8 - column % 8
        done += [part, " " * stop]
        column += stop
    return "".join(done) + last


def cells(text: str) -> int:
    """How many terminal cells `text` takes, as Rich measures it."""
    if single_cells(text):  # one cell a character: nothing to measure
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


_WORD = r"\s*\S+\s*"  # a word with the spaces around it, as Rich divides a line


def _breaks(plain: str, width: int) -> list[int]:
    """Where to break `plain` into lines of at most `width` cells, between words, a word too
    long for a line folded: Rich's `divide_line(fold=True)`."""
    breaks: list[int] = []
    if plain.isspace():  # no word: Rich breaks nowhere (and the pattern would take n² steps)
        return breaks
    offset = 0  # cells used on the current line
    for match in re.finditer(_WORD, plain):  # compiled on first use (0.5 ms), then cached
        start, word = match.start(), match.group()
        length = cells(word.rstrip())
        if width - offset >= length:
            offset += cells(word)
        elif length > width:  # folded across lines
            pieces = _chop(word, width)
            for piece in pieces:
                if start:
                    breaks.append(start)
                start += len(piece)
            offset = cells(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = cells(word)
    return breaks


def _chop(word: str, width: int) -> list[str]:
    """`word` in pieces of at most `width` cells (Rich's `chop_cells`)."""
    if single_cells(word):
        return [word[at : at + width] for at in range(0, len(word), width)]
    from rich.cells import chop_cells

    return chop_cells(word, width)


def _is_terminal(out: TextIO, env: Mapping[str, str]) -> bool:
    compatible = env.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = env.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return out.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def _width(env: Mapping[str, str], *, dumb: bool) -> int:
    columns, lines = env.get("COLUMNS", ""), env.get("LINES", "")
    if columns.isdigit() and lines.isdigit():  # a size set in full is taken as it is
        return int(columns)
    if dumb:
        return 80
    if columns.isdigit():
        return int(columns) or 80
    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns or 80
        except (OSError, ValueError):
            continue
    return 80
