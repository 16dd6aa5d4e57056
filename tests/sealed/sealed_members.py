"""Members of a sealed space for the tests (the shared CLI driver, tests/cli_driver.py), and a
way to look for a word in every file they keep."""

from __future__ import annotations

from pathlib import Path

import cli_driver
from cli_driver import FIXED_NOW, admit, fingerprint_of

__all__ = ["FIXED_NOW", "Member", "admit", "files_holding", "fingerprint_of", "texts"]


class Member(cli_driver.Peerlog):
    """One person on one machine (`root` holds their home and cache), set up at once; `env`
    adds variables to every command (a passphrase, say)."""

    def __init__(
        self, root: Path, name: str, member: str, env: dict[str, str] | None = None
    ) -> None:
        super().__init__(
            root / f"home-{member}", root / f"cache-{member}", member=member, env=dict(env or {})
        )
        self.ok("init", "--name", name, "--member", member)


def texts(member: cli_driver.Peerlog, space: str) -> list[str]:
    """The texts of the entries `list --space` shows `member`."""
    rows = member.json("list", "--space", space, "-n", "100")
    return [row["text"] for row in rows]


def files_holding(word: str, *folders: Path) -> list[Path]:
    """Every file under `folders` whose bytes hold `word` (what `grep -r` finds)."""
    needle = word.encode()
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink() and needle in path.read_bytes():
                found.append(path)
    return found
