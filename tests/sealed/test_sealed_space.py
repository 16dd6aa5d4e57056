"""A sealed space: what one member writes reaches the other, and no file anywhere holds it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sealed_members import Member, admit, files_holding

MARKER = "zq7-marker-of-a-sealed-space"


def test_a_marker_reaches_b_and_no_file_holds_it(
    sealed_pair: tuple[Member, Member, Path],
) -> None:
    a, b, shared = sealed_pair
    a.ok("write", "--space", "pair", "--tag", "sleeptag", f"Slept badly {MARKER}")
    b.ok("write", "--space", "pair", f"Replying in kind {MARKER}-b")
    assert any(MARKER in text for text in b.texts("pair"))
    assert any(f"{MARKER}-b" in text for text in a.texts("pair"))
    assert b.ok("search", MARKER, "--space", "pair").stdout.count(MARKER) >= 1
    everywhere = (shared, a.home, a.cache, b.home, b.cache)
    assert files_holding(MARKER, *everywhere) == []
    assert files_holding("sleeptag", *everywhere) == []
    # The records are there, sealed: only the envelope shows.
    records = list(shared.rglob("*.md"))
    sealed = [p for p in records if 'sealed = "' in p.read_text()]
    assert len(sealed) == 2
    for path in sealed:
        text = path.read_text()
        assert 'type = "' not in text and "created" not in text
        assert text.rstrip().endswith("+++")


def test_a_member_who_joined_but_is_not_admitted_reads_nothing(
    sealed_pair: tuple[Member, Member, Path], make_member: Callable[..., Member]
) -> None:
    a, _b, shared = sealed_pair
    a.ok("write", "--space", "pair", f"For the two of us {MARKER}")
    c = make_member("C", "c")
    c.ok("space", "join", str(shared))
    result = c.ok("list", "--space", "pair")
    assert MARKER not in result.stdout
    assert "sealed" in result.stderr
    assert "peerlog space admit c" in result.stderr
    sealed_lines = [line for line in result.stderr.splitlines() if "sealed" in line]
    assert len(sealed_lines) == 1  # one sentence, not one per record
    refused = c("write", "--space", "pair", "hello")
    assert refused.exit_code == 6
    assert "sealed" in refused.stderr and "Traceback" not in refused.stderr
    assert files_holding(MARKER, c.home, c.cache) == []


def test_admission_gives_the_key_and_the_history(
    sealed_pair: tuple[Member, Member, Path], make_member: Callable[..., Member]
) -> None:
    a, b, shared = sealed_pair
    a.ok("write", "--space", "pair", f"Before c came {MARKER}")
    c = make_member("C", "c")
    c.ok("space", "join", str(shared))
    admit(a, c)
    admit(b, c)
    assert any(MARKER in text for text in c.texts("pair"))
    c.ok("write", "--space", "pair", f"c writes {MARKER}-c")
    assert any(f"{MARKER}-c" in text for text in a.texts("pair"))
    assert files_holding(MARKER, shared, c.home, c.cache) == []
