"""`export --format json` of a secured space shows what `list --json` shows: a newcomer's
entries and replies marked "not yet admitted", an impostor's not at all, and the backup holds
the newcomer's record files beside everyone else's."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli_driver import Peerlog

NOT_ADMITTED = "not yet admitted"


def test_an_export_marks_a_newcomer_as_list_does(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, _, shared = secured
    c = make_member("Cam", "c")
    c.ok("space", "join", str(shared))
    mine = a.saved_id("write", "--space", "pair", "hello from a")
    theirs = c.saved_id("write", "--space", "pair", "hello from c")
    c.ok("reply", mine, "welcome back")

    document: dict[str, Any] = json.loads(a.ok("export", "--space", "pair").stdout)
    listed = json.loads(a.ok("list", "--space", "pair", "--json").stdout)

    exported = document["entries"]
    assert [{k: v for k, v in e.items() if k != "history"} for e in exported] == listed
    standing = {e["id"]: e["standing"] for e in exported}
    assert standing == {theirs: NOT_ADMITTED, mine: None}
    (reply,) = next(e for e in exported if e["id"] == mine)["replies"]
    assert (reply["text"], reply["standing"]) == ("welcome back", NOT_ADMITTED)
    files = "\n".join(r["file"] for r in document["records"])
    assert {r["space"] for r in document["records"]} == {"pair"}
    assert f'id = "{theirs}"' in files and f'id = "{mine}"' in files
    assert "welcome back" in files


def test_an_impostor_from_a_fresh_home_is_left_out_of_an_export(
    secured: tuple[Peerlog, Peerlog, Path], make_member: Callable[..., Peerlog]
) -> None:
    a, _, shared = secured
    impostor = make_member("B", "b")  # claims b's member id from a machine b never approved
    impostor.ok("space", "join", str(shared))
    forged = impostor.saved_id("write", "--space", "pair", "pretending to be b")
    a.ok("write", "--space", "pair", "hello from a")

    document = json.loads(a.ok("export", "--space", "pair").stdout)

    assert [e["text"] for e in document["entries"]] == ["hello from a"]
    assert forged not in json.dumps(document)
