"""What `peerlog tour` shows: a year of Sam and Alex in a shared space, as Sam's summary."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from peerlog.fold.summary import Summary
from peerlog.render.summary import print_summary
from peerlog.store import Home


def print_tour(
    console: Console, folder: Path, home: Home, summary: Summary, *, kept: bool = True
) -> None:
    """The tour's summary; `folder` is the sandbox and `home` Sam's home in it."""
    console.rule(Text("peerlog tour", style="bold"))
    console.print(
        Text(
            "Sam and Alex are peers. For a year they have kept a shared space: entries, "
            "check-ins every couple of days, replies, goals they agreed on together, and things "
            "that helped. This is Sam's summary of the last 12 weeks. Your own journal is not "
            "touched.",
        )
    )
    console.print()
    print_summary(console, summary, "Sam's journal and the space sam-and-alex")
    console.print()
    if not kept:
        console.print(Text("The sandbox has been removed again.", style="dim"))
    else:
        console.print(Text("Explore the sandbox as Sam:", style="bold"))
        for line in (
            f"  export PEERLOG_HOME={home.root} PEERLOG_CACHE_DIR={home.cache_root}",
            "  peerlog goal list    peerlog checkins --all -n 5    peerlog due",
            f"It is all in {folder}; delete that folder when you are done.",
        ):
            # soft_wrap: long paths wrap in the terminal without inserted newlines, so they copy.
            console.print(Text(line), soft_wrap=True)
    console.print(Text('To start your own journal: peerlog init --name "Your Name"'))
