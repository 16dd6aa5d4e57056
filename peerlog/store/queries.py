"""The SQL that chooses entries from the index (store/index.py runs it): which entries a
listing or a search shows, in order, and how many tags the shown entries carry.

The journal fold (fold/journal.py) decides what an entry looks like; these queries follow the
same rules, so that SQL can choose exactly, page and count: an entry is shown unless its
author deleted it, and its current version is its author's last revision in merge order
(clock, id), else the entry itself. Only records that count now take part (`:bound`, the
clock bound, and in a space its trust's verdict on each row); a revision or deletion that is
only shown changes only an entry that is only shown too (fold/journal.py). So what SQL chooses
is what the fold shows: the fold of the chosen entries is never filtered again (one author's
two files for one id are the exception: the fold keeps one, fold/claims.py, and `doctor` names
them). Builds text only: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable

from peerlog.classes import dataclass

TRIGRAM = 3  # FTS5's trigram index finds strings of at least three characters


@dataclass(frozen=True, slots=True)
class Candidates:
    """What a listing chooses: entries whose `at` is in [since, until) (microseconds, see
    `micros`), by one of `authors`, starred if `starred`, whose current version carries every
    tag key of `tags`, holds every case-folded string of `texts` (each at least `TRIGRAM`
    characters: the ones FTS5 finds) and passes `match` (given the version's folded text and
    tags, as the `texts` table holds them)."""

    since: int | None = None
    until: int | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    starred: bool = False
    match: Callable[[str], bool] | None = None


MATCH_FUNCTION = "peerlog_matches"  # `Candidates.match`, registered on the connection


def _latest(excluded: str) -> str:
    """The CTE `latest`: each (entry id, author)'s last revision in merge order (clock, id):
    `last` of all of them, `mine` of those that count (store/verdicts.py)."""
    counts = "r.verdict = 1" if excluded else "1"
    order = "ORDER BY r.clock DESC, r.id DESC"
    return (
        "latest AS MATERIALIZED (SELECT refers, author, row, n = 1 AS last, counts AND m = 1"
        " AS mine FROM (SELECT r.refers, r.author, r.rowid AS row, row_number() OVER"
        f" (PARTITION BY r.refers, r.author {order}) AS n, {counts} AS counts, row_number()"
        f" OVER (PARTITION BY r.refers, r.author, {counts} {order}) AS m FROM records r"
        f" WHERE r.type = 'revision' AND r.clock <= :bound{excluded.format('r', '>= 1')})"
        " WHERE n = 1 OR (counts AND m = 1))"
    )


def _applies(entry: str) -> str:
    """A revision or deletion that is only shown (verdict 2 and up) changes only an entry that
    is only shown too; in a journal without trust, verdicts are NULL and every one counts."""
    return f"coalesce({entry}.verdict >= 2, 0)"


def _current(entry: str) -> str:
    """The rowid of `entry`'s current version: its author's last revision, else itself."""
    mine = f"refers = {entry}.id AND author = {entry}.author"
    pick = f"CASE WHEN {_applies(entry)} THEN last ELSE mine END"
    return f"coalesce((SELECT row FROM latest WHERE {mine} AND {pick}), {entry}.rowid)"


def _shown(entry: str, excluded: str) -> str:
    """`entry` is an entry that counts now (or is shown), not deleted by its author."""
    mine = f"({entry}.id, {entry}.author)"
    shown = f" AND NOT ({_applies(entry)} AND {mine} IN {_deleted(excluded, '>= 2')})"
    return (
        f"{entry}.type = 'entry' AND {entry}.known AND {entry}.clock <= :bound"
        f"{excluded.format(entry, '>= 1')} AND {mine} NOT IN {_deleted(excluded, '= 1')}"
        + (shown if excluded else "")
    )


def _deleted(excluded: str, verdict: str) -> str:
    """(entry id, author) of each deletion that counts now, of those with this verdict."""
    return (
        "(SELECT d.refers, d.author FROM records d WHERE d.type = 'deletion'"
        f" AND d.refers IS NOT NULL AND d.clock <= :bound{excluded.format('d', verdict)})"
    )


# The entry a version `v` belongs to: itself, else its author's entry of the id it revises
# (found by rowid: a lookup by id for every entry found was an eighth of a text search).
_OF_ENTRY = (
    "CASE v.type WHEN 'entry' THEN v.rowid ELSE (SELECT r.rowid FROM records r INDEXED BY"
    " records_id WHERE r.id = v.refers AND r.type = 'entry' AND r.author = v.author) END"
)
_NEWEST = "4 DESC, 5 DESC, 1 DESC"  # at, clock, id of the chosen columns: newest first


# Only the rows a space's trust lets count, or shows (store/index.py keeps its verdict in
# each row: 1 counts, 2 and up is shown marked).
JUDGED = " AND {0}.verdict {1}"


def page_sql(
    wanted: Candidates, limit: int | None, *, counted: bool = False, judged: bool = False
) -> tuple[str, dict[str, object]]:
    """SELECT (id, author, rank, at, clock) of the entries `wanted` chooses, best first (by
    rank, then newest first), at most `limit` rows; with `counted`, each row also says how
    many rows there are in all. Rank is FTS5's bm25 of the current version (lower is better),
    0 without texts.

    The most selective table leads: the text matches, else the versions with the first tag,
    else the entries themselves. `judged`: only rows whose verdict says they count."""
    excluded = JUDGED if judged else ""
    params: dict[str, object] = {}
    where = [_shown("e", excluded)]
    if wanted.since is not None:
        where.append("e.at >= :since")
        params["since"] = wanted.since
    if wanted.until is not None:
        where.append("e.at < :until")
        params["until"] = wanted.until
    if wanted.authors:
        names = [f"author{i}" for i in range(len(wanted.authors))]
        where.append(f"e.author IN ({', '.join(':' + n for n in names)})")
        params.update(zip(names, wanted.authors, strict=True))
    if wanted.starred:  # rows keep unknown keys with a "k" before them (store/rows.py)
        where.append("json_type(e.fields, '$.extra.kstarred') = 'true'")
    rank, folded = "0", "(SELECT folded FROM texts WHERE rowid = v.rowid)"
    ctes = [_latest(excluded)]
    tags = list(wanted.tags)
    entry = f"CROSS JOIN records e ON e.rowid = {_OF_ENTRY}"
    current = _current("e")
    if wanted.texts:
        # Materialised: bm25() works only in the query that does the MATCH itself.
        text = ", folded" if wanted.match is not None else ""  # reading texts costs
        ctes.append(
            f"hit AS MATERIALIZED (SELECT rowid AS row, bm25(texts) AS rank{text}"
            " FROM texts WHERE texts MATCH :query)"
        )
        # Each string quoted, so nothing a user types is read as query syntax.
        params["query"] = " AND ".join('"' + t.replace('"', '""') + '"' for t in wanted.texts)
        source = f"hit CROSS JOIN records v ON v.rowid = hit.row {entry}"
        where.append(f"v.rowid = {current}")  # a version counts only while it is current
        rank, folded = "hit.rank", "hit.folded"
    elif tags:
        source = f"tags t CROSS JOIN records v ON v.rowid = t.row {entry}"
        where += ["t.key = :tag", f"v.rowid = {current}"]
        params["tag"] = tags.pop(0)
    elif wanted.match is not None:
        source = f"records e CROSS JOIN records v ON v.rowid = {current}"
    else:
        source = "records e"
    for number, tag in enumerate(tags):
        where.append(f"EXISTS (SELECT 1 FROM tags x WHERE x.row = v.rowid AND x.key = :t{number})")
        params[f"t{number}"] = tag
    if wanted.match is not None:
        where.append(f"{MATCH_FUNCTION}({folded})")
    columns = f"e.id, e.author, {rank}, e.at, e.clock"
    sql = f"WITH {', '.join(ctes)} SELECT {columns} FROM {source} WHERE {' AND '.join(where)}"
    if counted:  # the chosen rows made once, then counted and ordered (a window costs more)
        sql = f"WITH chosen AS MATERIALIZED ({sql}) SELECT *, (SELECT count(*) FROM chosen)"
        sql += " FROM chosen"
    # Without texts every rank is 0: ordering by it too would stop SQLite walking the index
    # newest first (a sort of every entry, 13 ms on ten years, for a page of ten).
    sql += f" ORDER BY 3, {_NEWEST}" if wanted.texts else f" ORDER BY {_NEWEST}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return sql, params


# The newest entry's moment, clock and id as one string that sorts as they do (`at` may be
# before 1970, so it is moved past zero first).
_NEWEST_KEY = "printf('%019d %019d %s', e.at + 300000000000000000, e.clock, e.id)"


def tag_counts_sql(*, judged: bool) -> str:
    """(key, spelling, entries, newest) for each tag of the shown entries' current versions:
    spelled as in the newest entry carrying it, `newest` a string that sorts as that entry
    (when, clock, id) does. `judged`: only rows whose verdict says they count."""
    excluded = JUDGED if judged else ""
    return (
        f"WITH {_latest(excluded)} SELECT t.key, t.tag, count(*), max({_NEWEST_KEY})"
        f" FROM records e CROSS JOIN tags t ON t.row = {_current('e')}"
        f" WHERE {_shown('e', excluded)} GROUP BY t.key"
    )
