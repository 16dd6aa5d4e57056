"""Members with their own homes sharing one sealed space folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cli_driver import Peerlog, admit


@pytest.fixture
def sealed_pair(
    tmp_path: Path, make_member: Callable[..., Peerlog]
) -> tuple[Peerlog, Peerlog, Path]:
    """a created the sealed space 'pair', b joined, and they admitted each other."""
    shared = tmp_path / "shared"
    a = make_member("A", "a")
    b = make_member("B", "b")
    a.ok("space", "create", str(shared), "--name", "pair", "--sealed")
    b.ok("space", "join", str(shared))
    admit(a, b)
    admit(b, a)
    return a, b, shared
