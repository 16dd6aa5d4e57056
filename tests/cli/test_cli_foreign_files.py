"""Files in the journal tree peerlog did not write: bad records are reported, others ignored."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from cli_support import (
    FIXED_NOW,
    ExitCode,
    Peerlog,
    drop_record,
    entries,
    foreign_entry,
    write,
)

from peerlog.records import new_record_id
from peerlog.store import encode_record


def month_folder(peerlog: Peerlog) -> Path:
    home: Path = peerlog.home
    return home / "journal" / "members" / "sam" / peerlog.device / "2026" / "11"


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("peerlog: warning:")]


@pytest.fixture
def tree(sam: Peerlog) -> dict[str, Path]:
    """Two good entries, then every kind of stranger in sam's month folder."""
    write(sam, "good one", now=FIXED_NOW - timedelta(hours=1))
    write(sam, "good two")
    folder = month_folder(sam)
    good = sam.records()[0]

    malformed = folder / f"{new_record_id(FIXED_NOW)}.md"
    malformed.write_text('+++\nid = "unterminated\ntype = [entry\n+++\nbody\n', encoding="utf-8")

    impostor = foreign_entry(
        "alex pretending to be in sam's folder", author="alex", device=sam.device
    )
    wrong_author = drop_record(sam, impostor, folder=folder)

    other_device = foreign_entry("sam, but from another device", author="sam")
    wrong_device = drop_record(sam, other_device, folder=folder)

    renamed = foreign_entry("my id is not my name", author="sam", device=sam.device)
    wrong_name = folder / f"{new_record_id(FIXED_NOW)}.md"
    wrong_name.write_bytes(encode_record(renamed))

    # Not records at all: never parsed, never reported. Some hold valid record bytes on purpose.
    copy = foreign_entry("conflict copy text", author="sam", device=sam.device)
    strangers = {
        "notes": folder / "notes.txt",
        "syncthing": folder / f"{copy.id}.sync-conflict-20261121-101010-ABCDEFG.md",
        "dropbox": folder / f"{copy.id} (Sam's conflicted copy 2026-11-21).md",
        "nextcloud": folder / f"{copy.id}_conflict-20261121-101010.md",
        "temp": folder / ".~peerlog-0123456789abcdef.part",
        "backup": folder / f"{good.name}~",
        "swap": folder / f".{good.name}.swp",
        "upper": folder / f"{copy.id.upper()}.md",
    }
    for path in strangers.values():
        path.write_bytes(encode_record(copy))
    strangers["notes"].write_text("not a record at all\n", encoding="utf-8")
    return {
        "malformed": malformed,
        "wrong_author": wrong_author,
        "wrong_device": wrong_device,
        "wrong_name": wrong_name,
        **{f"stranger:{k}": v for k, v in strangers.items()},
    }


def test_list_warns_about_bad_records_and_lists_the_good_ones(
    sam: Peerlog, tree: dict[str, Path]
) -> None:
    result = sam("list")

    assert result.exit_code == 0
    assert "good one" in result.stdout
    assert "good two" in result.stdout
    for text in ("pretending", "another device", "not my name", "conflict copy"):
        assert text not in result.stdout
    lines = warnings(result.stderr)
    assert len(lines) == 4, result.stderr
    assert result.stderr.count("\n") == 4  # nothing but the warnings
    for key in ("malformed", "wrong_author", "wrong_device", "wrong_name"):
        [line] = [w for w in lines if tree[key].name in w]
        assert str(tree[key]) in line
    [malformed] = [w for w in lines if tree["malformed"].name in w]
    assert "TOML" in malformed
    [wrong_author] = [w for w in lines if tree["wrong_author"].name in w]
    assert "alex" in wrong_author
    assert "Traceback" not in result.stderr


def test_non_record_files_are_never_mentioned(sam: Peerlog, tree: dict[str, Path]) -> None:
    result = sam("list")
    for key, path in tree.items():
        if key.startswith("stranger:"):
            assert path.name not in result.stderr, key
            assert path.name not in result.stdout, key
            assert path.exists(), key  # and never touched


def test_json_stays_clean_while_warnings_go_to_stderr(sam: Peerlog, tree: dict[str, Path]) -> None:
    result = sam("list", "--json")

    assert result.exit_code == 0
    assert sorted(e["text"] for e in json.loads(result.stdout)) == ["good one", "good two"]
    assert len(warnings(result.stderr)) == 4


@pytest.mark.parametrize(
    "args", [["search", "good"], ["tags"], ["export"], ["list", "--tag", "x"]], ids=" ".join
)
def test_other_reading_commands_warn_too_and_succeed(
    sam: Peerlog, tree: dict[str, Path], args: list[str]
) -> None:
    result = sam(*args)
    assert result.exit_code == 0, result.stderr
    assert len(warnings(result.stderr)) == 4


