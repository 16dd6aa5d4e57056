"""Members with their own homes sharing one space folder, who check each other's keys."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from trust_members import Member


def fingerprint_of(viewer: Member, space: str, member: str, device: str | None = None) -> str:
    """The fingerprint `viewer`'s `space show` gives `member`'s key (read out on a call)."""
    keys = json.loads(viewer.ok("space", "show", space, "--json").stdout)["keys"]
    found = [k for k in keys if k["member"] == member and device in (None, k["device"])]
    assert len(found) == 1, found
    return str(found[0]["fingerprint"])


def admit(admitter: Member, member: Member, space: str = "pair") -> None:
    """`admitter` admits `member` after they compared fingerprints on both screens."""
    theirs = fingerprint_of(member, space, member.member, member.device)
    assert fingerprint_of(admitter, space, member.member, member.device) == theirs
    admitter.ok("space", "admit", member.member, "--space", space, "--fingerprint", theirs)


@pytest.fixture
def make_member(tmp_path: Path) -> Callable[..., Member]:
    counter = iter(range(100))

    def make(name: str, member: str) -> Member:
        folder = tmp_path / f"machine{next(counter)}"
        folder.mkdir()
        return Member(folder, name, member)

    return make


@pytest.fixture
def secured(tmp_path: Path, make_member: Callable[..., Member]) -> tuple[Member, Member, Path]:
    """a created space 'pair', b joined, and they admitted each other."""
    shared = tmp_path / "shared"
    a = make_member("A", "a")
    b = make_member("B", "b")
    a.ok("space", "create", str(shared), "--name", "pair")
    b.ok("space", "join", str(shared))
    admit(a, b)
    admit(b, a)
    return a, b, shared
