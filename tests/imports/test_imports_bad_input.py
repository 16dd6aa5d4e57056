"""Bad jrnl input: refused before anything is written, with a sentence naming the entry.

Each case asserts the exit code, the message, and that the journal holds no file afterwards
(an import is all or nothing per file, so good entries before a bad one are not published).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from import_support import CORPUS, Peerlog, assert_refused, entries, jrnl_entry, jrnl_file, records

from peerlog.errors import ExitCode

USAGE = int(ExitCode.USAGE)


def _good() -> dict[str, object]:
    return jrnl_entry("A good entry before the bad one.", "Body.")


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        (jrnl_entry("Too old", date="1850-01-01"), "outside the years 1900 to 9998"),
        (jrnl_entry("Too new", date="9999-06-01"), "outside the years 1900 to 9998"),
        (jrnl_entry("Big", "x" * (600 * 1024)), "more than the 512 KiB one entry holds"),
        (jrnl_entry("Huge", "y" * (1100 * 1024)), "more than the 512 KiB one entry holds"),
        (jrnl_entry("Bad \ud800 title"), "not valid Unicode (U+D800"),
        (jrnl_entry("Bad tag", tags=["@ok\udc80"]), "a tag holds a character that is not valid"),
        (jrnl_entry("Bad date", date="2020\udc80"), "is not a valid date and time"),
        (jrnl_entry("Merge", "<<<<<<< HEAD\nmine\n=======\nyours\n>>>>>>> main"), "git merge"),
        (jrnl_entry("No date", date=None), "its date or time is missing"),
        (jrnl_entry("Bad date", date="2020-13-45"), "is not a valid date and time"),
        (jrnl_entry("Bad tags", tags="work"), "its tags are not a list of texts"),
        (jrnl_entry("Bad star", starred="yes"), "'starred' is neither true nor false"),
        ("just text", "it is not an object"),
    ],
    ids=[
        "1850",
        "9999",
        "600KiB",
        "1.1MiB",
        "surrogate",
        "tag-surrogate",
        "date-surrogate",
        "merge-markers",
        "nodate",
        "date",
        "tags",
        "star",
        "text",
    ],
)
def test_a_bad_entry_refuses_the_whole_file(
    sam: Peerlog, tmp_path: Path, bad: object, needle: str
) -> None:
    path = jrnl_file(tmp_path, [_good(), bad, _good() | {"title": "After it."}])

    result = sam("import", "jrnl", str(path))

    assert_refused(result, USAGE, "Nothing was imported", "entry 2", needle)
    assert "nothing is written until all can" in result.stderr
    assert records(sam) == []
    again = sam("import", "jrnl", str(path))  # and again: still nothing, never a copy
    assert_refused(again, USAGE, "entry 2")
    assert records(sam) == []


def test_the_refusal_names_every_bad_entry(sam: Peerlog, tmp_path: Path) -> None:
    bad = [jrnl_entry(f"Old {n}", date="1850-01-01") for n in range(12)]
    path = jrnl_file(tmp_path, [_good(), *bad])

    result = sam("import", "jrnl", str(path))

    assert_refused(result, USAGE, "12 entries of 13", 'entry 2 (1850-01-01 09:30 "Old 0")')
    assert "… and 2 more" in result.stderr
    assert records(sam) == []


def test_deeply_nested_json_is_refused(sam: Peerlog, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"entries": [' + "[" * 100_000 + "]" * 100_000 + "]}")

    assert_refused(sam("import", "jrnl", str(path)), USAGE, "nests its JSON too deeply")
    assert records(sam) == []


def test_dev_zero_is_refused_at_once(sam: Peerlog) -> None:
    result = sam("import", "jrnl", "/dev/zero")

    assert_refused(result, USAGE, "/dev/zero is not a jrnl JSON export", "does not start with")
    assert records(sam) == []


def test_endless_input_is_refused_at_the_limit(
    sam: Peerlog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import peerlog.actions.importing as importing

    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", 2 * 1024 * 1024)
    path = tmp_path / "big.json"
    path.write_text('{"entries": [' + " " * (3 * 1024 * 1024) + "]}")

    assert_refused(sam("import", "jrnl", str(path)), USAGE, "larger than 2 MiB")
    assert records(sam) == []


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "is empty"),
        (b"not json at all", "does not start with '{'"),
        (b'{"entries": [', "is not a jrnl JSON export: Expecting value"),
        (b'{"journal": []}', "has no list of entries"),
        (b"\xff\xfe\x00\x00garbage", "not text in UTF-8, UTF-16 or UTF-32"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "does not start with '{'"),
    ],
    ids=["empty", "text", "truncated", "other-json", "bad-utf32", "binary"],
)
def test_a_file_that_is_not_an_export(
    sam: Peerlog, tmp_path: Path, content: bytes, needle: str
) -> None:
    path = tmp_path / "not.json"
    path.write_bytes(content)

    result = sam("import", "jrnl", str(path))

    assert_refused(result, USAGE, needle)
    assert records(sam) == []


def test_a_missing_file_and_a_folder(sam: Peerlog, tmp_path: Path) -> None:
    assert_refused(sam("import", "jrnl", str(tmp_path / "nope.json")), USAGE, "There is no file")
    assert_refused(sam("import", "jrnl", str(tmp_path)), USAGE, "is a folder, not a file")


def test_an_unknown_time_zone(sam: Peerlog) -> None:
    result = sam("import", "jrnl", str(CORPUS / "plain.json"), "--tz", "Mars/Olympus")

    assert_refused(result, USAGE, "'Mars/Olympus' is not a time zone", "Europe/Berlin")
    assert records(sam) == []


@pytest.mark.parametrize(
    "encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-32"], ids=lambda e: str(e)
)
def test_what_windows_tools_write_is_read(sam: Peerlog, tmp_path: Path, encoding: str) -> None:
    text = json.dumps({"entries": [jrnl_entry("Grüße aus Windows", "Zeile zwei @work")]})
    path = tmp_path / "ps.json"
    path.write_bytes(text.encode(encoding))

    result = sam("import", "jrnl", str(path))

    assert result.exit_code == 0, result.stderr
    (entry,) = entries(sam)
    assert entry["text"] == "Grüße aus Windows\nZeile zwei @work"
    assert entry["tags"] == ["@work"]


def test_standard_input(sam: Peerlog) -> None:
    data = (CORPUS / "tagged.json").read_bytes()

    result = sam("import", "jrnl", "-", input=data)

    assert result.exit_code == 0, result.stderr
    assert "Imported 2 entries" in result.stdout
    assert len(entries(sam)) == 2
    bad = sam("import", "jrnl", "-", input=b"nope")
    assert_refused(bad, USAGE, "standard input is not a jrnl JSON export")


def test_an_empty_entry_is_left_out_and_said(sam: Peerlog, tmp_path: Path) -> None:
    path = jrnl_file(tmp_path, [_good(), jrnl_entry("  ", "")])

    result = sam("import", "jrnl", str(path))

    assert result.exit_code == 0, result.stderr
    assert "1 entry had no text at all" in result.stderr
    assert len(entries(sam)) == 1


def test_a_hostile_title_in_a_refusal_cannot_act_on_the_terminal(
    sam: Peerlog, tmp_path: Path
) -> None:
    title = "\x1b[2J\x1b]0;pwned\x07 \u202eevil [bold]x[/] \ud800"
    path = jrnl_file(tmp_path, [jrnl_entry(title, date="1850-01-01")])

    result = sam("import", "jrnl", str(path))

    assert_refused(result, USAGE, "entry 1")
    for bad in ("\x1b", "\x07", "\u202e", "\ud800"):
        assert bad not in result.stderr
    assert records(sam) == []
