"""Looking at a record folder the way `doctor` does: the files peerlog itself never reads.

Finds sync-engine conflict copies (by each engine's own naming), leftovers of an unfinished git
merge, symbolic links, special files (FIFOs, sockets, devices), folders that cannot be read or
are nested absurdly deep, and peerlog temp files left behind by a crash. Never follows a link,
never opens a file, never recurses (a tree 10,000 folders deep is one loop), and only ever
deletes stale temp files in this device's own folder (`remove_stale_temp`).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from datetime import datetime, timedelta
from pathlib import Path

from peerlog.classes import dataclass
from peerlog.store.publish import is_temp_name

STALE_TEMP_AGE = timedelta(days=1)

# Each engine's own naming for the copy it makes when one file changed in two places.
CONFLICT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Syncthing: name.sync-conflict-20261121-101010-ABCDEFG.ext
    ("Syncthing", re.compile(r"\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7}")),
    # Nextcloud / ownCloud: "name (conflicted copy 2026-11-21 101010).ext", "name_conflict-…"
    ("Nextcloud/ownCloud", re.compile(r" \(conflicted copy \d{4}-\d{2}-\d{2} \d{6}\)")),
    ("Nextcloud/ownCloud", re.compile(r"_conflict-\d{8}-\d{6}")),
    # Dropbox: "name (Sam's conflicted copy 2026-11-21).ext", also "(… conflicted copy (1))"
    ("Dropbox", re.compile(r"\(.*conflicted copy.*\)", re.IGNORECASE)),
    # OneDrive keeps both versions by adding the machine's name: "<id>-DESKTOP-AB12CD.md"
    ("OneDrive", re.compile(r"^[0-7][0-9a-hjkmnp-tv-z]{25}-[A-Za-z0-9][A-Za-z0-9-]{0,62}\.md$")),
    # Google Drive numbers the second copy: "<name> (1).md"
    ("Google Drive", re.compile(r" \(\d+\)(\.[^.]*)?$")),
)

# What `git mergetool` and a merge leave beside a file: "name.md.orig", "name_BACKUP_1234.md".
GIT_LEFTOVERS = re.compile(r"(\.orig$)|(_(BACKUP|BASE|LOCAL|REMOTE)_\d+)")
# Folders below a record root deeper than this are not looked into: peerlog's own are 5 deep.
MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Oddity:
    """Something in a folder that is not a record peerlog can use."""

    kind: str  # conflict-copy | git-leftover | symlink | special-file | unreadable | too-deep
    # | stray-temp
    path: Path
    detail: str  # the engine for conflict copies, the target for links, the age for temp files,
    # the error for unreadable folders


def conflict_engine(name: str) -> str | None:
    """The sync engine whose naming `name` follows, if it is a conflict copy."""
    for engine, pattern in CONFLICT_PATTERNS:
        if pattern.search(name):
            return engine
    return None


def find_oddities(root: Path, own_folder: Path | None, now: datetime) -> list[Oddity]:
    """Everything odd anywhere under `root`; stale temp files in `own_folder`."""
    found: list[Oddity] = []
    pending: list[tuple[Path, int]] = [(root, 0)]
    while pending:
        here, depth = pending.pop()
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except FileNotFoundError:
            continue
        except OSError as exc:
            found.append(Oddity("unreadable", here, exc.strerror or str(exc)))
            continue
        for entry in entries:
            path = here / entry.name
            engine = conflict_engine(entry.name)
            if engine is not None:
                found.append(Oddity("conflict-copy", path, engine))
            elif GIT_LEFTOVERS.search(entry.name):
                found.append(Oddity("git-leftover", path, "git"))
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:
                found.append(Oddity("unreadable", path, exc.strerror or str(exc)))
                continue
            if stat.S_ISLNK(info.st_mode):
                found.append(Oddity("symlink", path, _target(path)))
            elif stat.S_ISDIR(info.st_mode):
                if depth + 1 >= MAX_DEPTH:
                    found.append(Oddity("too-deep", path, f"more than {MAX_DEPTH} folders deep"))
                else:
                    pending.append((path, depth + 1))
            elif not stat.S_ISREG(info.st_mode):
                found.append(Oddity("special-file", path, _special_kind(info.st_mode)))
            elif own_folder is not None and is_temp_name(entry.name) and own_folder in path.parents:
                age = now - datetime.fromtimestamp(info.st_mtime, tz=now.tzinfo)
                if age > STALE_TEMP_AGE:
                    found.append(Oddity("stray-temp", path, f"{age.days} days"))
    return found


def _target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device file"


def points_outside(link: Path, root: Path) -> bool:
    """Whether a symbolic link resolves to somewhere outside `root` (or nowhere)."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return True
    return not target.is_relative_to(root.resolve())


def remove_stale_temp(oddities: list[Oddity]) -> int:
    """Delete the stray temp files found (only ever in this device's own folder)."""
    removed = 0
    for oddity in oddities:
        if oddity.kind == "stray-temp":
            with contextlib.suppress(OSError):
                oddity.path.unlink()
                removed += 1
    return removed
