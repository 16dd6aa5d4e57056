"""`export --format json` of every entry comes from each journal's cached parts: the same bytes
as the export computed from the records, for one journal or merged across several, and it
follows writes, edits and deletions."""

from __future__ import annotations

import json
import pickle
import re
from datetime import timedelta
from pathlib import Path

import pytest
from cli_support import (
    FIXED_NOW,
    HOSTILE,
    Peerlog,
    age_tree,
    cached_run,
    mode_of,
    ok,
    view_names,
    write,
)

from peerlog.actions.export import JSON_PARTS
from peerlog.render.json import dumps

HOUR = timedelta(hours=1)
LONG_AGO = "2000-01-01"  # keeps every entry, and so takes the path that reads every record


def write_shared(person: Peerlog, text: str, *args: str, **kwargs: object) -> str:
    said = ok(person("write", text, "--space", "pair", *args, **kwargs))  # type: ignore[arg-type]
    found = re.search(r"Saved entry (\S+) in space pair\.", said)
    assert found, said
    return found[1]


def without_records(document: str) -> str:
    """An export of everything less its backup part (`records`, which a filtered export lacks):
    byte for byte the same document otherwise."""
    data = json.loads(document)
    assert isinstance(data.pop("records"), list)
    return dumps(data)


def exported(person: Peerlog, *args: str) -> dict:  # type: ignore[type-arg]
    data = json.loads(ok(person("export", "--format", "json", *args)))
    assert isinstance(data, dict)
    return data


def test_the_cached_export_is_the_computed_export_byte_for_byte(
    sam: Peerlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write(sam, HOSTILE, "--tag", "calm", "--mood", "2", now=FIXED_NOW)
    second = write(sam, "second #walk", now=FIXED_NOW + HOUR)
    ok(sam("edit", first, "rewritten, still\n#calm", now=FIXED_NOW + 2 * HOUR))
    ok(sam("reply", second, "a note to self", now=FIXED_NOW + 3 * HOUR))
    age_tree(sam.home / "journal")

    cached = cached_run(sam, monkeypatch, "export", "--format", "json")
    assert JSON_PARTS.name in view_names(sam.cache)
    assert without_records(cached) == ok(sam("export", "--format", "json", "--since", LONG_AGO))
    data = json.loads(cached)
    assert [e["id"] for e in data["entries"]] == [second, first]
    assert [v["text"] for v in data["entries"][1]["history"]] == [
        HOSTILE,
        "rewritten, still\n#calm",
    ]
    assert data["entries"][0]["replies"][0]["text"] == "a note to self"
    assert "\x1b" not in cached  # escaped in the cached parts too


def test_the_cached_export_follows_writes_edits_and_deletions(
    sam: Peerlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [write(sam, f"entry {n}", now=FIXED_NOW + n * HOUR) for n in range(3)]
    age_tree(sam.home / "journal")
    cached_run(sam, monkeypatch, "export")

    newest = write(sam, "brand new", now=FIXED_NOW + 5 * HOUR)
    ok(sam("edit", ids[0], "entry zero, rewritten", now=FIXED_NOW + 6 * HOUR))
    ok(sam("delete", ids[1], "--yes", now=FIXED_NOW + 7 * HOUR))
    after = exported(sam)
    assert [e["id"] for e in after["entries"]] == [newest, ids[2], ids[0]]
    assert after["entries"][2]["text"] == "entry zero, rewritten"
    age_tree(sam.home / "journal")
    assert json.loads(cached_run(sam, monkeypatch, "export")) == after


def test_the_export_of_all_journals_merges_the_cached_parts_in_date_order(
    sam: Peerlog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    ok(sam("space", "create", str(shared), "--name", "pair"))
    # interleaved in time, and one back-dated entry in the space
    private = [write(sam, f"private {n}", now=FIXED_NOW + 2 * n * HOUR) for n in range(3)]
    in_space = [
        write_shared(sam, f"shared {n}", now=FIXED_NOW + (2 * n + 1) * HOUR) for n in range(3)
    ]
    early = write_shared(sam, "remembered", "--date", "2026-01-01", now=FIXED_NOW)
    age_tree(sam.home / "journal")
    age_tree(shared)

    merged = cached_run(sam, monkeypatch, "export", "--all")
    assert without_records(merged) == ok(sam("export", "--all", "--since", LONG_AGO))
    order = [e["id"] for e in json.loads(merged)["entries"]]
    expected = [in_space[2], private[2], in_space[1], private[1], in_space[0], private[0], early]
    assert order == expected
    only_space = json.loads(cached_run(sam, monkeypatch, "export", "--space", "pair"))
    assert [e["id"] for e in only_space["entries"]] == [*reversed(in_space), early]
    assert all(e["space"] == "pair" for e in only_space["entries"])


def test_an_empty_journal_exports_an_empty_list(sam: Peerlog) -> None:
    data = exported(sam)
    assert data["entries"] == [] and data["format"] == 1


def test_the_cached_export_to_a_file_is_private_and_counted(
    sam: Peerlog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(2):
        write(sam, f"entry {n}", now=FIXED_NOW + n * HOUR)
    age_tree(sam.home / "journal")
    on_stdout = cached_run(sam, monkeypatch, "export")
    target = tmp_path / "backup.json"
    said = ok(sam("export", "--out", str(target)))
    assert "Exported 2 entries to" in said
    assert target.read_text(encoding="utf-8") == on_stdout
    assert mode_of(target) == 0o600
    refused = sam("export", "--out", str(target))
    assert refused.exit_code == 6  # never overwritten without --force
    assert target.read_text(encoding="utf-8") == on_stdout


def test_cached_parts_of_the_wrong_shape_fail_once_then_are_recomputed(
    sam: Peerlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(sam, "kept safe", now=FIXED_NOW)
    age_tree(sam.home / "journal")
    good = cached_run(sam, monkeypatch, "export")
    [view_file] = sam.cache.glob(f"*/views/{JSON_PARTS.name}.pickle")
    payload = pickle.loads(view_file.read_bytes())
    view_file.write_bytes(pickle.dumps((*payload[:4], ("not", "pairs"))))
    failed = sam("export")
    assert failed.exit_code == 70
    assert "Something unexpected went wrong" in failed.stderr
    assert not view_file.exists()
    assert ok(sam("export")) == good
