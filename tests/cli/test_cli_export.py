"""`peerlog export`: JSON and Markdown, to stdout or a private file that is never overwritten."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from cli_support import (
    FIXED_NOW,
    HOSTILE,
    ExitCode,
    Peerlog,
    assert_clean_error,
    assert_terminal_safe,
    entries,
    mode_of,
    write,
)

from cli_driver import Person


@pytest.fixture
def journal(sam: Peerlog) -> dict[str, str]:
    """Three entries, one of them edited twice, one deleted."""
    ids = {
        "old": write(sam, "oldest #walk", "--mood", "2", now=FIXED_NOW - timedelta(days=2)),
        "edited": write(sam, "draft", "--tag", "work", now=FIXED_NOW - timedelta(days=1)),
        "gone": write(sam, "regret", now=FIXED_NOW - timedelta(hours=1)),
    }
    sam("edit", ids["edited"], input="second draft", now=FIXED_NOW - timedelta(hours=20))
    sam("edit", ids["edited"], input="final text", now=FIXED_NOW - timedelta(hours=10))
    sam("delete", ids["gone"], "--yes")
    return ids


def test_json_export_to_stdout(sam: Peerlog, journal: dict[str, str]) -> None:
    result = sam("export", "--format", "json")

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert {"format", "exported", "entries"} <= set(document)
    assert document["format"] == 1
    assert document["exported"] == "2026-11-21T10:15:00+00:00"
    assert [e["id"] for e in document["entries"]] == [journal["edited"], journal["old"]]
    edited, old = document["entries"]
    assert edited["text"] == "final text"
    assert edited["tags"] == ["work"]
    assert edited["edited"] is True
    assert [v["text"] for v in edited["history"]] == ["draft", "second draft", "final text"]
    assert edited["history"][0]["record"] == journal["edited"]
    assert old["mood"] == 2
    assert old["tags"] == ["walk"]
    assert [v["text"] for v in old["history"]] == ["oldest #walk"]
    assert "regret" not in result.stdout


def test_json_is_the_default_format(sam: Peerlog, journal: dict[str, str]) -> None:
    assert sam("export").stdout == sam("export", "--format", "json").stdout


def test_json_export_entries_match_list_json(sam: Peerlog, journal: dict[str, str]) -> None:
    exported = json.loads(sam("export").stdout)["entries"]
    listed = entries(sam)
    assert [{k: v for k, v in e.items() if k != "history"} for e in exported] == listed


def test_markdown_export_to_stdout(sam: Peerlog, journal: dict[str, str]) -> None:
    result = sam("export", "--format", "markdown")

    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Sam's journal\n")
    assert journal["edited"] in out
    assert journal["old"] in out
    assert journal["gone"] not in out
    assert "final text" in out
    assert "oldest #walk" in out
    assert "draft\n" not in out.replace("second draft", "")  # only the current text
    assert "regret" not in out
    assert out.index("final text") < out.index("oldest #walk")  # newest first
    assert "#work" in out
    assert "low (2/5)" in out


def test_export_filters(sam: Peerlog, journal: dict[str, str]) -> None:
    by_tag = json.loads(sam("export", "--tag", "walk").stdout)["entries"]
    assert [e["id"] for e in by_tag] == [journal["old"]]
    since = json.loads(sam("export", "--since", "yesterday").stdout)["entries"]
    assert [e["id"] for e in since] == [journal["edited"]]


def test_export_of_an_empty_journal(sam: Peerlog) -> None:
    document = json.loads(sam("export").stdout)
    assert document["entries"] == []
    markdown = sam("export", "--format", "markdown")
    assert markdown.exit_code == 0
    assert markdown.stdout.startswith("# Sam's journal")


def test_unknown_format_is_a_usage_error(sam: Peerlog, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = sam("export", "--format", "pdf", "--out", str(out))
    assert result.exit_code == ExitCode.USAGE
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_export_to_a_file_is_private(
    sam: Peerlog, journal: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"backup.{fmt}"

    result = sam("export", "--format", fmt, "--out", str(out))

    assert result.exit_code == 0, result.stderr
    assert str(out) in result.stdout
    assert "2 entries" in result.stdout
    assert mode_of(out) == 0o600
    assert out.read_text(encoding="utf-8") == sam("export", "--format", fmt).stdout
    assert list(out.parent.glob(".*")) == []  # no temp file left behind


def test_export_refuses_to_overwrite(sam: Peerlog, journal: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "backup.json"
    out.write_text("precious older backup", encoding="utf-8")

    result = sam("export", "--out", str(out))

    assert_clean_error(result, ExitCode.REFUSED, str(out), "--force")
    assert out.read_text(encoding="utf-8") == "precious older backup"


def test_export_force_replaces_and_makes_the_file_private(
    sam: Peerlog, journal: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "backup.json"
    out.write_text("older backup", encoding="utf-8")
    out.chmod(0o644)

    result = sam("export", "--out", str(out), "--force")

    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == 1
    assert mode_of(out) == 0o600


def test_export_force_to_a_new_file(sam: Peerlog, journal: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "fresh.json"
    result = sam("export", "--out", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    assert mode_of(out) == 0o600


def test_export_twice_to_the_same_file(
    sam: Peerlog, journal: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "backup.md"
    assert sam("export", "-f", "markdown", "-o", str(out)).exit_code == 0
    first = out.read_bytes()
    write(sam, "one more")
    assert sam("export", "-f", "markdown", "-o", str(out)).exit_code == ExitCode.REFUSED
    assert out.read_bytes() == first


def test_export_does_not_follow_a_planted_symlink(
    sam: Peerlog, journal: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("not yours to overwrite", encoding="utf-8")
    link = tmp_path / "backup.json"
    link.symlink_to(target)

    result = sam("export", "--out", str(link))

    assert result.exit_code == ExitCode.REFUSED
    assert target.read_text(encoding="utf-8") == "not yours to overwrite"


def test_json_export_has_each_entry_and_record_on_a_line_of_its_own(
    sam: Peerlog, journal: dict[str, str], tmp_path: Path
) -> None:
    text = sam("export").stdout
    document = json.loads(text)
    lines = text.splitlines()

    assert lines[:3] == ["{", '  "format": 1,', '  "exported": "2026-11-21T10:15:00+00:00",']
    assert text.endswith("\n  ]\n}\n")
    start = lines.index('  "entries": [')
    middle = lines.index('  "records": [')
    entry_lines = lines[start + 1 : middle - 1]
    record_lines = lines[middle + 1 : -2]
    assert [json.loads(line.strip().removesuffix(",")) for line in entry_lines] == document[
        "entries"
    ]
    assert [json.loads(line.strip().removesuffix(",")) for line in record_lines] == document[
        "records"
    ]
    assert len(record_lines) == 5  # three entries, two revisions; the deleted one's tombstone
    # a filtered export is laid out the same, without the records
    filtered = sam("export", "--tag", "walk").stdout
    assert filtered.splitlines()[4:] == [entry_lines[-1].removesuffix(","), "  ]", "}"]
    # and the backup in this shape restores into a fresh home
    backup = tmp_path / "backup.json"
    backup.write_text(text, encoding="utf-8")
    fresh = Person(tmp_path / "fresh", "Sam", "sam")
    restored = fresh("import", "peerlog", str(backup))
    assert restored.exit_code == 0, restored.stderr
    assert json.loads(fresh("export").stdout)["entries"] == document["entries"]


def test_json_export_of_nothing_is_a_valid_document(sam: Peerlog) -> None:
    text = sam("export").stdout
    assert text == '{\n  "format": 1,\n  "exported": "2026-11-21T10:15:00+00:00",\n' + (
        '  "entries": [],\n  "records": []\n}\n'
    )


def test_hostile_text_stays_on_its_entry_s_line_and_inert(sam: Peerlog) -> None:
    text = HOSTILE + "\n\nsecond\u2028paragraph\r\nlast line"
    entry_id = write(sam, text)

    out = sam("export").stdout

    lines = out.split("\n")  # as line-based tools (diff, grep, wc -l) see it
    # {, format, exported, "entries": [, the entry, ], "records": [, its file, ], }, and ""
    assert len(lines) == 11 and lines[-1] == ""
    assert json.loads(lines[4].strip().removesuffix(","))["text"] == text
    assert f'id = "{entry_id}"' in json.loads(lines[7].strip())["file"]
    assert_terminal_safe(out)
    assert json.loads(out)["entries"][0]["history"][0]["text"] == text
