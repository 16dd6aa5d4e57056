"""Key rotation: a member who left, or a revoked device, cannot open what is written after."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sealed_members import FIXED_NOW, Member, admit, fingerprint_of, texts

from cli_driver import Peerlog

MARKER = "zq7-marker-after-rotation"
LATER = FIXED_NOW + timedelta(minutes=5)


def epochs(shared: Path) -> set[str]:
    """The key epochs of the sealed records in the space."""
    found = set()
    for path in shared.rglob("*.md"):
        text = path.read_text()
        if 'sealed = "' in text:
            match = re.search(r'^epoch = "([^"]+)"', text, re.MULTILINE)
            assert match is not None
            found.add(match.group(1))
    return found


def test_a_member_who_left_cannot_read_what_is_written_after(
    sealed_pair: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, b, shared = sealed_pair
    c = make_member("C", "c")
    c.ok("space", "join", str(shared))
    admit(a, c)
    admit(b, c)
    a.ok("write", "--space", "pair", "Before c left")
    assert "Before c left" in texts(c, "pair")
    c.ok("space", "leave", "--space", "pair", "--yes")
    a.ok("write", "--space", "pair", f"After c left {MARKER}", now=LATER)
    assert len(epochs(shared)) == 2  # the write after the leave made a new epoch
    assert any(MARKER in text for text in texts(b, "pair"))
    b.ok("write", "--space", "pair", f"b too {MARKER}", now=LATER)
    assert len(epochs(shared)) == 2  # b took the new epoch; nothing left to rotate for
    seen_by_c = c("list", "--space", "pair", "-n", "100", now=LATER)
    assert "Before c left" in seen_by_c.stdout
    assert MARKER not in seen_by_c.stdout
    assert "sealed" in seen_by_c.stderr


def test_a_revoked_device_cannot_read_what_is_written_after(
    sealed_pair: tuple[Peerlog, Peerlog, Path], tmp_path: Path
) -> None:
    a, b, shared = sealed_pair
    laptop_folder = tmp_path / "laptop"
    laptop_folder.mkdir()
    laptop = Member(laptop_folder, "A", "a")
    laptop.ok("space", "join", str(shared))
    shown = fingerprint_of(laptop, "pair", "a", laptop.device)
    a.ok("device", "approve", "--space", "pair", "--fingerprint", shown)
    b.ok("write", "--space", "pair", "Before the laptop was lost")
    assert "Before the laptop was lost" in texts(laptop, "pair")
    a.ok("device", "revoke", laptop.device, "--space", "pair", now=LATER)
    b.ok("write", "--space", "pair", f"After the loss {MARKER}", now=LATER)
    assert any(MARKER in text for text in texts(a, "pair"))
    lost = laptop("list", "--space", "pair", "-n", "100", now=LATER)
    assert MARKER not in lost.stdout
    assert "Before the laptop was lost" in lost.stdout
