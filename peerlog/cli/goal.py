"""`peerlog goal …`: goals agreed between equals (DESIGN §4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peerlog.cli.context import Env, get_env, moment_of
from peerlog.cli.options import JsonFlag, SpaceOpt
from peerlog.cli.written import warn_if_not_counted
from peerlog.errors import NothingDone, UsageError
from peerlog.render import messages

if TYPE_CHECKING:
    from peerlog.actions.goals import ScopedGoal

goal_app = typer.Typer(
    name="goal",
    help="Goals agreed between equals: proposed, accepted by everyone, logged, completed together.",
    no_args_is_help=True,
)

GoalId = Annotated[str, typer.Argument(metavar="GOAL", help="The goal's id, or a unique start.")]
Title = Annotated[str | None, typer.Option("--title", metavar="TEXT", help="A new title.")]
Why = Annotated[str | None, typer.Option("--why", metavar="TEXT", help="Why it matters.")]
TargetOpt = Annotated[
    str | None,
    typer.Option(
        "--target",
        metavar="TARGET",
        help="A total (10, '10 sessions') or a cadence (3/week, 1/day, 2/month).",
    ),
]
By = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="WHEN",
        help="A finish date: friday (the coming one), in 2 weeks, end of month, 2026-12-24.",
    ),
]
Reason = Annotated[str, typer.Option("--reason", metavar="TEXT", help="Say why, if you like.")]


def _find(env: Env, goal_id: str, *, logs: bool) -> ScopedGoal:
    from peerlog.actions.goals import find_goal, read_goals
    from peerlog.actions.lookup import naming_other_kinds
    from peerlog.actions.spaces import open_scopes

    sessions = open_scopes(env.home, None, everything=True)
    goals, problems = read_goals(sessions, logs=logs, prefix=goal_id)
    messages.skipped_files(problems)  # before saying it is not there: they may be why
    with naming_other_kinds(sessions, goal_id, ("a goal",)):
        return find_goal(goals, goal_id)


def _act(
    ctx: typer.Context,
    goal_id: str,
    action: Callable[..., Any],
    done: str,
    *,
    logs: bool = False,
    **kw: Any,
) -> None:
    """Find the goal, run one action on it, and say what happened. Only an action that looks
    at the logs (`logs`) reads them."""
    env = get_env(ctx)
    item = _find(env, goal_id, logs=logs)
    record = action(item.session, item.goal, now=env.now(), **kw)
    messages.info(done.format(title=item.goal.title))
    warn_if_not_counted(item.session, record)


@goal_app.command("propose")
def propose(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(metavar="TITLE", help="What the goal is.")],
    why: Why = None,
    target: TargetOpt = None,
    by: By = None,
    with_members: Annotated[
        list[str] | None,
        typer.Option(
            "--with",
            metavar="MEMBER",
            help="Do it with this member (repeatable). Default: everyone in the space.",
        ),
    ] = None,
    space: SpaceOpt = None,
) -> None:
    """Propose a goal: in a space it becomes active when every participant accepts it."""
    from peerlog.actions.goals import propose_goal
    from peerlog.actions.spaces import open_scopes

    env = get_env(ctx)
    session = open_scopes(env.home, space)[0]
    goal = propose_goal(
        session,
        title,
        now=env.now(),
        why=why or "",
        target=target,
        by=moment_of(by, env.now(), ahead=True),
        with_members=with_members or (),
    )
    messages.info(f"Proposed goal {goal.id}: {goal.title}.")
    others = [p for p in goal.participants if p != session.identity.member]
    if others:
        verb = "accepts" if len(others) == 1 else "accept"
        messages.info(f"It becomes active when {' and '.join(others)} {verb} it.")
    warn_if_not_counted(session, goal)


@goal_app.command("list")
def list_goals(ctx: typer.Context, space: SpaceOpt = None, as_json: JsonFlag = False) -> None:
    """List goals: yours and every space's (or one space's), newest first."""
    from peerlog.actions.goals import read_goals
    from peerlog.actions.spaces import names_of, open_scopes
    from peerlog.fold.progress import goal_progress

    env = get_env(ctx)
    now = env.now()
    items, problems = read_goals(open_scopes(env.home, space, everything=True))
    messages.skipped_files(problems)
    pairs = [(item.goal, goal_progress(item.goal, now)) for item in items]
    if as_json:
        from peerlog.render.json import goal_json, print_json

        print_json([goal_json(g, p, history=False) for g, p in pairs])
        return
    from peerlog.fold import short_ids
    from peerlog.render.console import make_console
    from peerlog.render.goals import print_goal_list

    sessions = {id(item.session): item.session for item in items}
    names = names_of(list(sessions.values()))
    print_goal_list(make_console(), pairs, short_ids(g.id for g, _ in pairs), names)


@goal_app.command("show")
def show(ctx: typer.Context, goal_id: GoalId, as_json: JsonFlag = False) -> None:
    """Show a goal: state, who agreed to which terms, progress, history."""
    from peerlog.fold.progress import goal_progress

    env = get_env(ctx)
    item = _find(env, goal_id, logs=True)
    progress = goal_progress(item.goal, env.now())
    if as_json:
        from peerlog.render.json import goal_json, print_json

        print_json(goal_json(item.goal, progress))
        return
    from peerlog.actions.spaces import names_of
    from peerlog.render.console import make_console
    from peerlog.render.goals import print_goal

    print_goal(make_console(), item.goal, progress, names_of([item.session]))


@goal_app.command("accept")
def accept(
    ctx: typer.Context,
    goal_id: GoalId,
    seen: Annotated[
        str | None,
        typer.Option(
            "--terms",
            metavar="ID",
            help="The terms you read (their id from `goal show`): refused if newer ones "
            "replaced them.",
        ),
    ] = None,
) -> None:
    """Agree to a goal's newest terms (or rejoin a goal you withdrew from).

    The terms are shown, and on a terminal you are asked before anything is saved; the
    acceptance names those terms, so terms changed later never count as agreed.
    """
    from peerlog.actions.goals import accept_goal, describe_terms, terms_to_accept

    env = get_env(ctx)
    item = _find(env, goal_id, logs=False)
    terms = terms_to_accept(item.session, item.goal)
    if seen is None and env.stdin_isatty:
        messages.info(f"The terms: {describe_terms(terms)}.")
        if not typer.confirm("Accept exactly these terms?", default=False):
            raise NothingDone("Nothing saved: not accepted.")
        seen = terms.id
    record = accept_goal(item.session, item.goal, now=env.now(), seen=seen)
    messages.info(f"You agreed to {describe_terms(terms)}.")
    warn_if_not_counted(item.session, record)


@goal_app.command("decline")
def decline(ctx: typer.Context, goal_id: GoalId, reason: Reason = "") -> None:
    """Say no to a goal's newest terms; nothing changes without everyone's yes."""
    from peerlog.actions.goals import decline_goal

    _act(ctx, goal_id, decline_goal, "You declined '{title}'.", reason=reason)


@goal_app.command("amend")
def amend(
    ctx: typer.Context,
    goal_id: GoalId,
    title: Title = None,
    target: TargetOpt = None,
    why: Why = None,
    by: By = None,
) -> None:
    """Propose new terms; the old ones stand until every participant accepts them."""
    from peerlog.actions.goals import amend_goal

    _act(
        ctx,
        goal_id,
        amend_goal,
        "Proposed new terms for '{title}'; the current terms stand until everyone accepts.",
        title=title,
        target=target,
        why=why,
        by=moment_of(by, get_env(ctx).now(), ahead=True),
    )


@goal_app.command("log")
def log(
    ctx: typer.Context,
    goal_id: GoalId,
    amount: Annotated[
        float, typer.Argument(metavar="[AMOUNT]", help="How much (default 1).")
    ] = 1.0,
    note: Annotated[str, typer.Option("--note", metavar="TEXT", help="A note.")] = "",
    date: Annotated[
        str | None, typer.Option("--date", metavar="WHEN", help="When it happened (WHEN).")
    ] = None,
    undo: Annotated[
        bool, typer.Option("--undo", help="Take back your most recent log on this goal.")
    ] = False,
) -> None:
    """Log progress on an active goal (or --undo your last log)."""
    from peerlog.actions.goals import log_progress, undo_last_log

    if undo:
        _act(ctx, goal_id, undo_last_log, "Took back your last log on '{title}'.", logs=True)
        return
    _act(
        ctx,
        goal_id,
        log_progress,
        f"Logged {amount:g} on '{{title}}'. Well done.",
        amount=amount,
        note=note,
        when=moment_of(date, get_env(ctx).now()),
    )


@goal_app.command("complete")
def complete(ctx: typer.Context, goal_id: GoalId) -> None:
    """Say a goal is done; it is done when every participant says so."""
    from peerlog.actions.goals import complete_goal

    _act(ctx, goal_id, complete_goal, "You said '{title}' is done.")


@goal_app.command("reopen")
def reopen(ctx: typer.Context, goal_id: GoalId) -> None:
    """Reopen a completed goal (completing it again needs everyone again)."""
    from peerlog.actions.goals import reopen_goal

    _act(ctx, goal_id, reopen_goal, "Reopened '{title}'.")


@goal_app.command("withdraw")
def withdraw(ctx: typer.Context, goal_id: GoalId, reason: Reason = "") -> None:
    """Step back from a goal, at any time (accept it again to rejoin)."""
    from peerlog.actions.goals import withdraw_goal

    _act(ctx, goal_id, withdraw_goal, "You withdrew from '{title}'.", reason=reason)


@goal_app.command("rest")
def rest(
    ctx: typer.Context,
    goal_id: GoalId,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="WHEN",
            help="Rest from today (or --date) until WHEN (friday: the coming one; in 3 days).",
        ),
    ] = None,
    skip: Annotated[bool, typer.Option("--skip", help="Rest for one day only.")] = False,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="WHEN", help="The first rest day (default today)."),
    ] = None,
) -> None:
    """Rest: days that never count as missed (--until WHEN, or --skip for one day)."""
    from peerlog.actions.goals import rest_goal

    now = get_env(ctx).now()
    if skip == (until is not None):
        raise UsageError("Give either --until WHEN or --skip.")
    first = moment_of(date, now) or now
    last = moment_of(until, now, ahead=True) or first  # --skip: that day alone
    start, end = first.date(), last.date()
    _act(
        ctx,
        goal_id,
        rest_goal,
        f"Resting on '{{title}}' from {start} to {end}. Rest is part of it.",
        start=start,
        until=end,
    )
