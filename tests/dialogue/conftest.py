"""Fixtures for the dialogue tests: people on their own machines sharing one space folder."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dialogue_support import Person

# Every record is fsynced: homes and the shared folder go on tmpfs when there is one.
_SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


@pytest.fixture
def machines(tmp_path: Path) -> Iterator[Path]:
    """A folder for this test's machines and shared folder (tmpfs when available)."""
    if _SCRATCH is None:
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(prefix="peerlog-dialogue-", dir=_SCRATCH) as folder:
        yield Path(folder)


@pytest.fixture
def make_person(machines: Path) -> Callable[[str, str], Person]:
    def make(name: str, member: str) -> Person:
        return Person(machines / f"machine-{member}", name, member)

    return make


@pytest.fixture
def shared(machines: Path) -> Path:
    return machines / "shared"


@pytest.fixture
def duo(make_person: Callable[[str, str], Person], shared: Path) -> tuple[Person, Person]:
    """Sam created space 'pair' in the shared folder; Alex joined it."""
    sam = make_person("Sam", "sam")
    alex = make_person("Alex", "alex")
    sam.ok("space", "create", str(shared), "--name", "pair")
    alex.ok("space", "join", str(shared))
    return sam, alex


@pytest.fixture
def solo(make_person: Callable[[str, str], Person]) -> Person:
    """Sam, set up, in no space."""
    return make_person("Sam", "sam")
