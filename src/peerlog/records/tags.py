"""Tags: given with `--tag` or written inline as `#word` in the text.

Tags keep the spelling the user chose; they compare case-insensitively through `tag_key`.
Pure: no I/O.
"""

from __future__ import annotations

import re

from peerlog.errors import UsageError

TAG_MAX = 64
# A tag starts after whitespace, start of text or an opening bracket, and must hold a letter, so
# "#1", "C#" and "page#anchor" are not tags.
_INLINE_RE = re.compile(r"(?:(?<=[\s(\[{])|^)#([\w][\w-]*)")
_TAG_RE = re.compile(r"[\w][\w-]*")


def tag_key(tag: str) -> str:
    """The form tags are compared and counted by."""
    return tag.casefold()


def _has_letter(tag: str) -> bool:
    return any(ch.isalpha() for ch in tag)


def inline_tags(text: str) -> tuple[str, ...]:
    """The `#tags` written in `text`, in order of first appearance, without repeats."""
    seen: dict[str, str] = {}
    for match in _INLINE_RE.finditer(text):
        tag = match.group(1).rstrip("-")
        if tag and len(tag) <= TAG_MAX and _has_letter(tag):
            seen.setdefault(tag_key(tag), tag)
    return tuple(seen.values())


def check_tag(text: str) -> str:
    """Validate a tag given with `--tag` (a leading `#` is allowed and dropped)."""
    tag = text.strip().removeprefix("#")
    if not tag or len(tag) > TAG_MAX or not _TAG_RE.fullmatch(tag) or not _has_letter(tag):
        raise UsageError(
            f"'{text}' is not a valid tag.",
            hint=f"A tag is one word of letters, digits, '_' or '-' (at most {TAG_MAX}), "
            "with at least one letter, for example --tag sleep.",
        )
    return tag


def merge_tags(*groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Union of tag groups, first spelling wins, order kept."""
    seen: dict[str, str] = {}
    for group in groups:
        for tag in group:
            seen.setdefault(tag_key(tag), tag)
    return tuple(seen.values())