def test_warnings_repeat_on_every_run(sam: Peerlog, tree: dict[str, Path]) -> None:
    """The cache must not hide a problem on the second run."""
    first = sam("list")
    second = sam("list")
    assert warnings(first.stderr) == warnings(second.stderr)
    assert len(warnings(second.stderr)) == 4


def test_writing_still_works_beside_bad_files(sam: Peerlog, tree: dict[str, Path]) -> None:
    result = sam("write", "good three")
    assert result.exit_code == 0
    assert sorted(e["text"] for e in entries(sam)) == ["good one", "good three", "good two"]


def test_a_fixed_file_is_read_on_the_next_run(sam: Peerlog, tree: dict[str, Path]) -> None:
    sam("list")
    name = tree["malformed"].name
    fixed = foreign_entry("repaired by hand", author="sam", device=sam.device)
    fixed_bytes = encode_record(fixed).replace(fixed.id.encode(), name[:-3].encode())
    tree["malformed"].write_bytes(fixed_bytes)

    result = sam("list")

    assert "repaired by hand" in result.stdout
    assert name not in result.stderr
    assert len(warnings(result.stderr)) == 3


def test_a_new_file_from_sync_is_seen_on_the_next_run(sam: Peerlog) -> None:
    write(sam, "local")
    assert len(entries(sam)) == 1
    drop_record(sam, foreign_entry("from my laptop", author="sam"))
    assert sorted(e["text"] for e in entries(sam)) == ["from my laptop", "local"]


def test_show_of_an_impostor_id_is_not_found(sam: Peerlog, tree: dict[str, Path]) -> None:
    impostor_id = tree["wrong_author"].name[:-3]
    result = sam("show", impostor_id)
    assert result.exit_code == ExitCode.NOT_FOUND


def test_records_from_a_newer_peerlog_are_kept_quietly(sam: Peerlog) -> None:
    """Unknown keys and unknown record types are ignored without a warning (DESIGN §3)."""
    write(sam, "mine")
    folder = month_folder(sam)
    device = sam.device
    newer_entry_id = new_record_id(FIXED_NOW)
    (folder / f"{newer_entry_id}.md").write_text(
        "+++\n"
        "format = 1\n"
        f'id = "{newer_entry_id}"\n'
        'type = "entry"\n'
        'author = "sam"\n'
        f'device = "{device}"\n'
        "clock = 7\n"
        "created = 2026-11-21T09:00:00+00:00\n"
        "date = 2026-11-21T09:00:00+00:00\n"
        'tags = ["future"]\n'
        'weather = "sunny"\n'
        "[attachments]\n"
        'photo = "walk.jpg"\n'
        "+++\n"
        "written by a newer peerlog",
        encoding="utf-8",
    )
    unknown_id = new_record_id(FIXED_NOW)
    (folder / f"{unknown_id}.md").write_text(
        "+++\n"
        "format = 1\n"
        f'id = "{unknown_id}"\n'
        'type = "reaction"\n'
        'author = "sam"\n'
        f'device = "{device}"\n'
        "clock = 8\n"
        "created = 2026-11-21T09:30:00+00:00\n"
        f'target = "{newer_entry_id}"\n'
        'emoji = "heart"\n'
        "+++\n",
        encoding="utf-8",
    )

    result = sam("list", "--json")

    assert result.exit_code == 0
    assert result.stderr == ""
    listed = json.loads(result.stdout)
    assert sorted(e["text"] for e in listed) == ["mine", "written by a newer peerlog"]
    [newer] = [e for e in listed if e["id"] == newer_entry_id]
    assert newer["tags"] == ["future"]


def test_a_symlinked_record_is_not_followed(sam: Peerlog, tmp_path: Path) -> None:
    write(sam, "mine")
    outside = foreign_entry("lives outside the journal", author="sam", device=sam.device)
    target = tmp_path / "outside.md"
    target.write_bytes(encode_record(outside))
    link = month_folder(sam) / f"{outside.id}.md"
    link.symlink_to(target)

    result = sam("list")

    assert result.exit_code == 0
    assert "lives outside" not in result.stdout
    assert "mine" in result.stdout
    [line] = warnings(result.stderr)
    assert link.name in line


def test_an_oversized_record_is_skipped_with_a_warning(sam: Peerlog) -> None:
    write(sam, "mine")
    huge = foreign_entry("h" * (1024 * 1024), author="sam", device=sam.device)
    path = drop_record(sam, huge, folder=month_folder(sam))

    result = sam("list", "--json")

    assert result.exit_code == 0
    assert [e["text"] for e in json.loads(result.stdout)] == ["mine"]
    [line] = warnings(result.stderr)
    assert path.name in line
    assert "1024 KiB" in line or "1 MiB" in line
