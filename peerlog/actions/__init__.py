"""The library: one function per user action, composing store and fold.

The CLI is a thin layer over these functions; they are usable without it. No Rich, no Typer,
no prompts: anything interactive happens in `peerlog.cli` before an action is called.
"""
