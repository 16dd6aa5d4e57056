"""Members with their own homes sharing one space folder, who check each other's keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cli_driver import Peerlog, admit


@pytest.fixture
def secured(
    tmp_path: Path, make_member: Callable[[str, str], Peerlog]
) -> tuple[Peerlog, Peerlog, Path]:
    """a created space 'pair', b joined, and they admitted each other."""
    shared = tmp_path / "shared"
    a = make_member("A", "a")
    b = make_member("B", "b")
    a.ok("space", "create", str(shared), "--name", "pair")
    b.ok("space", "join", str(shared))
    admit(a, b)
    admit(b, a)
    return a, b, shared
