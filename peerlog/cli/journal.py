"""Journal commands: write, list, show, edit, delete, search, tags, export."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from peerlog.cli.context import Env, get_env
from peerlog.cli.options import (
    AllOpt,
    EntryId,
    JsonFlag,
    Mood,
    Since,
    SpaceOpt,
    Starred,
    TagFilter,
    Tags,
    Until,
    text_argument,
)
from peerlog.cli.written import warn_if_not_counted

if TYPE_CHECKING:
    from peerlog.actions.journal import JournalSession, Scoped, Selected
    from peerlog.fold import EntryFilter, EntryView
    from peerlog.fold.journal import CheckinView
    from peerlog.render.lines import Line
    from peerlog.store import Home


def write(
    ctx: typer.Context,
    text: Annotated[list[str] | None, text_argument("The entry.")] = None,
    tag: Tags = None,
    mood: Mood = None,
    star: Annotated[bool, typer.Option("--star", help="Mark the entry with a star.")] = False,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", "-d", metavar="WHEN", help="When it happened (WHEN), e.g. yesterday 21:30."
        ),
    ] = None,
    space: SpaceOpt = None,
) -> None:
    """Write a journal entry (private, or shared in a space with --space)."""
    from peerlog.actions.journal import check_tags, open_private_journal, write_entry
    from peerlog.records.mood import check_mood
    from peerlog.render import messages

    env = get_env(ctx)
    now = env.now()
    if space is None:
        session = open_private_journal(env.home)
    else:
        from peerlog.actions.spaces import open_space

        session = open_space(env.home, space)
    # Everything is checked before an editor opens, so nothing typed is lost to a bad option.
    check_tags(tag or [])
    check_mood(mood)
    when = _moment(date, now) if date is not None else None

    def save(body: str) -> None:
        entry = write_entry(
            session, body, now=now, when=when, tags=tag or [], mood=mood, starred=star
        )
        where = f" in space {session.space}" if session.space else ""
        messages.info(f"Saved entry {entry.id}{where}.")
        warn_if_not_counted(session, entry)

    _with_text(env, text, initial="", save=save)


def _with_text(
    env: Env, words: list[str] | None, *, initial: str, save: Callable[[str], None]
) -> None:
    """Hand `save` the text from arguments, piped stdin, or the editor (in that order)."""
    if words:
        save(" ".join(words))
    elif not env.stdin_isatty:
        save(env.read_stdin())
    else:
        from peerlog.editor import edited_text

        with edited_text(initial, env.environ) as edited:
            save(edited)


def _moment(text: str, now: datetime) -> datetime:
    from peerlog.when import moment

    return moment(text, now)


def _filter(
    env: Env,
    since: str | None,
    until: str | None,
    tags: list[str] | None,
    words: tuple[str, ...] = (),
    authors: list[str] | None = None,
    starred: bool = False,
) -> EntryFilter:
    from peerlog.fold import EntryFilter

    start = end = None
    if since is not None or until is not None:  # the WHEN parser is imported only when used
        from peerlog.when import range_end, range_start

        now = env.now()
        start = range_start(since, now) if since is not None else None
        end = range_end(until, now) if until is not None else None
    return EntryFilter(
        since=start,
        until=end,
        tags=tuple(t.removeprefix("#") for t in tags or ()),
        authors=tuple(authors or ()),
        words=words,
        starred=starred,
    )


def _read(env: Env, prefix: str) -> list[Scoped]:
    """Every journal folded on the entries and check-ins whose id starts with `prefix`,
    warning once about each file that was skipped."""
    from peerlog.actions.journal import scopes_with
    from peerlog.actions.spaces import open_scopes
    from peerlog.render import messages

    scoped, problems = scopes_with(open_scopes(env.home, None, everything=True), prefix)
    messages.skipped_files(problems)
    return scoped


def _select(
    env: Env,
    selection: EntryFilter,
    number: int | None,
    space: str | None,
    everything: bool,
    *,
    counted: bool = False,
    ids: bool = True,
) -> tuple[Selected, list[JournalSession]]:
    """The entries `selection` chooses from the chosen journals (at most `number`, with the
    ids next to theirs, and with `counted` how many match in all), and the journals read."""
    from peerlog.actions.journal import select_entries
    from peerlog.actions.spaces import open_scopes
    from peerlog.render import messages

    sessions = open_scopes(env.home, space, everything)
    selected = select_entries(sessions, selection, number, counted=counted, ids=ids)
    messages.skipped_files(selected.skipped)
    return selected, sessions


def _counter(selection: EntryFilter) -> Callable[[Sequence[JournalSession]], int]:
    """How many entries `selection` finds in other journals (to say where else to look)."""
    from peerlog.actions.journal import select_entries

    return lambda others: select_entries(others, selection, 1, counted=True, ids=False).total


DEFAULT_PAGE = 20  # `list` without -n: a screenful, newest first (JSON stays complete)


def _naming(scoped: Sequence[Scoped], prefix: str, wanted: tuple[str, ...]) -> Any:
    """A NotFound for `prefix` that says what the id is when it is another kind of record."""
    from peerlog.actions.lookup import naming_other_kinds

    return naming_other_kinds([item.session for item in scoped], prefix, wanted)


def _find_post(
    env: Env, prefix: str, wanted: tuple[str, ...]
) -> tuple[JournalSession, EntryView | CheckinView]:
    """The entry or check-in `prefix` names, in any journal."""
    from peerlog.actions.journal import find_post

    scoped = _read(env, prefix)
    with _naming(scoped, prefix, wanted):
        return find_post(scoped, prefix)


def _nothing_found(
    home: Home,
    sessions: Sequence[JournalSession],
    *,
    filtered: bool,
    count: Callable[[Sequence[JournalSession]], int],
) -> list[Line]:
    """Why no entry is shown: the journals read and, when spaces not read hold some, how to
    see them (the one rule of every listing command)."""
    from peerlog.actions.spaces import elsewhere
    from peerlog.render.scope import nothing_found

    spaces = [s.space for s in sessions]
    others = elsewhere(home, sessions, count)
    return nothing_found("entries", spaces, filtered=filtered, elsewhere=others)


def _print_views(
    home: Home,
    views: list[EntryView],
    neighbours: list[str],
    sessions: Sequence[JournalSession],
    as_json: bool,
    *,
    filtered: bool,
    count: Callable[[Sequence[JournalSession]], int],
    total: int | None = None,
    order: str = "newest",
) -> None:
    """Entries as a list (ids shortened so each stays unique among every entry's: `neighbours`
    are the ids next to theirs); when none match, which journals were read and where else
    some are; under a page cut short from
    `total` (the `order` it is in: newest, best), how to see the rest."""
    if as_json:
        from peerlog.render.json import entry_json, print_json

        print_json([entry_json(v) for v in views])
        return
    from peerlog.fold import short_ids
    from peerlog.render.journal import print_entry_list
    from peerlog.render.lines import Terminal
    from peerlog.render.scope import more_line

    empty = [] if views else _nothing_found(home, sessions, filtered=filtered, count=count)
    footer = None
    if total is not None and total > len(views):
        footer = more_line("entries", len(views), total, order=order)
    shorts = short_ids((v.id for v in views), among=neighbours)
    shared = any(s.space for s in sessions)
    names = None
    if shared and views:
        from peerlog.actions.spaces import names_of

        names = names_of(sessions)
    print_entry_list(
        Terminal.detect(),
        views,
        shorts,
        show_author=shared,
        empty=empty,
        footer=footer,
        names=names,
    )


def list_entries(
    ctx: typer.Context,
    number: Annotated[
        int | None,
        typer.Option(
            "-n",
            "--number",
            min=1,
            metavar="N",
            help=f"Show at most N entries, newest first (default {DEFAULT_PAGE}; "
            "with --json, all).",
        ),
    ] = None,
    since: Since = None,
    until: Until = None,
    tag: TagFilter = None,
    author: Annotated[
        list[str] | None,
        typer.Option(
            "--author", metavar="MEMBER", help="Only entries by this member (repeatable)."
        ),
    ] = None,
    starred: Starred = False,
    space: SpaceOpt = None,
    everything: AllOpt = False,
    as_json: JsonFlag = False,
) -> None:
    """List entries, newest first: the newest 20 unless -n says otherwise.

    Reads your private journal; --space S reads one space, --all your journal and every space.
    """
    env = get_env(ctx)
    selection = _filter(env, since, until, tag, authors=author, starred=starred)
    _print_page(env, selection, number, space, everything, as_json, order="newest")


def search(
    ctx: typer.Context,
    query: Annotated[
        list[str], typer.Argument(metavar="QUERY...", help="Words that must all appear (any case).")
    ],
    number: Annotated[
        int | None,
        typer.Option(
            "-n",
            "--number",
            min=1,
            metavar="N",
            help=f"Show at most N entries, best first (default {DEFAULT_PAGE}; with --json, all).",
        ),
    ] = None,
    since: Since = None,
    until: Until = None,
    tag: TagFilter = None,
    starred: Starred = False,
    space: SpaceOpt = None,
    everything: AllOpt = False,
    as_json: JsonFlag = False,
) -> None:
    """Find entries containing all the given words, best matches first: the best 20 unless -n
    says otherwise.

    Every word must appear, in any case ("walk" also finds "walked"); "a phrase" in quotes
    must appear as written, and prefix* must start a word. Reads your private journal;
    --space S reads one space, --all your journal and every space.
    """
    from peerlog.errors import UsageError
    from peerlog.fold import search_words

    env = get_env(ctx)
    words = search_words(" ".join(query))
    if not words:
        raise UsageError("Nothing to search for.", hint='Give a word, "a phrase" or a prefix*.')
    selection = _filter(env, since, until, tag, words, starred=starred)
    _print_page(env, selection, number, space, everything, as_json, order="best")


def _print_page(
    env: Env,
    selection: EntryFilter,
    number: int | None,
    space: str | None,
    everything: bool,
    as_json: bool,
    *,
    order: str,
) -> None:
    """What `list` and `search` print: at most `number` entries, else a page of
    `DEFAULT_PAGE` that says how many there are in all (JSON: every one)."""
    page = number is None and not as_json
    limit = DEFAULT_PAGE if page else number
    selected, sessions = _select(
        env, selection, limit, space, everything, counted=page, ids=not as_json
    )
    _print_views(
        env.home,
        selected.entries,
        selected.neighbours,
        sessions,
        as_json,
        filtered=not selection.selects_all,
        count=_counter(selection),
        total=selected.total if number is None else None,
        order=order,
    )


def show(
    ctx: typer.Context,
    entry_id: EntryId,
    history: Annotated[
        bool, typer.Option("--history", help="Also show every earlier version.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Show one entry or check-in in full, with its replies."""
    from peerlog.fold import EntryView

    session, post = _find_post(get_env(ctx), entry_id, ("an entry", "a check-in"))
    if as_json:
        from peerlog.render.json import checkin_json, entry_json, print_json

        if isinstance(post, EntryView):
            print_json(entry_json(post, history=history))
        else:
            print_json(checkin_json(post))
        return
    from peerlog.actions.spaces import names_of
    from peerlog.render.lines import Terminal

    names = names_of([session])
    if isinstance(post, EntryView):
        from peerlog.render.journal import print_entry

        print_entry(Terminal.detect(), post, history=history, names=names)
    else:
        from peerlog.render.dialogue import print_checkin

        print_checkin(Terminal.detect(), post, names=names)


