"""Fixtures for the sync tests (helpers live in sync_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_support import Member


@pytest.fixture
def sam_and_alex(tmp_path: Path) -> tuple[Member, Member]:
    """Two members with their own homes (initialised, in no space yet)."""
    sam = Member("Sam", "sam", tmp_path / "sam")
    alex = Member("Alex", "alex", tmp_path / "alex")
    sam.init()
    alex.init()
    return sam, alex
