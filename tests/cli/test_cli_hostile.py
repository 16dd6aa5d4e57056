"""Text that tries to take over the terminal is shown inert, and kept exactly in JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_support import (
    HOSTILE,
    ExitCode,
    Peerlog,
    assert_terminal_safe,
    drop_record,
    entries,
    foreign_entry,
    read,
    record_path,
    write,
)

# Passes the tag rules, so it is a tag; the controls around it must still not leak.
HOSTILE_ENTRY = HOSTILE + " #evil\u202etag [#markup] #Ünïcode"


@pytest.fixture
def hostile(sam: Peerlog) -> str:
    entry_id = write(sam, HOSTILE_ENTRY, "--tag", "sleep")
    assert read(record_path(sam, entry_id)).body == HOSTILE_ENTRY  # stored exactly
    return entry_id


def assert_inert(output: str) -> None:
    assert_terminal_safe(output)
    assert "[bold red]markup[/]" in output  # markup shows as the characters typed


def test_list_is_inert(sam: Peerlog, hostile: str) -> None:
    result = sam("list")
    assert result.exit_code == 0
    assert_inert(result.stdout)
    assert "#evil" in result.stdout
    assert "#Ünïcode" in result.stdout


def test_show_is_inert(sam: Peerlog, hostile: str) -> None:
    result = sam("show", hostile)
    assert result.exit_code == 0
    assert_inert(result.stdout)
    assert "[link=https://evil.example]click[/link]" in result.stdout
    assert "crback" in result.stdout  # the carriage return is gone, the letters are not


def test_show_on_a_terminal_writes_only_its_own_styles(sam: Peerlog, hostile: str) -> None:
    assert sam("reply", hostile, HOSTILE).exit_code == 0
    result = sam("show", hostile, env={"FORCE_COLOR": "1", "TERM": "xterm"})
    assert result.exit_code == 0
    assert "\x1b[1m" in result.stdout  # styled: the headline is bold
    ours = re.compile(r"\x1b\[[0-9;]*m")  # the SGR sequences peerlog writes, and nothing else
    assert_inert(ours.sub("", result.stdout))
    assert result.stdout.count("[bold red]markup[/]") == 2  # the entry and the reply


def test_show_history_is_inert(sam: Peerlog, hostile: str) -> None:
    assert sam("edit", hostile, input="calm now").exit_code == 0
    result = sam("show", hostile, "--history")
    assert result.exit_code == 0
    assert_inert(result.stdout)


def test_search_is_inert(sam: Peerlog, hostile: str) -> None:
    result = sam("search", "markup")
    assert result.exit_code == 0
    assert_inert(result.stdout)


def test_tags_are_inert(sam: Peerlog, hostile: str) -> None:
    result = sam("tags")
    assert result.exit_code == 0
    assert_terminal_safe(result.stdout)
    listed = json.loads(sam("tags", "--json").stdout)
    assert {t["tag"] for t in listed} == {"sleep", "evil", "markup", "Ünïcode"}


def test_delete_prompt_is_inert(sam: Peerlog, hostile: str) -> None:
    result = sam("delete", hostile, input="n\n")
    assert result.exit_code == ExitCode.NOTHING_DONE
    assert_terminal_safe(result.stdout)
    assert_terminal_safe(result.stderr)


def test_json_keeps_the_text_exactly(sam: Peerlog, hostile: str) -> None:
    [listed] = entries(sam)
    assert listed["text"] == HOSTILE_ENTRY
    shown = json.loads(sam("show", hostile, "--json").stdout)
    assert shown["text"] == HOSTILE_ENTRY
    [found] = entries(sam, "markup", command="search")
    assert found["text"] == HOSTILE_ENTRY


def test_json_output_escapes_c0_controls(sam: Peerlog, hostile: str) -> None:
    out = sam("list", "--json").stdout
    assert "\x1b" not in out
    assert "\r" not in out
    assert "\x07" not in out


def test_export_json_keeps_the_text_exactly(sam: Peerlog, hostile: str, tmp_path: Path) -> None:
    document = json.loads(sam("export").stdout)
    assert document["entries"][0]["text"] == HOSTILE_ENTRY
    assert document["entries"][0]["history"][0]["text"] == HOSTILE_ENTRY

    out = tmp_path / "export.json"
    assert sam("export", "--out", str(out)).exit_code == 0
    assert json.loads(out.read_bytes())["entries"][0]["text"] == HOSTILE_ENTRY


def test_markdown_export_file_keeps_the_text_exactly(
    sam: Peerlog, hostile: str, tmp_path: Path
) -> None:
    out = tmp_path / "export.md"
    assert sam("export", "--format", "markdown", "--out", str(out)).exit_code == 0
    assert HOSTILE_ENTRY in out.read_bytes().decode("utf-8")


def test_markdown_export_on_stdout_is_the_same_document_as_the_file(
    sam: Peerlog, tmp_path: Path
) -> None:
    """`export -f markdown > backup.md` must not silently drop parts of the text."""
    text = "colour \x1b[31mred\x1b[0m text"
    write(sam, text)
    out = tmp_path / "export.md"
    assert sam("export", "--format", "markdown", "--out", str(out)).exit_code == 0
    assert text in out.read_bytes().decode("utf-8")

    piped = sam("export", "--format", "markdown")

    assert piped.exit_code == 0
    assert text in piped.stdout
    assert piped.stdout_bytes == out.read_bytes()


def test_hostile_tags_and_text_in_a_record_file_are_inert(sam: Peerlog) -> None:
    """A record written by another program (or a newer peerlog) with controls in its tags."""
    record = foreign_entry(
        "synced \x1b]52;c;ZXZpbA==\x07 clipboard grab",
        author="sam",
        device=sam.device,
        tags=("\x1b[31mred", "bidi\u202eflip", "c1\x9bcsi"),
    )
    drop_record(sam, record)

    for args in (["list"], ["tags"], ["show", record.id], ["search", "clipboard"]):
        result = sam(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert_terminal_safe(result.stdout)
        assert_terminal_safe(result.stderr)
    [listed] = entries(sam)
    assert listed["tags"] == ["\x1b[31mred", "bidi\u202eflip", "c1\x9bcsi"]


def test_hostile_id_in_an_error_message_is_inert(sam: Peerlog) -> None:
    write(sam, "something")
    result = sam("show", "\x1b[2J\x9b31m\u202ezz")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert_terminal_safe(result.stderr)


def test_hostile_file_name_in_a_warning_is_inert(sam: Peerlog) -> None:
    """Folder names come from a sync engine; they must not steer the terminal in warnings."""
    write(sam, "something")
    record = foreign_entry("bad", author="alex", device=sam.device)
    folder = sam.home / "journal" / "members" / "sam" / sam.device / "2026" / "11"
    drop_record(sam, record, folder=folder)
    result = sam("list")
    assert result.exit_code == 0
    assert "warning" in result.stderr
    assert_terminal_safe(result.stderr)
