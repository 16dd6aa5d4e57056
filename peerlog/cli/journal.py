"""Journal commands: write, list, show, edit, delete, search, tags, export."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from peerlog.cli.context import Env, get_env, moment_of
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
    Yes,
    text_argument,
)
from peerlog.cli.written import warn_if_not_counted
from peerlog.errors import NothingDone, UsageError
from peerlog.render import messages

if TYPE_CHECKING:
    from peerlog.actions.journal import JournalSession
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
    from peerlog.actions.journal import check_tags, write_entry
    from peerlog.actions.spaces import open_scopes
    from peerlog.records.mood import check_mood

    env = get_env(ctx)
    now = env.now()
    session = open_scopes(env.home, space)[0]
    # Everything is checked before an editor opens, so nothing typed is lost to a bad option.
    check_tags(tag or [])
    check_mood(mood)
    when = moment_of(date, now)

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


DEFAULT_PAGE = 20  # `list` without -n: a screenful, newest first (JSON stays complete)


def _page_size(order: str) -> Any:
    """The -n option of `list` and `search`, whose pages are sorted `order` (newest, best) first."""
    return typer.Option(
        "-n",
        "--number",
        min=1,
        metavar="N",
        help=f"Show at most N entries, {order} first (default {DEFAULT_PAGE}; with --json, all).",
    )


def _find_post(
    env: Env, prefix: str, *, checkins: bool = True
) -> tuple[JournalSession, EntryView | CheckinView]:
    """The entry (or check-in) `prefix` names, in any journal, warning once about each file
    that was skipped; a NotFound says what the id is when it is another kind of record."""
    from peerlog.actions.journal import find_post, scopes_with
    from peerlog.actions.lookup import naming_other_kinds
    from peerlog.actions.spaces import open_scopes

    scoped, problems = scopes_with(open_scopes(env.home, None, everything=True), prefix)
    messages.skipped_files(problems)
    wanted = ("an entry", "a check-in") if checkins else ("an entry",)
    with naming_other_kinds([item.session for item in scoped], prefix, wanted):
        return find_post(scoped, prefix, checkins=checkins)


def _nothing_found(
    home: Home, sessions: Sequence[JournalSession], selection: EntryFilter
) -> list[Line]:
    """Why no entry is shown: the journals read and, when spaces not read hold some, how to
    see them (the one rule of every listing command)."""
    from peerlog.actions.journal import select_entries
    from peerlog.actions.spaces import elsewhere
    from peerlog.render.scope import nothing_found

    def count(others: Sequence[JournalSession]) -> int:
        return select_entries(others, selection, 1, counted=True, ids=False).total

    spaces = [s.space for s in sessions]
    others = elsewhere(home, sessions, count)
    return nothing_found("entries", spaces, filtered=not selection.selects_all, elsewhere=others)


def list_entries(
    ctx: typer.Context,
    number: Annotated[int | None, _page_size("newest")] = None,
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
    number: Annotated[int | None, _page_size("best")] = None,
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
    """What `list` and `search` print: at most `number` entries, else a page of `DEFAULT_PAGE`
    (sorted `order` first: newest, best) that says how many there are in all and how to see
    the rest (JSON: every one). Ids are shortened so each stays unique among every entry's;
    when none match, it says which journals were read and where else some are."""
    from peerlog.actions.journal import select_entries
    from peerlog.actions.spaces import names_of, open_scopes

    page = number is None and not as_json
    sessions = open_scopes(env.home, space, everything)
    selected = select_entries(
        sessions, selection, DEFAULT_PAGE if page else number, counted=page, ids=not as_json
    )
    messages.skipped_files(selected.skipped)
    views = selected.entries
    if as_json:
        from peerlog.render.json import entry_json, print_json

        print_json([entry_json(v) for v in views])
        return
    from peerlog.render.lines import Terminal

    if not views:
        Terminal.detect().write(_nothing_found(env.home, sessions, selection))
        return
    from peerlog.fold import short_ids
    from peerlog.render.journal import print_entry_list
    from peerlog.render.scope import more_line

    footer = None
    if page and selected.total > len(views):
        footer = more_line("entries", len(views), selected.total, order=order)
    shared = any(s.space for s in sessions)
    print_entry_list(
        Terminal.detect(),
        views,
        short_ids((v.id for v in views), among=selected.neighbours),
        show_author=shared,
        footer=footer,
        names=names_of(sessions) if shared else None,
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

    session, post = _find_post(get_env(ctx), entry_id)
    if as_json:
        from peerlog.render.json import checkin_json, entry_json, print_json

        print_json(
            entry_json(post, history=history) if isinstance(post, EntryView) else checkin_json(post)
        )
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
    from peerlog.actions.journal import check_own, check_tags, revise_entry
    from peerlog.fold import EntryView
    from peerlog.records.mood import check_mood

    env = get_env(ctx)
    now = env.now()
    check_tags(tag or [])
    check_mood(mood)
    session, view = _find_post(env, entry_id, checkins=False)
    assert isinstance(view, EntryView)

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
    yes: Yes = False,
) -> None:
    """Delete one of your entries or check-ins (hidden from every view; its file stays)."""
    from peerlog.actions.journal import check_own, delete_entry
    from peerlog.fold.journal import CheckinView
    from peerlog.render.sanitize import clean_line

    env = get_env(ctx)
    session, view = _find_post(env, entry_id)
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
    from peerlog.actions.spaces import elsewhere, open_scopes

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
    sessions = open_scopes(env.home, space, everything)
    records = None
    if fmt == "json" and selection.selects_all:  # every entry: a backup, with the record files
        from peerlog.actions.export import read_everything
        from peerlog.actions.journal import skipped_files

        read = read_everything(sessions)
        messages.skipped_files(skipped_files(sessions))
        views, records = read.entries, read.record_files()
    else:
        from peerlog.actions.journal import select_entries

        selected = select_entries(sessions, selection, ids=False)
        messages.skipped_files(selected.skipped)
        views = selected.entries
    title = f"Space {space}" if space else f"{sessions[0].identity.name}'s journal"
    document: Iterator[str] | list[str]
    if fmt == "json":
        document = export_json(views, now=now, records=records)
    elif fmt == "html":
        from peerlog.actions.summary import build_summary
        from peerlog.render.html import html_report

        start = selection.since
        if start is None and views:  # the whole history, not the dashboard's 12 weeks
            start = min(v.when for v in views)
        summary, _, _ = build_summary(sessions, now=now, since=start)
        window = [v for v in views if v.when.date() >= summary.start]
        document = [html_report(summary, window, title=title, now=now)]
    else:
        document = [export_markdown(views, now=now, title=title)]
    if out is None or str(out) == "-":  # on stdout, piece by piece as it is made
        from peerlog.render.json import print_document

        print_document(document)
    else:
        from peerlog.actions.export import write_export

        write_export(out, document, force=force)
        from peerlog.render.journal import plural

        messages.info(f"Exported {plural(len(views), 'entry', 'entries')} to {out}.")
    if not views:  # the document is still made (a valid, empty export); this says why
        from peerlog.render.lines import Terminal

        Terminal.detect(sys.stderr).write(_nothing_found(env.home, sessions, selection))


def reply(
    ctx: typer.Context,
    entry_id: EntryId,
    text: Annotated[list[str] | None, text_argument("Your reply.")] = None,
) -> None:
    """Reply to an entry or check-in; the reply goes where it is."""
    from peerlog.actions.journal import reply_to
    from peerlog.fold import EntryView

    env = get_env(ctx)
    now = env.now()
    session, view = _find_post(env, entry_id)

    def save(body: str) -> None:
        record = reply_to(session, view, body, now=now)
        kind = "entry" if isinstance(view, EntryView) else "check-in"
        messages.info(f"Saved reply {record.id} to {view.author}'s {kind} {view.id}.")
        warn_if_not_counted(session, record)

    _with_text(env, text, initial="", save=save)
