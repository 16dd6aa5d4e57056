"""Check-ins, what is due, and help-now."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peerlog.cli.context import Env, get_env
from peerlog.cli.options import AllOpt, JsonFlag, Mood, SpaceOpt
from peerlog.cli.written import warn_if_not_counted
from peerlog.errors import NothingDone, UsageError
from peerlog.render import messages

if TYPE_CHECKING:
    from peerlog.actions.journal import JournalSession

MOOD_QUESTION = "How are you feeling today? 1 rough, 2 low, 3 okay, 4 good, 5 great (Enter skips)"


def checkin(
    ctx: typer.Context,
    space: SpaceOpt = None,
    mood: Mood = None,
    win: Annotated[
        list[str] | None,
        typer.Option("--win", metavar="TEXT", help="Something that went well (repeatable)."),
    ] = None,
    struggle: Annotated[
        list[str] | None,
        typer.Option("--struggle", metavar="TEXT", help="Something that is hard (repeatable)."),
    ] = None,
    need: Annotated[str, typer.Option("--need", metavar="TEXT", help="What you need.")] = "",
    offer: Annotated[
        str, typer.Option("--offer", metavar="TEXT", help="What you can offer others.")
    ] = "",
    note: Annotated[str, typer.Option("--note", metavar="TEXT", help="Anything else.")] = "",
) -> None:
    """Check in: how you feel, what went well, what is hard, what you need and can offer.

    On a terminal with no options it asks, one short question at a time (and offers to log
    progress on your active goals there). With options it asks nothing, so it scripts.
    """
    from peerlog.actions.dialogue import write_checkin
    from peerlog.actions.spaces import open_scopes

    env = get_env(ctx)
    now = env.now()
    session = open_scopes(env.home, space)[0]
    answers: dict[str, Any] = {
        "mood": mood,
        "wins": win or [],
        "struggles": struggle or [],
        "need": need,
        "offer": offer,
        "note": note,
    }
    logs: list[tuple[Any, float]] = []
    if not any(answers.values()):  # a mood is 1 to 5: never false
        if not env.stdin_isatty:
            raise NothingDone(
                "Nothing saved: the check-in is empty.",
                hint="On a terminal `peerlog checkin` asks; in scripts pass --mood, --win, …",
            )
        try:
            answers, logs = _ask(session, now)
        except (KeyboardInterrupt, typer.Abort):
            typer.echo()  # the cursor is still after a question: end its line first
            raise NothingDone("Check-in cancelled; nothing was saved.") from None
    record = write_checkin(session, now=now, **answers)
    where = f" in space {session.space}" if session.space else ""
    messages.info(f"Saved check-in {record.id}{where}. Thank you for checking in.")
    warn_if_not_counted(session, record)
    if logs:  # goal code is imported only when the questions logged progress
        from peerlog.actions.goals import log_progress
    for goal, amount in logs:
        log_progress(session, goal, now=now, amount=amount)
        messages.info(f"Logged {amount:g} on '{goal.title}'.")


def _ask(session: JournalSession, now: Any) -> tuple[dict[str, Any], list[tuple[Any, float]]]:
    """The guided check-in: short questions, every one skippable with Enter."""
    from peerlog.actions.goals import read_goals
    from peerlog.fold.progress import goal_progress
    from peerlog.records.goals import MAX_AMOUNT
    from peerlog.records.mood import parse_mood
    from peerlog.render.goals import progress_summary

    def ask(question: str) -> str:
        return str(typer.prompt(question, default="", show_default=False)).strip()

    def ask_list(question: str) -> list[str]:
        items = []
        typer.echo(f"{question} (one per line; an empty line moves on)")
        while item := ask(" "):
            items.append(item)
        return items

    mood: int | None = None
    while mood is None and (answer := ask(MOOD_QUESTION)):
        try:
            mood = parse_mood(answer)
        except UsageError:
            typer.echo("Please answer with 1 to 5 or a word (rough … great), or press Enter.")
    answers: dict[str, Any] = {
        "mood": mood,
        "wins": ask_list("What went well?"),
        "struggles": ask_list("What is hard right now?"),
        "need": ask("What do you need?"),
        "offer": ask("What can you offer others?"),
        "note": ask("Anything else?"),
    }
    me = session.identity.member
    logs = []
    for goal in (item.goal for item in read_goals([session])[0]):
        if goal.state != "active" or me not in goal.active:
            continue
        summary = progress_summary(goal, goal_progress(goal, now))
        question = f"Progress on '{goal.title}' ({summary})? An amount, or Enter"
        while answer := ask(question):
            try:
                amount = float(answer)
            except ValueError:
                amount = float("nan")
            if 0 < abs(amount) <= MAX_AMOUNT:  # also false for nan
                logs.append((goal, amount))
                break
            typer.echo(f"Please give a number up to {MAX_AMOUNT:,}, or press Enter to skip.")
    return answers, logs


def checkins(
    ctx: typer.Context,
    number: Annotated[
        int | None,
        typer.Option(
            "-n", "--number", min=1, metavar="N", help="Show at most N check-ins, newest first."
        ),
    ] = None,
    space: SpaceOpt = None,
    everything: AllOpt = False,
    as_json: JsonFlag = False,
) -> None:
    """List check-ins with their replies, newest first.

    Reads your private journal; --space S reads one space, --all your journal and every space.
    """
    from peerlog.actions.journal import read_scopes
    from peerlog.actions.spaces import elsewhere, names_of, open_scopes

    env = get_env(ctx)
    sessions = open_scopes(env.home, space, everything)
    scoped, problems = read_scopes(sessions)
    messages.skipped_files(problems)
    # Newest first by time: clocks of different journals cannot be compared.
    views = sorted(
        (c for item in scoped for c in item.journal.checkins),
        key=lambda c: (c.checkin.created, c.checkin.clock, c.id),
        reverse=True,
    )[:number]
    if as_json:
        from peerlog.render.json import checkin_json, print_json

        print_json([checkin_json(v) for v in views])
        return
    from peerlog.render.lines import Terminal

    if not views:
        from peerlog.render.scope import nothing_found

        def count(others: Sequence[JournalSession]) -> int:
            return sum(len(item.journal.checkins) for item in read_scopes(others)[0])

        others = elsewhere(env.home, sessions, count)
        spaces = [s.space for s in sessions]
        Terminal.detect().write(
            nothing_found("check-ins", spaces, filtered=False, elsewhere=others)
        )
        return
    from peerlog.fold import short_ids
    from peerlog.render.dialogue import print_checkin_list

    print_checkin_list(Terminal.detect(), views, short_ids(v.id for v in views), names_of(sessions))


def due(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """What is waiting for you: answers, agreements, check-ins, replies, goals behind.

    Each thing shows once. What asks for an answer shows until you act on it; news (a reply
    to you, a goal reopened) shows until you have seen it here or in bare `peerlog`.
    """
    show_due(get_env(ctx), as_json=as_json)


def show_due(env: Env, *, as_json: bool = False, brief: bool = False) -> None:
    from peerlog.actions.due import what_is_due
    from peerlog.actions.spaces import open_scopes
    from peerlog.store.home import mark_news_seen, seen_news

    sessions = open_scopes(env.home, everything=True)
    me = sessions[0].identity.member
    items, problems = what_is_due(me, sessions, now=env.now(), seen=seen_news(env.home))
    # Briefly (bare `peerlog`), only a whole space that is missing is worth a warning.
    messages.skipped_files(p for p in problems if not brief or p[1].kind == "missing")
    if as_json:
        from peerlog.render.json import due_json, print_json

        print_json(due_json(items))
        return
    from peerlog.render.due import BRIEF, due_lines
    from peerlog.render.lines import Terminal

    Terminal.detect().write(due_lines(items, brief=brief))
    shown = items[:BRIEF] if brief else items
    mark_news_seen(env.home, [item.news for item in shown if item.news is not None])


def help_now(
    ctx: typer.Context,
    add: Annotated[
        str | None,
        typer.Option("--add", metavar="TEXT", help="Add a contact, e.g. 'Sam (friend): 0123'."),
    ] = None,
    remove: Annotated[
        int | None, typer.Option("--remove", metavar="N", help="Remove contact number N.", min=1)
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Support contacts you chose, and what peerlog is not (no crisis service, no alerts)."""
    from peerlog.store import load_identity
    from peerlog.store.home import help_contacts, set_help_contacts

    env = get_env(ctx)
    contacts = help_contacts(env.home)
    if add is not None or remove is not None:
        load_identity(env.home)  # contacts live in your config: set up first
        if add is not None:
            if not add.strip() or len(add) > 300:
                raise UsageError("A contact is a line of 1 to 300 characters.")
            contacts.append(" ".join(add.split()))
            messages.info(f"Added {contacts[-1]}.")
        if remove is not None:
            if remove > len(contacts):
                raise UsageError(f"There is no contact number {remove}.")
            removed = contacts.pop(remove - 1)
            messages.info(f"Removed {removed}.")
        set_help_contacts(env.home, contacts)
    if as_json:
        from peerlog.render.dialogue import NOT_A_SERVICE
        from peerlog.render.json import print_json

        print_json({"contacts": contacts, "statement": NOT_A_SERVICE})
        return
    from peerlog.render.console import make_console
    from peerlog.render.dialogue import print_help_now

    print_help_now(make_console(), contacts)
