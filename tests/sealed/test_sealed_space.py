"""A sealed space: what one member writes reaches the other, and no file anywhere holds it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sealed_members import FIXED_NOW, admit, files_holding, texts

from cli_driver import Peerlog

MARKER = "zq7-marker-of-a-sealed-space"


def test_a_marker_reaches_b_and_no_file_holds_it(
    sealed_pair: tuple[Peerlog, Peerlog, Path],
) -> None:
    a, b, shared = sealed_pair
    a.ok("write", "--space", "pair", "--tag", "sleeptag", f"Slept badly {MARKER}")
    b.ok("write", "--space", "pair", f"Replying in kind {MARKER}-b")
    assert any(MARKER in text for text in texts(b, "pair"))
    assert any(f"{MARKER}-b" in text for text in texts(a, "pair"))
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
    sealed_pair: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
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
    sealed_pair: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, b, shared = sealed_pair
    a.ok("write", "--space", "pair", f"Before c came {MARKER}")
    c = make_member("C", "c")
    c.ok("space", "join", str(shared))
    admit(a, c)
    admit(b, c)
    assert any(MARKER in text for text in texts(c, "pair"))
    c.ok("write", "--space", "pair", f"c writes {MARKER}-c")
    assert any(f"{MARKER}-c" in text for text in texts(a, "pair"))
    assert files_holding(MARKER, shared, c.home, c.cache) == []


def test_a_newcomer_admitted_by_one_member_is_told_their_writes_do_not_count_yet(
    sealed_pair: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    """The warning on writing comes from what the keys were learned with, not the index."""
    a, b, shared = sealed_pair
    c = make_member("C", "c")
    c.ok("space", "join", str(shared))
    admit(a, c)  # a's grant gives c the key; b has not admitted c yet
    early = c.ok("write", "--space", "pair", f"c, early {MARKER}")
    assert "not yet admitted" in early.stderr and "peerlog space admit c" in early.stderr
    admit(b, c)
    c.ok("list", "--space", "pair")  # c reads b's admission
    later = c.ok("write", "--space", "pair", f"c, admitted {MARKER}")
    assert "warning" not in later.stderr
    assert any(f"c, admitted {MARKER}" in text for text in texts(a, "pair"))


def test_space_show_says_sealed_and_a_plain_space_is_unchanged(
    sealed_pair: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog], tmp_path: Path
) -> None:
    import json

    a, _b, _shared = sealed_pair
    assert json.loads(a.ok("space", "show", "pair", "--json").stdout)["sealed"] is True
    assert "Sealed:" in a.ok("space", "show", "pair").stdout
    c = make_member("C", "c")
    c.ok("space", "create", str(tmp_path / "open"), "--name", "open")
    c.ok("write", "--space", "open", f"In the clear {MARKER}")
    assert json.loads(c.ok("space", "show", "open", "--json").stdout)["sealed"] is False
    assert len(files_holding(MARKER, tmp_path / "open")) == 1


def test_a_sealed_membership_record_is_refused(sealed_pair: tuple[Peerlog, Peerlog, Path]) -> None:
    """Who may speak must be the same on every machine, key or not: never sealed."""
    from dataclasses import replace

    from peerlog.records.ids import new_record_id
    from peerlog.records.membership import Leave
    from peerlog.store.codec import encode_record
    from peerlog.store.keys import load_device_key
    from peerlog.store.publish import publish_new
    from peerlog.store.seal import Seal

    a, b, shared = sealed_pair
    a.ok("write", "--space", "pair", "a is here")
    key = load_device_key(a.home / "device.key")
    moment = FIXED_NOW
    leave = replace(
        Leave(id=new_record_id(moment), author="a", device=a.device, clock=5, created=moment),
        key=key.public,
    )
    # Sealed with the space's real key (a member could): b must refuse it, not drop a.
    from peerlog.actions.spaces import open_space
    from peerlog.store import Home

    session = open_space(Home(root=a.home, cache_root=a.cache), "pair")
    session.store.index.refresh()
    assert session.store.seal is not None and session.store.seal.keys
    seal = Seal(bytes(32), keys=session.store.seal.keys)  # one that seals every type
    folder = shared / "members" / "a" / a.device / "2026" / "11"
    publish_new(folder / f"{leave.id}.md", encode_record(leave, key.sign, seal), within=shared)
    assert "a is here" in texts(b, "pair")
    report = json.loads(b("doctor", "--json").stdout)
    refused = [f for f in report["findings"] if leave.id in f["path"]]
    assert len(refused) == 1 and "always written plainly" in refused[0]["message"]


def test_an_import_into_a_sealed_space_is_sealed(
    sealed_pair: tuple[Peerlog, Peerlog, Path], tmp_path: Path
) -> None:
    a, b, shared = sealed_pair
    entry = {"title": f"Imported {MARKER}", "body": "", "date": "2020-05-04", "time": "09:30"}
    export = tmp_path / "journal.json"
    export.write_text(json.dumps({"tags": {}, "entries": [{**entry, "tags": []}]}))
    a.ok("import", "jrnl", str(export), "--space", "pair")
    assert any(MARKER in text for text in texts(b, "pair"))
    assert files_holding(MARKER, shared, a.home, a.cache, b.home, b.cache) == []
