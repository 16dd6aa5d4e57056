"""What `peerlog tour` shows: the sandbox's recent entries, its tags, and where to go next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from peerlog.fold import count_tags, short_ids
from peerlog.render.journal import print_entry_list, print_tags

if TYPE_CHECKING:
    from peerlog.actions.tour import Sandbox

TOUR_ENTRIES = 8


def print_tour(console: Console, sandbox: Sandbox, *, kept: bool = True) -> None:
    entries = sandbox.journal.entries
    console.rule(Text("peerlog tour", style="bold"))
    console.print(
        Text(
            f"A sandbox journal for Sam with {len(entries)} entries from the last few weeks. "
            "Your own journal is not touched.",
        )
    )
    console.print()
    console.print(Text("Latest entries (peerlog list -n 8)", style="bold underline"))
    shorts = short_ids(v.id for v in entries)
    print_entry_list(console, entries[:TOUR_ENTRIES], shorts)
    console.print()
    console.print(Text("Tags (peerlog tags)", style="bold underline"))
    print_tags(console, count_tags(entries))
    console.print()
    if not kept:
        console.print(Text("The sandbox has been removed again.", style="dim"))
    else:
        console.print(Text("Explore the sandbox yourself:", style="bold"))
        home = sandbox.home.root
        cache = sandbox.home.cache_root
        # soft_wrap: long paths wrap in the terminal without inserted newlines, so they copy.
        console.print(
            Text(f"  export PEERLOG_HOME={home} PEERLOG_CACHE_DIR={cache}"), soft_wrap=True
        )
        console.print(Text("  peerlog list --tag coping    peerlog search walk"), soft_wrap=True)
        console.print(
            Text(f"It is all in {sandbox.folder}; delete that folder when you are done."),
            soft_wrap=True,
        )
    console.print(Text('To start your own journal: peerlog init --name "Your Name"'))
