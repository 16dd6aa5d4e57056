"""Tags (inline `#tags` and `--tag` values) and mood (a self-chosen 1-5)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerlog.errors import ExitCode, UsageError
from peerlog.records import check_tag, inline_tags, tag_key
from peerlog.records.mood import MOOD_WORDS, check_mood, mood_label
from peerlog.records.tags import TAG_MAX, merge_tags

# --- inline tags -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#sleep", ("sleep",)),
        ("slept badly #sleep #work", ("sleep", "work")),
        ("#1", ()),
        ("issue #12 is fixed", ()),
        ("year #2024", ()),
        ("#1st try", ("1st",)),
        ("I write C# at work", ()),
        ("see page#x", ()),
        ("a#b", ()),
        ("https://example.org/#anchor", ()),
        ("(#tag)", ("tag",)),
        ("[#tag] and {#other}", ("tag", "other")),
        ("end of sentence #tag.", ("tag",)),
        ("list #a, #b; #c!", ("a", "b", "c")),
        ("trailing hyphen #tag-", ("tag",)),
        ("#under_score and #with-hyphen", ("under_score", "with-hyphen")),
        ("##double", ()),
        ("#bar#baz", ("bar",)),
        ("line one\n#tag on line two", ("tag",)),
        ("tab\t#tag", ("tag",)),
        ("#", ()),
        ("# heading", ()),
        ("#日本語 and #café and #Ñandú", ("日本語", "café", "Ñandú")),
        ("emoji 🎉#party", ()),
    ],
)
def test_inline_tags(text: str, expected: tuple[str, ...]) -> None:
    assert inline_tags(text) == expected


def test_inline_tags_are_deduplicated_case_insensitively_first_spelling_wins() -> None:
    assert inline_tags("#Sleep then #sleep then #SLEEP") == ("Sleep",)
    assert inline_tags("#b #a #B #A") == ("b", "a")
    # casefold, not lower: the German sharp s folds to "ss"
    assert inline_tags("#Straße #STRASSE") == ("Straße",)


_TAG_START = re.compile(r"(?:(?<=[\s(\[{])|^)([#@])")  # where a tag starts, as a pattern
_JRNL_EXTRA = "+*#/"  # jrnl's @tags may also hold these


def _reference_inline_tags(text: str) -> tuple[str, ...]:
    """The rule written the obvious way (a regular expression); inline_tags must agree.
    `#work` is the tag `work`; `@work` keeps its sign; both count as one tag, in any case."""
    found: list[tuple[int, str]] = []
    for match in _TAG_START.finditer(text):
        sign = match.group(1)
        extra = _JRNL_EXTRA if sign == "@" else ""
        end = match.end()
        while end < len(text) and (
            text[end].isalnum()
            or text[end] in "_-" + extra
            or unicodedata.category(text[end])[0] == "M"
        ):
            end += 1
        tag = text[match.end() : end].rstrip("-")
        letter = any(ch.isalpha() for ch in tag)
        if tag and not tag.startswith("-") and len(tag) <= TAG_MAX and letter:
            found.append((match.start(), tag if sign == "#" else sign + tag))
    seen: dict[str, str] = {}
    for _, tag in sorted(found):
        seen.setdefault((tag[1:] if tag[:1] in "#@" else tag).casefold(), tag)
    return tuple(seen.values())


_BEFORE = ["", " ", "\n", "\t", "\u00a0", "\u3000", "\u2028", "(", "[", "{", "a", "1", "C", "🎉"]
_WORDS = ["sleep", "Ñandú", "日本語", "1st", "12", "e\u0301t\u00e9", "a-", "-a", "_x", "", "#x"]


@settings(max_examples=400)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from(_BEFORE), st.text(max_size=2)),
            st.sampled_from(["#", "#", "##", "@", "@#", ""]),
            st.one_of(st.sampled_from(_WORDS), st.text(max_size=4)),
        ).map("".join),
        max_size=6,
    ).map("".join)
)
def test_inline_tags_agree_with_the_rule_written_as_a_pattern(text: str) -> None:
    assert inline_tags(text) == _reference_inline_tags(text)


def _per_character_run(text: str, start: int, extra: str) -> str:
    """The run of tag characters from `start`, each character tested in turn, as
    records/tags.py did before it matched runs by a pattern."""
    end = start
    while end < len(text) and (
        text[end].isalnum()
        or text[end] in "_-" + extra
        or unicodedata.category(text[end]).startswith("M")
    ):
        end += 1
    return text[start:end]


def _per_character_inline_tags(text: str) -> tuple[str, ...]:
    """inline_tags as it was before its runs were matched by a pattern: both must agree on
    any text."""
    found: list[tuple[int, str]] = []
    for mark in "#@":
        sign = text.find(mark)
        while sign >= 0:
            before = text[sign - 1] if sign else " "
            if before.isspace() or before in "([{":
                run = _per_character_run(text, sign + 1, _JRNL_EXTRA if mark == "@" else "")
                tag = run.rstrip("-")
                letter = any(ch.isalpha() for ch in tag)
                if tag and not tag.startswith("-") and len(tag) <= TAG_MAX and letter:
                    found.append((sign, tag if mark == "#" else mark + tag))
            sign = text.find(mark, sign + 1)
    seen: dict[str, str] = {}
    for _, tag in sorted(found):
        seen.setdefault(tag_key(tag), tag)
    return tuple(seen.values())


def _per_character_check_tag(text: str) -> str | None:
    """check_tag as it was before (None where it refused the value)."""
    given = text.strip()
    sign = "@" if given.startswith("@") else ""
    tag = given.removeprefix("#").removeprefix("@").rstrip("-")
    whole = _per_character_run(tag, 0, _JRNL_EXTRA if sign else "") == tag
    letter = any(ch.isalpha() for ch in tag)
    if not tag or not whole or tag.startswith("-") or len(tag) > TAG_MAX or not letter:
        return None
    return sign + tag


# Characters on every side of the rule: signs, openers, Unicode spaces, jrnl's extra signs,
# combining marks (on their own, after a sign, after a hyphen), digits of other scripts,
# letters that casefold to more than one, and anything else Unicode holds.
_EDGES = "#@([{}]) \t\n\u00a0\u2028\u3000\x1c+*/-_.,!\u0301\u0903\u20dd\u0669\u00b2\u2167ßẞİ"
_RUN_PIECES = [*"asSßẞé1_-+*/#@.\u0301\u0903", "ss"]
_TAGGED_TEXT = st.lists(
    st.tuples(
        st.sampled_from(["", " ", "\n", "\u00a0", "(", "{", "a", "1", "\u0301"]),
        st.sampled_from(["#", "@", "##", "@#", "#@", ""]),
        st.lists(st.sampled_from(_RUN_PIECES), max_size=8).map("".join),
    ).map("".join),
    max_size=6,
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet=st.one_of(st.sampled_from(_EDGES), st.characters()), max_size=60),
        _TAGGED_TEXT,
    )
)
def test_inline_tags_agree_with_the_rule_tested_character_by_character(text: str) -> None:
    assert inline_tags(text) == _per_character_inline_tags(text)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=st.one_of(st.sampled_from(_EDGES + "aZ1"), st.characters()), max_size=8),
        st.builds(
            "".join, st.lists(st.sampled_from(["#", "@", "-", " ", "a", "\u0301", "+", "1"]))
        ),
    )
)
def test_check_tag_agrees_with_the_rule_tested_character_by_character(text: str) -> None:
    try:
        accepted: str | None = check_tag(text)
    except UsageError:
        accepted = None
    assert accepted == _per_character_check_tag(text)


def test_an_inline_tag_longer_than_the_limit_is_not_a_tag() -> None:
    assert inline_tags("#" + "a" * TAG_MAX) == ("a" * TAG_MAX,)
    assert inline_tags("#" + "a" * (TAG_MAX + 1)) == ()


@pytest.mark.parametrize(
    "word",
    [
        "हिंदी",  # Devanagari: vowel signs are combining marks
        "cafe\u0301",  # "café" as typed on some systems (NFD: e + combining acute)
        "தமிழ்",  # Tamil
    ],
)
def test_inline_tags_keep_words_with_combining_marks_whole(word: str) -> None:
    assert inline_tags(f"feeling #{word} today") == (word,)


@pytest.mark.parametrize("word", ["हिंदी", "cafe\u0301"])
def test_check_tag_accepts_words_with_combining_marks(word: str) -> None:
    assert check_tag(word) == word


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab#Ä1 -_(\n.日"), max_size=40))
def test_inline_tags_are_real_words_from_the_text(text: str) -> None:
    found = inline_tags(text)
    assert len({tag_key(t) for t in found}) == len(found)
    for tag in found:
        assert f"#{tag}" in text
        assert 0 < len(tag) <= TAG_MAX
        assert any(ch.isalpha() for ch in tag)
        assert not tag.endswith("-")


# --- --tag values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sleep", "sleep"),
        ("#sleep", "sleep"),
        ("  sleep  ", "sleep"),
        ("Self-Care", "Self-Care"),
        ("under_score", "under_score"),
        ("1st", "1st"),
        ("日本語", "日本語"),
        ("a" * TAG_MAX, "a" * TAG_MAX),
    ],
)
def test_check_tag_accepts(text: str, expected: str) -> None:
    assert check_tag(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", " ", "#", "##sleep", "1", "2024", "two words", "a" * (TAG_MAX + 1), "-lead", "sl#eep",
     "tag!", "a/b", "\x1b[31mred"],
)  # fmt: skip
def test_check_tag_rejects(text: str) -> None:
    with pytest.raises(UsageError) as raised:
        check_tag(text)
    assert raised.value.exit_code == ExitCode.USAGE
    assert "--tag" in (raised.value.hint or "")


def test_merge_tags_keeps_first_spelling_and_order() -> None:
    assert merge_tags(("Sleep", "work"), ["WORK", "sleep", "new"]) == ("Sleep", "work", "new")


# --- mood --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, 1, 2, 3, 4, 5])
def test_check_mood_accepts(value: int | None) -> None:
    assert check_mood(value) == value


@pytest.mark.parametrize("value", [0, 6, 7, -1, 100])
def test_check_mood_rejects_with_the_choices(value: int) -> None:
    with pytest.raises(UsageError) as raised:
        check_mood(value)
    assert raised.value.exit_code == ExitCode.USAGE
    assert str(value) in raised.value.message
    for word in MOOD_WORDS.values():
        assert word in (raised.value.hint or "")


def test_mood_words_are_not_clinical() -> None:
    assert set(MOOD_WORDS) == {1, 2, 3, 4, 5}
    assert mood_label(3) == "okay (3/5)"
    clinical = ("depress", "severe", "anxiety", "score", "disorder", "risk")
    assert not any(word in " ".join(MOOD_WORDS.values()) for word in clinical)
