"""Tags: given with `--tag` or written inline as `#word` or `@word` in the text.

One vocabulary: `#work`, `@work` (jrnl's other sign) and `work` are the same tag, compared
case-insensitively through `tag_key`. Tags keep the spelling the user chose; an `@` stays with
its tag (`@work` is shown as written), a `#` is the default sign and is not stored.
Pure: no I/O.
"""

from __future__ import annotations

import unicodedata

from peerlog.errors import UsageError

TAG_MAX = 64
# A tag starts after whitespace, start of text or an opening bracket, and must hold a letter, so
# "#1", "C#" and "page#anchor" are not tags. Tag characters are letters, digits, "_", "-" and
# combining marks (Hindi, Tamil, decomposed accents), which `\w` alone would cut off.
_OPENERS = "([{"
SIGNS = "#@"
# An `@tag` follows jrnl's rule (jrnl/journals/Entry.py), which also allows "+*#/": `@c++` and
# `@os/2` are jrnl tags, and an imported journal must keep them whole.
_JRNL_EXTRA = "+*#/"


def _is_tag_char(char: str) -> bool:
    return char.isalnum() or char in "_-" or unicodedata.category(char).startswith("M")


def _tag_at(text: str, start: int, extra: str = "") -> str:
    end = start
    while end < len(text) and (_is_tag_char(text[end]) or text[end] in extra):
        end += 1
    return text[start:end]


def tag_key(tag: str) -> str:
    """The form tags are compared and counted by: any case, with or without a leading `#` or
    `@` (an imported jrnl tag `@work` is the same tag as `#work` written in the text)."""
    return (tag[1:] if tag[:1] in SIGNS else tag).casefold()


def folded(text: str) -> str:
    """Text as a search compares it: case-folded, each run of whitespace one space (the index
    holds entries' text this way, so both sides fold alike)."""
    return " ".join(text.casefold().split())


def _has_letter(tag: str) -> bool:
    return any(ch.isalpha() for ch in tag)


def inline_tags(text: str) -> tuple[str, ...]:
    """The `#tags` and `@tags` written in `text`, in order of first appearance, without
    repeats (`#work` as `work`, `@work` as `@work`)."""
    found: list[tuple[int, str]] = []
    # str.find, not a regular expression: every fold asks this of every version it shows, and
    # most texts hold no "#" or "@" at all (a pattern that starts with a look-behind tries
    # every position of a long text).
    for mark in SIGNS:
        sign = text.find(mark)
        while sign >= 0:
            before = text[sign - 1] if sign else " "
            if before.isspace() or before in _OPENERS:
                tag = _tag_at(text, sign + 1, _JRNL_EXTRA if mark == "@" else "").rstrip("-")
                if tag and not tag.startswith("-") and len(tag) <= TAG_MAX and _has_letter(tag):
                    found.append((sign, tag if mark == "#" else mark + tag))
            sign = text.find(mark, sign + 1)
    if len(found) > 1:
        found.sort()
    seen: dict[str, str] = {}
    for _, tag in found:
        seen.setdefault(tag_key(tag), tag)
    return tuple(seen.values())


def check_tag(text: str) -> str:
    """Validate a tag given with `--tag` (a leading `#` is allowed and dropped; a leading `@`
    is kept, as in the text)."""
    given = text.strip()
    sign = "@" if given.startswith("@") else ""
    tag = given.removeprefix("#").removeprefix("@").rstrip("-")  # "#tag-" is "tag", as inline
    extra = _JRNL_EXTRA if sign else ""
    valid = bool(tag) and _tag_at(tag, 0, extra) == tag and not tag.startswith("-")
    if not valid or len(tag) > TAG_MAX or not _has_letter(tag):
        raise UsageError(
            f"'{text}' is not a valid tag.",
            hint=f"A tag is one word of letters, digits, '_' or '-' (at most {TAG_MAX}), "
            "with at least one letter, for example --tag sleep or --tag @work.",
        )
    return sign + tag


def merge_tags(*groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Union of tag groups, first spelling wins, order kept."""
    seen: dict[str, str] = {}
    for group in groups:
        for tag in group:
            seen.setdefault(tag_key(tag), tag)
    return tuple(seen.values())


def tag_label(tag: str) -> str:
    """How a tag is shown: `#tag`, or as written when it carries its own sign (jrnl's `@tag`)."""
    return tag if tag[:1] in ("@", "#") else f"#{tag}"
