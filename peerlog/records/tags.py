"""Tags: given with `--tag` or written inline as `#word` or `@word` in the text.

One vocabulary: `#work`, `@work` (jrnl's other sign) and `work` are the same tag, compared
case-insensitively through `tag_key`. Tags keep the spelling the user chose; an `@` stays with
its tag (`@work` is shown as written), a `#` is the default sign and is not stored.
Pure: no I/O.
"""

from __future__ import annotations

import re
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
# The run of tag characters after each sign, but combining marks: `\w` is exactly
# `str.isalnum` and "_" (for every code point), and one pattern match costs less than a test
# per character.
_RUNS = {"#": re.compile(r"[\w-]*"), "@": re.compile(f"[\\w{re.escape(_JRNL_EXTRA)}-]*")}


def _tag_end(text: str, start: int, sign: str) -> int:
    """Where the run of tag characters starting at `start` ends, for a tag after `sign`."""
    run = _RUNS[sign]
    end = start
    while (match := run.match(text, end)) is not None:  # always a match: the run may be empty
        end = match.end()
        if end == len(text) or unicodedata.category(text[end])[0] != "M":
            break
        end += 1  # a combining mark, which `\w` does not match: the run goes on after it
    return end


def tag_key(tag: str) -> str:
    """The form tags are compared and counted by: any case, with or without a leading `#` or
    `@` (an imported jrnl tag `@work` is the same tag as `#work` written in the text)."""
    return (tag[1:] if tag[:1] in SIGNS else tag).casefold()


def folded(text: str) -> str:
    """Text as a search compares it: case-folded, each run of whitespace one space (the index
    holds entries' text this way, so both sides fold alike)."""
    return " ".join(text.casefold().split())


def _has_letter(tag: str) -> bool:
    return any(map(str.isalpha, tag))


def inline_tags(text: str) -> tuple[str, ...]:
    """The `#tags` and `@tags` written in `text`, in order of first appearance, without
    repeats (`#work` as `work`, `@work` as `@work`)."""
    found: list[tuple[int, str, str]] = []
    # str.find, not a regular expression: every fold asks this of every version it shows, and
    # most texts hold no "#" or "@" at all (a pattern that starts with a look-behind tries
    # every position of a long text).
    for mark in SIGNS:
        sign = text.find(mark)
        while sign >= 0:
            before = text[sign - 1] if sign else " "
            if before.isspace() or before in _OPENERS:
                tag = text[sign + 1 : _tag_end(text, sign + 1, mark)].rstrip("-")
                if tag and tag[0] != "-" and len(tag) <= TAG_MAX and _has_letter(tag):
                    found.append((sign, tag, mark))
            sign = text.find(mark, sign + 1)
    if len(found) > 1:
        found.sort()  # by where each starts (no two start at one place)
    seen: dict[str, str] = {}
    for _, tag, mark in found:
        # `tag_key` of a tag is its run's casefold, whichever sign it was written with (a
        # "#" run holds no sign; "@#x" is the run "#x" after its "@").
        seen.setdefault(tag.casefold(), tag if mark == "#" else mark + tag)
    return tuple(seen.values())


def check_tag(text: str) -> str:
    """Validate a tag given with `--tag` (a leading `#` is allowed and dropped; a leading `@`
    is kept, as in the text)."""
    given = text.strip()
    sign = "@" if given.startswith("@") else ""
    tag = given.removeprefix("#").removeprefix("@").rstrip("-")  # "#tag-" is "tag", as inline
    valid = bool(tag) and _tag_end(tag, 0, sign or "#") == len(tag) and not tag.startswith("-")
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
