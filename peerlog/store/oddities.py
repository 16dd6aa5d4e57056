"""Looking at a record folder the way `doctor` does: the files peerlog itself never reads.

Finds sync-engine conflict copies (by each engine's own naming), symbolic links, and peerlog temp
files left behind by a crash. Never follows a link, never opens a file, and only ever deletes
stale temp files in this device's own folder (`remove_stale_temp`).
"""

from __future__ import annotations

import os
import re
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
)


@dataclass(frozen=True, slots=True)
class Oddity:
    """Something in a folder that is not a record peerlog can use."""

    kind: str  # conflict-copy | symlink | stray-temp
    path: Path
    detail: str  # the engine for conflict copies, the target for links, the age for temp files


def conflict_engine(name: str) -> str | None:
    """The sync engine whose naming `name` follows, if it is a conflict copy."""
    for engine, pattern in CONFLICT_PATTERNS:
        if pattern.search(name):
            return engine
    return None


def find_oddities(root: Path, own_folder: Path | None, now: datetime) -> list[Oddity]:
    """Conflict copies and links anywhere under `root`; stale temp files in `own_folder`."""
    found: list[Oddity] = []
    for current, dirs, files in os.walk(root, followlinks=False):
        here = Path(current)
        for name in [*dirs, *files]:
            path = here / name
            engine = conflict_engine(name)
            if engine is not None:
                found.append(Oddity("conflict-copy", path, engine))
            if path.is_symlink():
                try:
                    target = os.readlink(path)
                except OSError:
                    target = "?"
                found.append(Oddity("symlink", path, target))
        for name in files:
            path = here / name
            if own_folder is not None and is_temp_name(name) and own_folder in path.parents:
                age = _age(path, now)
                if age is not None and age > STALE_TEMP_AGE:
                    found.append(Oddity("stray-temp", path, f"{age.days} days"))
    return found


def _age(path: Path, now: datetime) -> timedelta | None:
    try:
        mtime = path.lstat().st_mtime
    except OSError:
        return None
    return now - datetime.fromtimestamp(mtime, tz=now.tzinfo)


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
            try:
                oddity.path.unlink()
                removed += 1
            except OSError:
                pass
    return removed
