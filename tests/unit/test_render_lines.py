"""Lines without Rich's console: the same decisions and the same bytes as Rich, side by side."""

from __future__ import annotations

import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from peerlog.render.journal import rule
from peerlog.render.lines import Line, Terminal, single_cells, text_lines
from peerlog.render.sanitize import clean_line, clean_terminal_text


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


ENVIRONMENTS = [
    {},
    {"TERM": "xterm-256color"},
    {"TERM": "dumb"},
    {"TERM": "unknown"},
    {"NO_COLOR": "1"},
    {"NO_COLOR": ""},
    {"FORCE_COLOR": "1"},
    {"FORCE_COLOR": ""},
    {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
    {"TTY_COMPATIBLE": "1"},
    {"FORCE_COLOR": "1", "NO_COLOR": "1"},
    {"FORCE_COLOR": "1", "TERM": "dumb"},
    {"FORCE_COLOR": "1", "TERM": "dumb", "LINES": "40"},
    {"TERM": "dumb", "LINES": "40"},
]
STYLES = ["", "bold", "dim", "cyan", "magenta", "green", "yellow", "bold yellow", "underline"]


def sample_lines() -> list[Line]:
    return [
        Line("Fri 20 Nov 2026 21:29", "bold").add("  ").add("01m7yjrg35zdt", "cyan"),
        Line("  ").add_safe("alex\x1b[31m", "magenta").add(" in ", "dim").add("pair", "magenta"),
        Line("→ ", "bold yellow").add_safe("'Walk': 1 of 3 this week so far.").add("  (", "dim"),
        Line("No entries match.", "dim"),
        Line("plain text, no style"),
        Line("  mood ").add("ok", "green").add("  (edited)", "dim").add("  @tag", "yellow"),
        Line("  ").add("underlined", "underline").add(" and ").add("italic", "italic"),
        Line("x ").add("  (", "dim").add_safe("pair, 01m7yjrg35zd", "dim").add(")", "dim"),
        # wider than the terminal: wrapped between words, a long word folded
        Line("Fri 20 Nov 2026 21:29", "bold")
        .add("  ")
        .add("01m7yjrg35zdt", "cyan")
        .add("  " + " ".join(f"@tag-number-{n}" for n in range(12)), "yellow"),
        Line("x" * 130 + " and then some more words ", "green").add("at the end   ", "dim"),
        Line("日本語のテキスト" * 9).add(" mixed with ascii", "magenta"),
    ]


def rich_output(stream: io.StringIO, environ: dict[str, str], lines: list[Line]) -> str:
    console = Console(file=stream, highlight=False, markup=False, emoji=False, _environ=environ)
    for line in lines:
        console.print(line.to_text())
    return stream.getvalue()


def ours(stream: io.StringIO, environ: dict[str, str], lines: list[Line]) -> str:
    Terminal.detect(stream, environ).write(lines)
    return stream.getvalue()


@pytest.mark.parametrize("environ", ENVIRONMENTS, ids=str)
@pytest.mark.parametrize("stream", [io.StringIO, FakeTerminal], ids=["pipe", "terminal"])
def test_bytes_match_rich_for_the_same_stream_and_environment(
    environ: dict[str, str], stream: type[io.StringIO]
) -> None:
    environ = {"COLUMNS": "100", **environ}
    lines = sample_lines()
    assert ours(stream(), environ, lines) == rich_output(stream(), environ, lines)


@pytest.mark.parametrize("environ", ENVIRONMENTS, ids=str)
@pytest.mark.parametrize("stream", [io.StringIO, FakeTerminal], ids=["pipe", "terminal"])
@pytest.mark.parametrize("columns", [{"COLUMNS": "100"}, {"COLUMNS": "33"}, {}], ids=str)
def test_decisions_match_rich(
    environ: dict[str, str], stream: type[io.StringIO], columns: dict[str, str]
) -> None:
    environ = {**columns, **environ}
    console = Console(file=stream(), _environ=environ)
    terminal = Terminal.detect(stream(), environ)
    assert terminal.styled == (console.color_system is not None)
    assert terminal.width == console.width


def test_styles_are_written_on_a_terminal_and_never_into_a_pipe() -> None:
    line = [Line("when", "bold").add(" ").add("id", "cyan")]
    on_terminal = ours(FakeTerminal(), {"TERM": "xterm"}, line)
    assert on_terminal == "\x1b[1mwhen\x1b[0m \x1b[36mid\x1b[0m\n"
    assert ours(io.StringIO(), {"TERM": "xterm"}, line) == "when id\n"
    no_colour = ours(FakeTerminal(), {"NO_COLOR": "1"}, line)
    assert no_colour == "\x1b[1mwhen\x1b[0m id\n"


def test_width_from_columns_and_80_when_nothing_says() -> None:
    assert Terminal.detect(io.StringIO(), {"COLUMNS": "42"}).width == 42
    assert Terminal.detect(FakeTerminal(), {"TERM": "dumb", "COLUMNS": "42"}).width == 80
    assert Terminal.detect(io.StringIO(), {"COLUMNS": "wide"}).width in (80, _real_width())


def _real_width() -> int:
    import os

    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns or 80
        except OSError:
            continue
    return 80


def test_untrusted_text_is_cleaned_and_folded() -> None:
    line = Line("x ").add_safe("a\x1b]0;title\x07\n\nb\u202e", "bold")
    assert line.plain == "x a]0;title b"


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(
        st.tuples(st.text(min_size=1, max_size=30), st.sampled_from(STYLES)),
        min_size=1,
        max_size=6,
    ),
    width=st.integers(min_value=2, max_value=60),
)
@example(pieces=[("\x1f", ""), ("\u2e800", "bold")], width=2)  # a piece cleaned to nothing
def test_fit_cuts_exactly_as_rich_truncates(pieces: list[tuple[str, str]], width: int) -> None:
    line = Line()
    text = Text()
    for piece, style in pieces:
        line.add_safe(piece, style)
        text.append(clean_line(piece), style)
    text.truncate(width, overflow="ellipsis")
    fitted = line.fit(width)
    assert fitted.plain == text.plain
    # the cut keeps each piece's style
    kept = [style for piece, style in fitted.pieces if piece]
    original = [style for piece, style in line.pieces if piece]
    assert kept == original[: len(kept)]


