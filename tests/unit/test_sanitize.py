"""The terminal sanitiser (DESIGN §6): nothing that can steer a terminal gets through."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerlog.render.sanitize import clean_line, clean_terminal_text

C0_STRIPPED = [c for c in range(0x20) if c not in (0x09, 0x0A)]
C1 = list(range(0x80, 0xA0))
BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]
ZERO_WIDTH = [0x200B, 0x2060, 0xFEFF]
# Joiners stay: emoji sequences and scripts such as Persian need them.
JOINERS = [0x200C, 0x200D]
# Characters that draw nothing: tag characters smuggle hidden ASCII, fillers fake blank names.
INVISIBLE = [
    *range(0xE0000, 0xE0080),
    0x00AD,
    0x034F,
    0x115F,
    0x1160,
    0x17B4,
    0x17B5,
    0x180E,
    0x3164,
    0xFFA0,
    0x2065,
    *range(0xFFF9, 0xFFFC),
    *range(0x1D173, 0x1D17B),
]
FORBIDDEN = frozenset([*C0_STRIPPED, 0x7F, *C1, *BIDI, *ZERO_WIDTH, *INVISIBLE])


@pytest.mark.parametrize("code", sorted(FORBIDDEN), ids=lambda c: f"U+{c:04X}")
def test_each_forbidden_code_point_is_removed(code: int) -> None:
    assert clean_terminal_text(f"a{chr(code)}b{chr(code)}") == "ab"


def test_the_braille_blank_is_kept() -> None:
    # U+2800 takes a column and shows on a braille display: visible enough, and people use it.
    assert clean_terminal_text("a\u2800b") == "a\u2800b"


def test_tag_characters_cannot_smuggle_hidden_words() -> None:
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "ignore this")
    assert clean_line(f"hello{hidden} there") == "hello there"


def test_json_escapes_astral_invisible_characters_as_surrogate_pairs() -> None:
    import json

    from peerlog.render.sanitize import escape_for_json_output

    text = "a\U000e0041b\u3164c"
    escaped = escape_for_json_output(json.dumps(text, ensure_ascii=False))
    assert "\\udb40\\udc41" in escaped and "\\u3164" in escaped
    assert json.loads(escaped) == text


def test_newline_and_tab_are_kept() -> None:
    assert clean_terminal_text("one\ttwo\nthree\n") == "one\ttwo\nthree\n"


def test_carriage_return_cannot_overwrite_a_line() -> None:
    assert clean_terminal_text("harmless\rEVIL") == "harmlessEVIL"


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("\x1b[2J\x1b[31mred\x1b[0m", "[2J[31mred[0m"),
        ("\x1b]0;pwned title\x07", "]0;pwned title"),
        (
            "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
            "]8;;https://evil.example\\link]8;;\\",
        ),
        ("\x9b31mC1\x9d", "31mC1"),
        ("\u202eevil\u202c", "evil"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("bell\x07", "bell"),
    ],
)
def test_escape_sequences_lose_their_introducer(hostile: str, expected: str) -> None:
    assert clean_terminal_text(hostile) == expected


@pytest.mark.parametrize(
    "text",
    [
        "plain ASCII, with punctuation!?",
        "emoji 🎉🌱❤️ and a flag 🇳🇱",
        "CJK 日本語のテキスト 中文 한국어",
        "accents café naïve Ångström Zoë",
        "decomposed cafe\u0301",
        "Arabic مرحبا and Hebrew שלום",
        "Devanagari हिंदी, Tamil தமிழ்",
        "math ∑ ≤ ≥ → ∞, currency € £ ¥",
        "non-breaking\u00a0space and the braille\u2800blank",
        "[bold red]markup is just text[/]",
        "",
    ],
)
def test_ordinary_unicode_is_untouched(text: str) -> None:
    assert clean_terminal_text(text) == text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",))))
def test_output_never_contains_a_forbidden_code_point(text: str) -> None:
    cleaned = clean_terminal_text(text)
    assert not {ord(ch) for ch in cleaned} & FORBIDDEN


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from([*map(chr, sorted(FORBIDDEN)), "a", "é", "日", "\n", "\t"])).map(
        "".join
    )
)
def test_only_forbidden_code_points_are_removed(text: str) -> None:
    cleaned = clean_terminal_text(text)
    assert cleaned == "".join(ch for ch in text if ord(ch) not in FORBIDDEN)


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_cleaning_is_idempotent(text: str) -> None:
    once = clean_terminal_text(text)
    assert clean_terminal_text(once) == once


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",))))
def test_clean_line_is_one_line_without_forbidden_code_points(text: str) -> None:
    line = clean_line(text)
    assert "\n" not in line and "\t" not in line
    assert not {ord(ch) for ch in line} & FORBIDDEN
    assert "  " not in line  # every run of white space is one space


def test_clean_line_folds_whitespace_and_keeps_one_space_at_the_ends() -> None:
    # One space is kept at either end so that pieces of a line join with their spacing.
    assert clean_line("  two\n\nlines\tand  spaces\x1b ") == " two lines and spaces "
    assert clean_line("plain") == "plain"


@pytest.mark.parametrize("code", JOINERS, ids=lambda c: f"U+{c:04X}")
def test_joiners_are_kept(code: int) -> None:
    assert clean_terminal_text(f"a{chr(code)}b") == f"a{chr(code)}b"


def test_emoji_sequences_and_persian_survive() -> None:
    for text in ("👩‍💻 coder", "می‌خواهم"):
        assert clean_terminal_text(text) == text
