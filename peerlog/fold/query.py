"""Selecting entries: filters, search, tag counts, and id prefixes. Pure.

A search query is words that must all appear (any case, anywhere: "walk" finds "walked"),
`"a phrase"` that must appear as written, and `prefix*` that must start a word.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from peerlog.classes import dataclass
from peerlog.errors import Ambiguous, NotFound
from peerlog.records.tags import folded, tag_key

SHORT_ID_MIN = 8


@dataclass(frozen=True, slots=True)
class EntryFilter:
    """What `list` and `search` select (SQL chooses it: actions/journal.py, store/queries.py).
    `until` is exclusive; words and tags all must match."""

    since: datetime | None = None
    until: datetime | None = None
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    starred: bool = False  # only starred entries

    @property
    def selects_all(self) -> bool:
        """True when nothing is filtered out."""
        no_dates = self.since is None and self.until is None
        return no_dates and not (self.tags or self.authors or self.words or self.starred)


_QUERY_PART = re.compile(r'"([^"]*)"?|([^\s"]+)')


def search_words(query: str) -> tuple[str, ...]:
    """The parts of a search query, folded: words, phrases (with spaces) and prefixes (ending
    in '*'). Any text is a query: an unclosed quote runs to the end."""
    parts = []
    for phrase, word in _QUERY_PART.findall(query):
        part = folded(phrase or word)
        if part.strip("*"):
            parts.append(part)
    return tuple(parts)


def search_strings(words: Iterable[str]) -> tuple[str, ...]:
    """What every match must hold, for an index to choose candidates: each part without its
    '*'."""
    return tuple(word.removesuffix("*") if _is_prefix(word) else word for word in words)


def _is_prefix(word: str) -> bool:
    return len(word) > 1 and word.endswith("*")


def words_found(words: Iterable[str], haystack: str) -> bool:
    """Whether folded text holds every part of a query (`search_words`): a word or phrase
    anywhere, a prefix at the start of a word. The index asks it of the words FTS5 cannot
    find exactly (store/queries.py)."""
    return all(_found(word, haystack) for word in words)


def _found(word: str, haystack: str) -> bool:
    if _is_prefix(word):
        return re.search(r"(?<!\w)" + re.escape(word[:-1]), haystack) is not None
    return word in haystack


# tag key -> (spelling in the newest entry using it, number of entries, that entry's sort key:
# any value that sorts as the entries do, the same kind for every journal merged)
TagTally = dict[str, tuple[str, int, str]]


def tags_by_count(tallies: Iterable[TagTally]) -> list[tuple[str, int]]:
    """(tag, number of entries) by count, then name; spelling from the newest entry using it."""
    counts: Counter[str] = Counter()
    newest: dict[str, tuple[str, str]] = {}
    for tally in tallies:
        for key, (tag, count, at) in tally.items():
            counts[key] += count
            if key not in newest or at > newest[key][0]:
                newest[key] = (at, tag)
    return sorted(
        ((newest[k][1], n) for k, n in counts.items()), key=lambda t: (-t[1], tag_key(t[0]))
    )


def short_ids(
    ids: Iterable[str], among: Iterable[str] | None = None, minimum: int = SHORT_ID_MIN
) -> dict[str, str]:
    """The shortest prefix (at least `minimum` characters) telling each of `ids` apart from
    every id in `among` (default: from each other)."""
    wanted = list(ids)
    ordered = sorted(set(wanted if among is None else among).union(wanted))
    result = {}
    for record_id in wanted:
        i = bisect_left(ordered, record_id)
        length = minimum
        for j in (i - 1, i + 1):
            if 0 <= j < len(ordered):
                length = max(length, _common_prefix(record_id, ordered[j]) + 1)
        result[record_id] = record_id[:length]
    return result


def _common_prefix(a: str, b: str) -> int:
    pairs = zip(a, b, strict=False)
    return next((n for n, (x, y) in enumerate(pairs) if x != y), min(len(a), len(b)))


# The command that lists the ids of each kind of record.
_LISTING = {
    "entry": "peerlog list --all",
    "goal": "peerlog goal list",
    "resource": "peerlog resource list --all",
}


def resolve_prefix(prefix: str, ids: Sequence[str], what: str = "entry") -> str:
    """The one id starting with `prefix`. Raises NotFound or Ambiguous (listing candidates)."""
    wanted = prefix.strip().lower()
    listing = _LISTING.get(what, "peerlog list")
    if not wanted:
        raise NotFound(f"No {what} id given.", hint=f"`{listing}` shows the ids.")
    matches = sorted({i for i in ids if i.startswith(wanted)})
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(
            f"No {what} has an id starting with '{prefix}'.", hint=f"`{listing}` shows the ids."
        )
    shown = ", ".join(matches[:10]) + (" …" if len(matches) > 10 else "")
    raise Ambiguous(
        f"'{prefix}' matches {len(matches)} {what} ids: {shown}.",
        hint="Give more characters of the id.",
    )
