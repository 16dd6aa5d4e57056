"""The command line: Typer apps, one module per noun, over the library in `peerlog.actions`.

Commands parse, call one action, call one render function. No file I/O and no markup strings
here; Rich and heavy modules are imported inside the commands that need them.
"""
