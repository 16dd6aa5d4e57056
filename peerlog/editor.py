"""Running the user's editor (`$VISUAL`, else `$EDITOR`) on a private temporary file.

The file is created 0600 by `mkstemp` and removed afterwards, unless saving what was typed
failed: then it is kept and the error says where, so no text is ever lost.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from collections.abc import Iterator, Mapping

from peerlog.errors import NothingDone, PeerlogError, UsageError


@contextlib.contextmanager
def edited_text(initial: str, environ: Mapping[str, str]) -> Iterator[str]:
    """Yield the text the user saved in their editor; NothingDone if it is unchanged."""
    editor = environ.get("VISUAL") or environ.get("EDITOR")
    if not editor or not editor.strip():
        raise UsageError(
            "No text was given and no editor is set.",
            hint="Pass the text as arguments, pipe it in, or set $EDITOR (e.g. EDITOR=nano).",
        )
    command = shlex.split(editor)
    fd, path = tempfile.mkstemp(prefix="peerlog-", suffix=".md")
    keep = False
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(initial)
        try:
            status = subprocess.run([*command, path], check=False).returncode
        except OSError as exc:
            raise UsageError(
                f"Could not start the editor '{command[0]}': {exc.strerror}.",
                hint="Check $VISUAL / $EDITOR.",
            ) from None
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as handle:
            text = handle.read()
        if status != 0:
            keep = text != initial
            where = f" What you typed is kept in {path}." if keep else ""
            raise NothingDone(f"The editor exited with status {status}; nothing saved.{where}")
        if text == initial:
            raise NothingDone("Nothing saved: the text was not changed.")
        try:
            yield text
        except PeerlogError as exc:
            if text.strip() and not isinstance(exc, NothingDone):
                keep = True
                exc.hint = f"{exc.hint + ' ' if exc.hint else ''}Your text is kept in {path}."
            raise
    finally:
        if not keep:
            with contextlib.suppress(OSError):
                os.unlink(path)
