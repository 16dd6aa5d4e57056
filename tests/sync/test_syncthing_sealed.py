"""Two real Syncthing instances share a *sealed* space while two members write at once: the
same views on both sides, no conflict copies, and no word of it in any file on either side."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sync_support import (
    Member,
    admit,
    all_ids,
    check_converged,
    check_signed,
    snapshot,
    stray_files,
    wait_until,
    write_at_once,
)
from test_syncthing import SPACE, Syncthing, syncthing_pair  # noqa: F401 - the fixture

pytestmark = pytest.mark.system

ROUNDS = 12
CONVERGE_TIMEOUT = 90.0
MARKER = "zq7-sealed-over-syncthing"


def _holding(word: str, *folders: Any) -> list[str]:
    needle = word.encode()
    return [
        str(path)
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink() and needle in path.read_bytes()
    ]


def test_concurrent_writers_in_a_sealed_space_over_syncthing(
    syncthing_pair: tuple[Syncthing, Syncthing],  # noqa: F811
    sam_and_alex: tuple[Member, Member],
) -> None:
    st_a, st_b = syncthing_pair
    sam, alex = sam_and_alex

    def details() -> str:
        return f"{st_a.log_tail()}\n{st_b.log_tail()}"

    sam.run("space", "create", str(st_a.folder), "--name", SPACE, "--sealed")
    wait_until(
        lambda: (st_b.folder / "space.toml").is_file(), 60, "space.toml to reach B", 0.5, details
    )
    alex.run("space", "join", str(st_b.folder))

    def sees_key(viewer: Member, member: str) -> bool:
        shown = json.loads(viewer.run("space", "show", SPACE, "--json").stdout)
        return any(k["member"] == member for k in shown["keys"])

    wait_until(lambda: sees_key(sam, "alex"), 60, "alex's key to reach A", 0.5, details)
    admit(sam, alex, SPACE)
    wait_until(lambda: sees_key(alex, "sam"), 60, "sam's key to reach B", 0.5, details)
    admit(alex, sam, SPACE)

    def alex_has_the_key() -> bool:
        grants = [p for p in st_b.folder.rglob("*.md") if 'type = "key-grant"' in p.read_text()]
        return len(grants) >= 2  # sam's own, and the one sam sealed to alex

    wait_until(alex_has_the_key, 60, "sam's grant of the key to reach B", 0.5, details)

    def text(me: Member, n: int, kind: str) -> str:
        return f"{me.member} {kind} {n} {MARKER}"

    seed = write_at_once((sam, alex), SPACE, ROUNDS, text)
    assert sam.saved_replies and alex.saved_replies, f"nothing was concurrent (seed {seed})"
    expected = set(sam.saved_entries + sam.saved_replies + alex.saved_entries + alex.saved_replies)
    last: list[Any] = []

    def agreed() -> bool:
        views = [snapshot(m.entries(SPACE)) for m in (sam, alex)]
        last[:] = views
        return views[0] == views[1] and expected <= all_ids(views[0])

    wait_until(agreed, CONVERGE_TIMEOUT, "both members to see the same records", 1.5, details)
    assert len(check_converged([sam, alex], last)) == 2 * ROUNDS
    assert any(MARKER in e["text"] for e in sam.entries(SPACE) if e["author"] == "alex")
    for st in (st_a, st_b):
        assert stray_files(st.folder) == [], f"conflict copies or temp files in {st.label}'s copy"
        assert check_signed(st.folder) > 2 * ROUNDS
    places = (st_a.folder, st_b.folder, sam.home, sam.cache, alex.home, alex.cache)
    assert _holding(MARKER, *places) == []
    for member in (sam, alex):
        code, report = member.doctor(SPACE)
        assert code == 0, f"{member.member}: doctor found {report['findings']}"
