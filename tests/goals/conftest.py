"""Fixtures for the goal tests: members on their own machines sharing one space folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from goal_support import GoalMember


@pytest.fixture
def goal_pair(tmp_path: Path) -> tuple[GoalMember, GoalMember, Path]:
    """Sam created space 'pair' in a shared folder; Alex joined it."""
    shared = tmp_path / "shared"
    sam = GoalMember(tmp_path / "machine-sam", "Sam", "sam")
    alex = GoalMember(tmp_path / "machine-alex", "Alex", "alex")
    sam.ok("space", "create", str(shared), "--name", "pair")
    alex.ok("space", "join", str(shared))
    return sam, alex, shared


@pytest.fixture
def goal_trio(tmp_path: Path) -> tuple[GoalMember, GoalMember, GoalMember, Path]:
    """Sam created space 'trio'; Alex and Kim joined it."""
    shared = tmp_path / "shared"
    sam = GoalMember(tmp_path / "machine-sam", "Sam", "sam")
    alex = GoalMember(tmp_path / "machine-alex", "Alex", "alex")
    kim = GoalMember(tmp_path / "machine-kim", "Kim", "kim")
    sam.ok("space", "create", str(shared), "--name", "trio")
    alex.ok("space", "join", str(shared))
    kim.ok("space", "join", str(shared))
    return sam, alex, kim, shared
