"""Two members (and a second device) sharing one space folder, driven through the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cli_driver import Peerlog


@pytest.fixture
def pair(
    tmp_path: Path, make_member: Callable[[str, str], Peerlog]
) -> tuple[Peerlog, Peerlog, Path]:
    """Sam created space 'pair' in a shared folder; Alex joined it."""
    shared = tmp_path / "shared"
    sam = make_member("Sam", "sam")
    alex = make_member("Alex", "alex")
    sam.ok("space", "create", str(shared), "--name", "pair")
    alex.ok("space", "join", str(shared))
    return sam, alex, shared