def edit(
    ctx: typer.Context,
    entry_id: EntryId,
    text: Annotated[list[str] | None, text_argument("The new text.")] = None,
    tag: Tags = None,
    mood: Mood = None,
) -> None:
    """Edit one of your entries (the earlier version is kept)."""
    from peerlog.actions.journal import check_own, check_tags, find_entry, revise_entry
    from peerlog.records.mood import check_mood
    from peerlog.render import messages

    env = get_env(ctx)
    now = env.now()
    check_tags(tag or [])
    check_mood(mood)
    scoped = _read(env, entry_id)
    with _naming(scoped, entry_id, ("an entry",)):
        session, view = find_entry(scoped, entry_id)

    def save(body: str) -> None:
        revision = revise_entry(session, view, body, now=now, add_tags=tag or [], mood=mood)
        messages.info(f"Saved a new version of entry {view.id} ({revision.id}).")

    check_own(session, view, "edit")  # before an editor opens: no typing in vain
    if not text and (tag or mood is not None):
        save(view.text)  # only the mood or tags change
    else:
        _with_text(env, text, initial=view.text, save=save)


def delete(
    ctx: typer.Context,
    entry_id: EntryId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete one of your entries or check-ins (hidden from every view; its file stays)."""
    from peerlog.actions.journal import check_own, delete_entry
    from peerlog.errors import NothingDone
    from peerlog.fold.journal import CheckinView
    from peerlog.render import messages
    from peerlog.render.sanitize import clean_line

    env = get_env(ctx)
    session, view = _find_post(env, entry_id, ("an entry", "a check-in"))
    check_own(session, view, "delete")
    if not yes:
        preview = clean_line(getattr(view, "text", "") or "a check-in")[:60]
        try:
            confirmed = typer.confirm(f"Delete entry {view.id} ({preview})?", default=False)
        except typer.Abort:
            confirmed = False
        if not confirmed:
            raise NothingDone("Nothing deleted.", hint="Pass --yes to delete without a question.")
    delete_entry(session, view, now=env.now())
    kind = "check-in" if isinstance(view, CheckinView) else "entry"
    messages.info(f"Deleted {kind} {view.id}.")


def tags(
    ctx: typer.Context,
    space: SpaceOpt = None,
    everything: AllOpt = False,
    as_json: JsonFlag = False,
) -> None:
    """List tags with the number of entries using each.

    Reads your private journal; --space S reads one space, --all your journal and every space.
    """
    from peerlog.actions.journal import count_tags
    from peerlog.actions.spaces import open_scopes
    from peerlog.render import messages

    home = get_env(ctx).home
    sessions = open_scopes(home, space, everything)
    pairs, problems = count_tags(sessions)
    messages.skipped_files(problems)
    if as_json:
        from peerlog.render.json import print_json, tags_json

        print_json(tags_json(pairs))
        return
    from peerlog.render.journal import print_tags
    from peerlog.render.lines import Terminal

    if not pairs:
        from peerlog.actions.spaces import elsewhere
        from peerlog.render.scope import nothing_found

        others = elsewhere(home, sessions, lambda s: len(count_tags(s)[0]))
        if any(count for _, count in others):
            spaces = [s.space for s in sessions]
            Terminal.detect().write(nothing_found("tags", spaces, filtered=False, elsewhere=others))
            return
    print_tags(Terminal.detect(), pairs)


def export(
    ctx: typer.Context,
    fmt: Annotated[
        Literal["json", "markdown", "html"],
        typer.Option(
            "--format",
            "-f",
            help="json (complete, every version), markdown, or html (a report with the summary).",
        ),
    ] = "json",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="PATH",
            help="Write to this file (created private); '-' or none: stdout.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing --out file.")
    ] = False,
    since: Since = None,
    until: Until = None,
    tag: TagFilter = None,
    starred: Starred = False,
    space: SpaceOpt = None,
    everything: AllOpt = False,
) -> None:
    """Export entries as JSON or Markdown, or an HTML report to open or print.

    Reads your private journal; --space S reads one space, --all your journal and every space.
    Markdown and HTML show times in this machine's time zone, as `list` does. With no entries
    to export, the (empty) document is still written and standard error says why.
    """
    from peerlog.actions.spaces import open_scopes
    from peerlog.render.export import export_json, export_markdown

    env = get_env(ctx)
    selection = _filter(env, since, until, tag, starred=starred)
    now = env.now()
    document: Iterator[str] | list[str]
    if fmt == "json" and selection.selects_all:  # every entry: a backup, with the record files
        from peerlog.actions.export import read_everything
        from peerlog.actions.journal import skipped_files
        from peerlog.render import messages

        sessions = open_scopes(env.home, space, everything)
        read = read_everything(sessions)
        messages.skipped_files(skipped_files(sessions))
        views, records = read.entries, read.record_files()
    else:
        selected, sessions = _select(env, selection, None, space, everything, ids=False)
        views, records = selected.entries, None
    if fmt == "json":
        document = export_json(views, now=now, records=records)
    elif fmt == "html":
        from peerlog.actions.summary import build_summary
        from peerlog.render.html import html_report
        from peerlog.when import range_start

        start = range_start(since, now) if since is not None else None
        if start is None and views:  # the whole history, not the dashboard's 12 weeks
            start = min(v.when for v in views)
        sessions = open_scopes(env.home, space, everything)
        summary, _, _ = build_summary(sessions, now=now, since=start)
        title = f"Space {space}" if space else f"{sessions[0].identity.name}'s journal"
        window = [v for v in views if v.when.date() >= summary.start]
        document = [html_report(summary, window, title=title, now=now)]
    else:
        session = open_scopes(env.home, space, everything)[0]
        title = f"Space {session.space}" if space else f"{session.identity.name}'s journal"
        document = [export_markdown(views, now=now, title=title)]
    _emit_export(document, len(views), out, force)
    if not views:  # the document is still made (a valid, empty export); this says why
        import sys

        from peerlog.render.lines import Terminal

        lines = _nothing_found(
            env.home, sessions, filtered=not selection.selects_all, count=_counter(selection)
        )
        Terminal.detect(sys.stderr).write(lines)


def _emit_export(
    document: Iterator[str] | list[str], count: int, out: Path | None, force: bool
) -> None:
    """The export on stdout, piece by piece as it is made, or in the file named by --out."""
    if out is None or str(out) == "-":
        from peerlog.render.json import print_document

        print_document(document)
        return
    from peerlog.actions.export import write_export
    from peerlog.render import messages

    write_export(out, document, force=force)
    entries = "1 entry" if count == 1 else f"{count} entries"
    messages.info(f"Exported {entries} to {out}.")


def reply(
    ctx: typer.Context,
    entry_id: EntryId,
    text: Annotated[list[str] | None, text_argument("Your reply.")] = None,
) -> None:
    """Reply to an entry or check-in; the reply goes where it is."""
    from peerlog.actions.journal import reply_to
    from peerlog.fold import EntryView
    from peerlog.render import messages

    env = get_env(ctx)
    now = env.now()
    session, view = _find_post(env, entry_id, ("an entry", "a check-in"))

    def save(body: str) -> None:
        record = reply_to(session, view, body, now=now)
        kind = "entry" if isinstance(view, EntryView) else "check-in"
        messages.info(f"Saved reply {record.id} to {view.author}'s {kind} {view.id}.")
        warn_if_not_counted(session, record)

    _with_text(env, text, initial="", save=save)
