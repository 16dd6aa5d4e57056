"""Fixtures for the goal tests: members on their own machines sharing one space folder."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from goal_support import CLI_NOW, GoalMember

# The space is made well before the goals' dates: tests step back weeks from CLI_NOW, and a
# reader refuses records whose clocks are more than a day ahead of its "now".
SET_UP = CLI_NOW - timedelta(days=90)


@pytest.fixture
def goal_pair(tmp_path: Path) -> tuple[GoalMember, GoalMember, Path]:
    """Sam created space 'pair' in a shared folder; Alex joined it."""
    shared = tmp_path / "shared"
    sam = GoalMember(tmp_path / "machine-sam", "Sam", "sam")
    alex = GoalMember(tmp_path / "machine-alex", "Alex", "alex")
    sam.ok("space", "create", str(shared), "--name", "pair", now=SET_UP)
    alex.ok("space", "join", str(shared), now=SET_UP)
    return sam, alex, shared


@pytest.fixture
def goal_trio(tmp_path: Path) -> tuple[GoalMember, GoalMember, GoalMember, Path]:
    """Sam created space 'trio'; Alex and Kim joined it."""
    shared = tmp_path / "shared"
    sam = GoalMember(tmp_path / "machine-sam", "Sam", "sam")
    alex = GoalMember(tmp_path / "machine-alex", "Alex", "alex")
    kim = GoalMember(tmp_path / "machine-kim", "Kim", "kim")
    sam.ok("space", "create", str(shared), "--name", "trio", now=SET_UP)
    alex.ok("space", "join", str(shared), now=SET_UP)
    kim.ok("space", "join", str(shared), now=SET_UP)
    return sam, alex, kim, shared
