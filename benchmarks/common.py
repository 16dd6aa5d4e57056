"""Shared by generate.py and run.py: the data layout, isolated environments, jrnl's config.

Imports nothing from peerlog, so run.py can start (and install jrnl) before anything is generated.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

GENERATOR_VERSION = 6  # bump when the generated data changes: run.py then regenerates
SPACE = "sam-and-alex"
SEALED_SPACE = "sealed-pair"  # the same history, in a sealed space (`space create --sealed`)
SEARCH_WORD = "canal"
WALK_GOAL = "Walk together"
JRNL_VERSION = "4.6"
JRNL_TIMEFORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True, slots=True)
class Layout:
    """Where everything lives inside one data folder."""

    root: Path

    @property
    def sam_home(self) -> Path:
        return self.root / "sam"

    @property
    def sam_cache(self) -> Path:
        return self.root / "cache-sam"

    @property
    def alex_home(self) -> Path:
        return self.root / "alex"

    @property
    def alex_cache(self) -> Path:
        return self.root / "cache-alex"

    @property
    def space(self) -> Path:
        return self.root / "shared" / SPACE

    @property
    def sealed_space(self) -> Path:
        return self.root / "shared" / SEALED_SPACE

    @property
    def sealed_homes(self) -> tuple[Path, Path]:
        """Sam's and Alex's homes on the machines where they use the sealed space (their
        other devices: the same ids in two spaces of one home would be ambiguous)."""
        return self.root / "sam-sealed", self.root / "alex-sealed"

    @property
    def sealed_caches(self) -> tuple[Path, Path]:
        return self.root / "cache-sam-sealed", self.root / "cache-alex-sealed"

    @property
    def jrnl_dir(self) -> Path:
        return self.root / "jrnl"

    @property
    def journal_txt(self) -> Path:
        return self.jrnl_dir / "journal.txt"

    @property
    def jrnl_export(self) -> Path:
        return self.jrnl_dir / "export.json"

    @property
    def jrnl_config_home(self) -> Path:
        return self.jrnl_dir / "config"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def sandbox(self) -> Path:
        """HOME and XDG folders for the subprocesses: never the user's own."""
        return self.root / "sandbox"


def isolated_env(sandbox: Path) -> dict[str, str]:
    """The process environment with HOME and the XDG folders moved into `sandbox`.

    Every benchmark subprocess starts from this, so neither tool can read or write the user's
    real home, config or cache. PEERLOG_* settings of the caller (PEERLOG_NOW included) are
    dropped: the benchmarks run on the real clock.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERLOG_", "XDG_", "JRNL"))}
    env.update(
        HOME=str(sandbox / "home"),
        XDG_CONFIG_HOME=str(sandbox / "config"),
        XDG_DATA_HOME=str(sandbox / "data"),
        XDG_CACHE_HOME=str(sandbox / "cache"),
        XDG_STATE_HOME=str(sandbox / "state"),
        LC_ALL="C.UTF-8",
        PYTHONUTF8="1",
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def peerlog_env(sandbox: Path, home: Path, cache: Path) -> dict[str, str]:
    """Environment for a peerlog subprocess working on `home` with its cache in `cache`."""
    env = isolated_env(sandbox)
    env.update(PEERLOG_HOME=str(home), PEERLOG_CACHE_DIR=str(cache))
    return env


def jrnl_env(sandbox: Path, config_home: Path) -> dict[str, str]:
    """Environment for a jrnl subprocess whose config is `config_home/jrnl/jrnl.yaml`."""
    env = isolated_env(sandbox)
    env["XDG_CONFIG_HOME"] = str(config_home)
    return env


def write_jrnl_config(config_home: Path, journals: dict[str, Path]) -> Path:
    """jrnl's own config (never the user's), naming the journals it may use."""
    folder = config_home / "jrnl"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "colors:",
        "  body: none",
        "  date: none",
        "  tags: none",
        "  title: none",
        "default_hour: 9",
        "default_minute: 0",
        "editor: ''",
        "encrypt: false",
        "highlight: false",
        "indent_character: '|'",
        "journals:",
        *(f"  {name}: {json.dumps(str(path))}" for name, path in journals.items()),
        "linewrap: 79",
        "tagsymbols: '#@'",
        "template: false",
        f"timeformat: '{JRNL_TIMEFORMAT}'",
        f"version: v{JRNL_VERSION}",
    ]
    config = folder / "jrnl.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def default_peerlog() -> Path:
    """The peerlog executable beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "peerlog"
    if beside.exists():
        return beside
    found = shutil.which("peerlog")
    if found is None:
        raise SystemExit("No peerlog executable found; install peerlog in this interpreter.")
    return Path(found)
