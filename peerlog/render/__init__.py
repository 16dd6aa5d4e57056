"""Rendering: the only package that imports Rich, and only in the modules that draw.

`sanitize`, `messages` and `json` are Rich-free so the write path and `--json` stay fast; so
are `lines` and the everyday views printed with it (`list`, `show`, `search`, `tags`, `due`,
`checkins`). The other views import Rich inside the functions that draw. Partner-written text
reaches the terminal only after `sanitize.clean_terminal_text`: as `rich.text.Text` built by
`console.safe_text`, or as a piece of a `lines.Line` added by `add_safe` or `text_lines`.
"""
