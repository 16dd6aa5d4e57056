"""Rendering: the only package that imports Rich, and only in the modules that draw.

`sanitize`, `messages` and `json` are Rich-free so the write path and `--json` stay fast;
`console` and the view modules import Rich. Partner-written text reaches the terminal only as
`rich.text.Text` built by `console.safe_text`, after `sanitize.clean_terminal_text`.
"""
