"""Option types shared by several commands, so each is spelled and documented once."""

from __future__ import annotations

from typing import Annotated, Any

import typer

JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print JSON (stable keys, see docs/json.md).")
]
Tags = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        "-t",
        metavar="TAG",
        help="A tag (repeat for more). #words in the text are tags too.",
    ),
]
TagFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--tag", "-t", metavar="TAG", help="Only entries with this tag (repeat: all must match)."
    ),
]
Starred = Annotated[
    bool, typer.Option("--starred", help="Only starred entries (write --star, or jrnl's stars).")
]


def _mood(text: str) -> int:
    from peerlog.records.mood import parse_mood

    return parse_mood(text)


Mood = Annotated[
    int | None,
    typer.Option(
        "--mood",
        "-m",
        metavar="1-5",
        parser=_mood,
        help="How are you feeling? 1 rough, 2 low, 3 okay, 4 good, 5 great (number or word).",
    ),
]
Since = Annotated[
    str | None,
    typer.Option(
        "--since", "-s", metavar="WHEN", help="Only entries on or after WHEN (e.g. 'last week')."
    ),
]
Until = Annotated[
    str | None,
    typer.Option(
        "--until", "-u", metavar="WHEN", help="Only entries on or before WHEN (e.g. yesterday)."
    ),
]
EntryId = Annotated[
    str, typer.Argument(metavar="ID", help="The entry's id, or any unique start of it.")
]
SpaceOpt = Annotated[
    str | None,
    typer.Option("--space", metavar="SPACE", help="Use this shared space instead of your journal."),
]
WhichSpace = Annotated[
    str | None,
    typer.Option("--space", metavar="S", help="The space (needed if you joined several)."),
]
AllOpt = Annotated[
    bool, typer.Option("--all", "-a", help="Your private journal and every space you joined.")
]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def text_argument(what: str) -> Any:
    """The `[TEXT]...` argument of write, edit and reply; `what` names the text in the help."""
    return typer.Argument(
        metavar="[TEXT]...",
        help=f"{what} Without it: standard input when piped, else your $EDITOR.",
    )


def fingerprint_option(shows: str) -> Any:
    """The --fingerprint of `space admit` and `device approve`; `shows` says whose it is."""
    return typer.Option(
        "--fingerprint",
        metavar="DIGITS",
        help=f"The fingerprint {shows} (needed when not asked on a terminal).",
    )
