"""jrnl journals of every kind, exported by jrnl 4.6 and imported: compared entry by entry.

The exports in `jrnl_corpus/` were made by running jrnl on its own test journals
(`jrnl_corpus/make_corpus.py` says how); a further test makes a journal with real jrnl when it is
installed. Each imported entry must keep jrnl's count, local date and time, text, tags and star.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from import_support import CORPUS, Peerlog, entries, records

from peerlog.records.tags import inline_tags, tag_key

EXPORTS = sorted(CORPUS.glob("*.json"))


def _text(entry: dict[str, Any]) -> str:
    return f"{entry['title']}\n{entry['body']}" if entry["body"] else entry["title"]


def _jrnl_tags(entry: dict[str, Any], name: str) -> set[str]:
    if "tags" not in entry:  # the 1.x-era export: the same journal exported with its tags
        twin = json.loads((CORPUS / "multiline-tags.json").read_text())["entries"]
        (same,) = [e for e in twin if _text(e) == _text(entry)]
        return _jrnl_tags(same, name)
    return {tag_key(t) for t in entry["tags"] if len(t) <= 64}


def _local(moment: str) -> tuple[str, str]:
    local = datetime.fromisoformat(moment).astimezone()
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M")


def _compare(peerlog: Peerlog, export: dict[str, Any], name: str) -> None:
    """The journal holds exactly the export's entries, each with its date, text, tags, star."""
    got = entries(peerlog)
    wanted = export["entries"]
    assert len(got) == len(wanted), name

    def order(date: str, time: str, text: str) -> tuple[str, str, str]:
        return (date, time, text)

    got.sort(key=lambda e: order(*_local(e["date"]), e["text"]))
    wanted = sorted(wanted, key=lambda e: order(e["date"], e["time"], _text(e)))
    for mine, theirs in zip(got, wanted, strict=True):
        assert _local(mine["date"]) == (theirs["date"], theirs["time"]), (name, theirs)
        assert mine["text"] == _text(theirs), name
        assert mine["starred"] is theirs["starred"], (name, theirs)
        tags = {tag_key(t) for t in mine["tags"]}
        jrnl = _jrnl_tags(theirs, name)
        # jrnl's tags, all of them; beyond them only peerlog's own `#words` in the text.
        own = {tag_key(t) for t in inline_tags(mine["text"]) if not t.startswith("@")}
        assert jrnl <= tags, (name, jrnl, tags)
        assert tags <= jrnl | own, (name, jrnl, tags)


@pytest.mark.parametrize("export", EXPORTS, ids=[p.stem for p in EXPORTS])
def test_each_jrnl_journal_arrives_whole(sam: Peerlog, export: Path) -> None:
    result = sam("import", "jrnl", str(export))

    assert result.exit_code == 0, result.stderr
    data = json.loads(export.read_text())
    assert f"Imported {len(data['entries'])} entries" in result.stdout
    _compare(sam, data, export.stem)


def test_the_corpus_covers_every_kind_and_the_hard_cases() -> None:
    names = {p.stem for p in EXPORTS}
    assert {"plain", "tagged", "multiline", "dayone", "folder", "jrnl-1x", "made"} <= names
    made = json.loads((CORPUS / "made.json").read_text())["entries"]
    titles = [e["title"] for e in made]
    assert titles.count("Same minute, same words.") == 2
    assert any(e["starred"] for e in made)
    old = json.loads((CORPUS / "jrnl-1x.json").read_text())["entries"]
    assert all("tags" not in e for e in old)


def test_importing_every_export_twice_adds_nothing(sam: Peerlog) -> None:
    total = 0
    for export in EXPORTS:
        first = sam("import", "jrnl", str(export))
        assert first.exit_code == 0, first.stderr
        total += int(re.search(r"Imported (\d+) entries", first.stdout).group(1))  # type: ignore[union-attr]
    before = records(sam)

    for export in EXPORTS:
        again = sam("import", "jrnl", str(export))
        assert again.exit_code == 0, again.stderr
        assert "Imported 0 entries" in again.stdout

    assert records(sam) == before
    assert len(entries(sam)) == total


def test_identical_entries_stay_two(sam: Peerlog) -> None:
    sam("import", "jrnl", str(CORPUS / "made.json"))

    same = [e for e in entries(sam) if e["text"].startswith("Same minute, same words.")]
    assert len(same) == 2
    assert same[0]["id"] != same[1]["id"]


