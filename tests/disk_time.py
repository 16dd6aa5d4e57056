"""The one helper for file times in tests: make a tree look settled, as a disk in daily use is.

A plain module (not a conftest) with a name of its own, importable from every test folder:
`tests/` is on the path once the root conftest is loaded.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def age_tree(root: Path, seconds: float = 86_400) -> None:
    """Make every file and folder under `root` look untouched for `seconds` (a day), so the
    index trusts the folders without listing them again. File times are the file system's:
    this is the one place tests set them from the real clock."""
    past = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)