def test_a_short_line_is_not_cut() -> None:
    line = Line("short")
    assert line.fit(5) is line
    assert line.fit(4).plain == "sho…"
    assert Line("日本語").fit(4).plain == "日 …"  # a wide character that does not fit is padded


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(
        st.tuples(
            st.text(alphabet=st.sampled_from(list("ab cdé  -日x")) | st.characters(), max_size=40),
            st.sampled_from(STYLES),
        ),
        min_size=1,
        max_size=6,
    ),
    width=st.integers(min_value=1, max_value=50),
    terminal=st.booleans(),
)
def test_wrapping_matches_rich(pieces: list[tuple[str, str]], width: int, terminal: bool) -> None:
    line = Line()
    for piece, style in pieces:
        line.add_safe(piece, style)
    environ = {"COLUMNS": str(width), "TERM": "xterm"}
    stream = FakeTerminal if terminal else io.StringIO
    assert ours(stream(), environ, [line]) == rich_output(stream(), environ, [line])


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab cd\t\n  -x.")) | st.characters(), max_size=120),
    width=st.integers(min_value=1, max_value=50),
)
def test_text_of_many_lines_wraps_as_rich_prints_it(text: str, width: int) -> None:
    environ = {"COLUMNS": str(width), "LINES": "25"}
    ours_out = io.StringIO()
    Terminal.detect(ours_out, environ).write(text_lines(text, width))
    theirs = io.StringIO()
    console = Console(file=theirs, highlight=False, markup=False, emoji=False, _environ=environ)
    console.print(Text(clean_terminal_text(text)))
    assert ours_out.getvalue() == theirs.getvalue()


def test_text_lines_indent_every_line_they_make() -> None:
    lines = text_lines("first line of a reply that is long\nsecond", 20, indent="    ")
    assert [line.plain.rstrip() for line in lines] == [
        "    first line of a",
        "    reply that is",
        "    long",
        "    second",
    ]
    assert all(line.fits(20) for line in lines)


@pytest.mark.parametrize("width", [1, 4, 5, 20, 43, 44, 100])
def test_a_rule_is_drawn_as_rich_draws_it(width: int) -> None:
    title = "original, written Tue 02 Jul 2019 08:14"
    environ = {"COLUMNS": str(width), "LINES": "25"}
    ours_out = io.StringIO()
    Terminal.detect(ours_out, environ).write([rule(title, width)])
    theirs = io.StringIO()
    Console(file=theirs, _environ=environ).rule(Text(title, style="dim"))
    assert ours_out.getvalue() == theirs.getvalue()


def test_what_lines_measure_as_one_cell_is_one_cell_for_rich() -> None:
    from rich.cells import cell_len

    singles = [chr(c) for c in range(0x110000) if single_cells(chr(c))]
    assert len(singles) > 1000
    assert [c for c in singles if cell_len(c) != 1] == []
    assert not single_cells("日") and not single_cells("\t") and not single_cells("e\u0301")
