"""The fold: pure functions from a set of records to what the user sees.

Deterministic (DESIGN §2.7): the same set of records gives the same result in any arrival order,
with duplicates, and with references to records that have not arrived yet. No I/O, no clock
reads ("now" is passed in), no Rich, no Typer. Property tests live against this package.
"""

from peerlog.fold.journal import EntryView, Journal, Version, fold_journal
from peerlog.fold.query import EntryFilter, resolve_prefix, search_words, short_ids

__all__ = [
    "EntryFilter",
    "EntryView",
    "Journal",
    "Version",
    "fold_journal",
    "resolve_prefix",
    "search_words",
    "short_ids",
]
