"""Two members (and a second device) sharing one space folder, driven through the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from space_members import Member


@pytest.fixture
def make_member(tmp_path: Path) -> Callable[..., Member]:
    counter = iter(range(100))

    def make(name: str, member: str) -> Member:
        folder = tmp_path / f"machine{next(counter)}"
        folder.mkdir()
        return Member(folder, name, member)

    return make


@pytest.fixture
def pair(tmp_path: Path, make_member: Callable[..., Member]) -> tuple[Member, Member, Path]:
    """Sam created space 'pair' in a shared folder; Alex joined it."""
    shared = tmp_path / "shared"
    sam = make_member("Sam", "sam")
    alex = make_member("Alex", "alex")
    sam.ok("space", "create", str(shared), "--name", "pair")
    alex.ok("space", "join", str(shared))
    return sam, alex, shared
