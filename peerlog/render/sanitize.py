"""Making untrusted text inert before it reaches a terminal (DESIGN §6).

Strips C0 controls except newline and tab, DEL, C1 controls, bidi embedding/override/isolate
characters, invisible zero-width characters (keeping the joiners text needs), the tag characters
(U+E0000–E007F, which can smuggle hidden ASCII), the soft hyphen and the blank "filler" letters
that render as nothing (Hangul fillers U+115F, U+1160, U+3164, U+FFA0, and the like). ESC is a C0
control, so ANSI CSI and OSC sequences lose their introducer and show as harmless text. The
braille blank U+2800 stays: it is a visible cell on a braille display and takes a column on
screen, like a space. Pure and Rich-free: error messages use it too.
"""

from __future__ import annotations

import re

_STRIP = (
    [c for c in range(0x20) if c not in (0x09, 0x0A)]
    + [0x7F]
    + list(range(0x80, 0xA0))
    + [0x061C, 0x200E, 0x200F]  # bidi marks
    + list(range(0x202A, 0x202F))  # bidi embeddings and overrides
    + list(range(0x2066, 0x206A))  # bidi isolates
    # Zero-width characters that only hide things. ZWJ and ZWNJ (U+200D, U+200C) stay: emoji
    # sequences and scripts such as Persian need them, and they cannot steer a terminal.
    + [0x200B, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2065, 0xFEFF]
    # Characters that draw nothing, so a name or title can look like another or hide text:
    # soft hyphen, combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian
    # vowel separator, interlinear annotation marks, invisible musical formatting, tag chars.
    + [0x00AD, 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFFA0]
    + list(range(0xFFF9, 0xFFFC))
    + list(range(0x1D173, 0x1D17B))
    + list(range(0xE0000, 0xE0080))
)
_TABLE: dict[int, None] = dict.fromkeys(_STRIP)
_SPACES = re.compile(r"\s+")


def clean_terminal_text(text: str) -> str:
    """`text` with every character that could steer a terminal removed."""
    return text.translate(_TABLE)


def clean_line(text: str) -> str:
    """Like `clean_terminal_text`, folded onto one line (for headers and one-line previews).

    Runs of white space become one space; a leading or trailing space is kept as one, so
    pieces of a line can be joined without losing the space between them.
    """
    return _SPACES.sub(" ", clean_terminal_text(text))


def _json_escape(code: int) -> str:
    """`\\uXXXX`, or the surrogate pair JSON spells a character beyond U+FFFF with."""
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


# For JSON: the same characters as \uXXXX escapes, which decode to exactly the same text but
# cannot steer a terminal when someone runs `--json` interactively. (JSON already escapes C0.)
_JSON_ESCAPES: dict[int, str] = {c: _json_escape(c) for c in _STRIP if c >= 0x20}


def escape_for_json_output(json_text: str) -> str:
    """Escape invisible and control characters in serialised JSON; the data stays identical.
    (Of ASCII, JSON leaves only DEL unescaped: ASCII text is looked at in one pass of C.)"""
    if json_text.isascii() and "\x7f" not in json_text:
        return json_text
    return json_text.translate(_JSON_ESCAPES)
