"""A signature is checked once, as its file enters the index: warm reads never check one again,
and what trust decides still holds on them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_driver import Peerlog
from peerlog.store import keys


def settle(root: Path) -> None:
    """Date every folder an hour back, so the index trusts its listing without looking again."""
    for folder, _, _ in os.walk(root):
        info = os.stat(folder)
        os.utime(folder, ns=(info.st_atime_ns, info.st_mtime_ns - 3600 * 10**9))


def test_warm_reads_check_no_signature(
    secured: tuple[Peerlog, Peerlog, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, shared = secured
    entry = b.saved_id("write", "--space", "pair", "Signed by b")
    settle(shared)
    checked: list[str] = []
    real = keys.signature_valid

    def counting(public: str, data: bytes, signature: str) -> bool:
        checked.append(public)
        return real(public, data, signature)

    monkeypatch.setattr(keys, "signature_valid", counting)
    first = a.ok("list", "--space", "pair").stdout
    assert "Signed by b" in first and checked  # read into a's index: checked there
    checked.clear()
    for _ in range(2):
        assert a.ok("list", "--space", "pair").stdout == first
        assert entry[:8] in a.ok("show", entry).stdout
    assert checked == []  # warm: from the index, never checked again