def test_entries_are_filed_under_the_month_they_were_written(sam: Peerlog) -> None:
    sam("import", "jrnl", str(CORPUS / "made.json"))

    months = {p.relative_to(sam.home / "journal").parts[3:5] for p in sam.records()}
    assert months == {("2021", "03"), ("2021", "05"), ("2021", "06"), ("2021", "07")}
    for entry in entries(sam):
        assert entry["created"] == entry["date"]  # jrnl's time is when it was written


def test_a_long_tag_is_reported_not_dropped_silently(sam: Peerlog) -> None:
    result = sam("import", "jrnl", str(CORPUS / "made.json"))

    assert "longer than 64 characters" in result.stderr
    assert "A tag that is far too long" in result.stderr
    (entry,) = [e for e in entries(sam) if e["text"].startswith("A tag that is far too long")]
    assert "@" + "x" * 70 in entry["text"]  # the text keeps it


def test_the_1x_export_takes_its_tags_from_the_text(sam: Peerlog) -> None:
    sam("import", "jrnl", str(CORPUS / "jrnl-1x.json"))

    (entry,) = entries(sam)
    assert {tag_key(t) for t in entry["tags"]} >= {"tags", "punctuation", "hi"}
    assert [e["text"] for e in entries(sam, "--tag", "punctuation")] == [entry["text"]]


def _jrnl() -> str | None:
    found = os.environ.get("PEERLOG_TEST_JRNL") or shutil.which("jrnl")
    if found is None and Path("/tmp/jrnl-venv/bin/jrnl").exists():
        found = "/tmp/jrnl-venv/bin/jrnl"
    return found


@pytest.mark.skipif(_jrnl() is None, reason="jrnl is not installed (pip install jrnl)")
def test_a_journal_written_with_real_jrnl(sam: Peerlog, tmp_path: Path) -> None:
    jrnl = _jrnl()
    assert jrnl is not None
    journal, config = tmp_path / "real.journal", tmp_path / "jrnl.yaml"
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\ndefault_hour: 9\n"
        "default_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\nindent_character: '|'\n"
        f"journals: {{default: {journal}}}\nlinewrap: 79\ntagsymbols: '#@'\ntemplate: false\n"
        "timeformat: '%Y-%m-%d %H:%M'\nversion: v4.6\n"
    )
    env = {**os.environ, "TZ": "UTC", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}

    def run(*args: str) -> str:
        done = subprocess.run(
            [jrnl, "--config-file", str(config), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout

    run("2019-02-03 08:15: Ran before work with @running. It helped.")
    run("2019-02-03 08:15: Ran before work with @running. It helped.")
    run("2020-07-01 21:40: Long day #work *")
    run("1999-12-31 23:59: Last minute of the century @party")
    export = tmp_path / "real.json"
    export.write_text(run("--format", "json"))

    result = sam("import", "jrnl", str(export))

    assert result.exit_code == 0, result.stderr
    data = json.loads(export.read_text())
    assert len(data["entries"]) == 4
    _compare(sam, data, "real jrnl")
    assert len(entries(sam, "--starred")) == 1


def test_entries_imported_by_an_earlier_peerlog_are_not_imported_again(
    sam: Peerlog, tmp_path: Path
) -> None:
    """Earlier importers keyed an entry by a hash of its date, time, title, body, the file's
    `tags` (none in a 1.x export) and star: the same entries are recognised today."""
    import hashlib

    sam("import", "jrnl", str(CORPUS / "jrnl-1x.json"))
    (path,) = sam.records()
    record = _decoded(path.read_bytes())
    (raw,) = json.loads((CORPUS / "jrnl-1x.json").read_text())["entries"]
    fields = [raw["date"], raw["time"], raw["title"], raw["body"], [], raw["starred"]]
    earlier = hashlib.sha256(json.dumps(fields).encode()).hexdigest()[:32]
    assert record.extra["import_key"] == earlier

    again = sam("import", "jrnl", str(CORPUS / "jrnl-1x.json"))

    assert "Imported 0 entries" in again.stdout
    assert len(sam.records()) == 1


def _decoded(data: bytes) -> Any:
    from peerlog.store import decode_record

    return decode_record(data)
