"""Trust's verdicts are kept in the index, one per record, and judged again only when what
they depend on changes: whatever order records arrive in, a warm index says what a new one
says, and a note on a record that is gone goes with it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from cli_driver import Peerlog, fingerprint_of


def seen(viewer: Peerlog, cache: Path | None = None) -> tuple[list[str], str]:
    """(the texts `viewer` is shown in the space, what they are told was left out), read
    through their own index, or through a new one in `cache`."""
    env = dict(viewer.env)
    if cache is not None:
        shutil.rmtree(cache, ignore_errors=True)
        viewer.env["PEERLOG_CACHE_DIR"] = str(cache)
    try:
        listed = viewer.ok("list", "--space", "pair", "--json", "-n", "100")
    finally:
        viewer.env = env
    return [entry["text"] for entry in json.loads(listed.stdout)], " ".join(listed.stderr.split())


def test_a_warm_index_judges_as_a_new_one_whatever_arrives(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog], tmp_path: Path
) -> None:
    a, b, shared = secured
    fake = make_member("B", "b")  # someone posing as b
    laptop = make_member("B", "b")  # b's own second machine
    fake.ok("space", "join", str(shared))
    laptop.ok("space", "join", str(shared))
    laptop_key = fingerprint_of(laptop, "pair", "b", laptop.device)
    steps: list[Callable[[], object]] = [
        lambda: b.ok("write", "--space", "pair", "b writes"),
        lambda: fake.ok("write", "--space", "pair", "posing as b"),
        lambda: laptop.ok("write", "--space", "pair", "from the laptop, waiting"),
        lambda: b.ok("device", "approve", "--space", "pair", "--fingerprint", laptop_key),
        lambda: laptop.ok("write", "--space", "pair", "from the laptop, approved"),
        lambda: b.ok("device", "revoke", laptop.device[:6], "--space", "pair"),
        lambda: laptop.ok("write", "--space", "pair", "from the laptop, revoked"),
        lambda: a.ok("write", "--space", "pair", "a writes"),
    ]
    history = []
    for step in steps:
        step()
        warm = seen(a)
        assert warm == seen(a, tmp_path / "new-cache")
        history.append(warm)
    texts, notes = history[-1]
    assert texts == [
        "a writes",
        "from the laptop, approved",
        "from the laptop, waiting",
        "b writes",
    ]
    assert "posing as b" not in texts
    assert "not admitted or approved for b" in notes and "revoked" in notes
    # Before the approval, the laptop's first record was left out; after it, it counts.
    assert "from the laptop, waiting" not in history[2][0]
    assert "from the laptop, waiting" in history[3][0]


def test_the_note_on_a_forged_record_goes_with_its_file(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, _b, shared = secured
    fake = make_member("B", "b")
    fake.ok("space", "join", str(shared))
    fake.ok("write", "--space", "pair", "posing as b")
    texts, notes = seen(a)
    assert "posing as b" not in texts
    assert "not admitted or approved for b" in notes
    for path in (shared / "members" / "b" / fake.device).rglob("*.md"):
        path.unlink()
    texts, notes = seen(a)
    assert "posing as b" not in texts
    assert "not admitted" not in notes
