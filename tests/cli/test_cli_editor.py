"""`peerlog write` and `peerlog edit` through $VISUAL / $EDITOR (a fake editor script)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import (
    ExitCode,
    Peerlog,
    Revision,
    assert_clean_error,
    drop_record,
    entries,
    foreign_entry,
    isolate_tempdir,
    make_editor,
    read,
    record_path,
    records_of_type,
    saved_id,
    write,
)

from peerlog.records import Entry


@pytest.fixture(autouse=True)
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolate_tempdir(tmp_path, monkeypatch)


def test_write_with_editor_saves_what_was_typed(sam: Peerlog, tmp_path: Path) -> None:
    editor = make_editor(tmp_path, "Typed in the editor #quiet\n\n")

    result = sam(
        "write", "--mood", "2", "--tag", "evening", tty=True, env={"EDITOR": str(editor.script)}
    )

    entry_id = saved_id(result)
    assert editor.ran
    assert editor.seen()["before"] == ""
    record = read(record_path(sam, entry_id))
    assert isinstance(record, Entry)
    assert record.body == "Typed in the editor #quiet"
    assert record.mood == 2
    assert record.tags == ("evening",)


def test_editor_command_may_carry_arguments(sam: Peerlog, tmp_path: Path) -> None:
    editor = make_editor(tmp_path, "with args")

    result = sam("write", tty=True, env={"EDITOR": f"{editor.script} --wait -n"})

    saved_id(result)
    argv = editor.seen()["argv"]
    assert argv[:2] == ["--wait", "-n"]
    assert len(argv) == 3


def test_editor_file_is_private_and_removed_afterwards(
    sam: Peerlog, tmp_path: Path, temp_folder: Path
) -> None:
    editor = make_editor(tmp_path, "secret thoughts")

    saved_id(sam("write", tty=True, env={"EDITOR": str(editor.script)}))

    seen = editor.seen()
    assert seen["mode"] == 0o600
    edited = Path(seen["path"])
    assert edited.parent == temp_folder
    assert not edited.exists()
    assert list(temp_folder.iterdir()) == []


def test_visual_wins_over_editor(sam: Peerlog, tmp_path: Path) -> None:
    visual = make_editor(tmp_path, "from VISUAL", name="visual")
    plain = make_editor(tmp_path, "from EDITOR", name="plain")

    result = sam("write", tty=True, env={"VISUAL": str(visual.script), "EDITOR": str(plain.script)})

    entry_id = saved_id(result)
    assert read(record_path(sam, entry_id)).body == "from VISUAL"
    assert visual.ran
    assert not plain.ran


def test_editor_is_used_when_visual_is_unset(sam: Peerlog, tmp_path: Path) -> None:
    plain = make_editor(tmp_path, "from EDITOR", name="plain")

    entry_id = saved_id(sam("write", tty=True, env={"EDITOR": str(plain.script)}))

    assert read(record_path(sam, entry_id)).body == "from EDITOR"


def test_editor_not_used_when_text_is_given(sam: Peerlog, tmp_path: Path) -> None:
    editor = make_editor(tmp_path, "from the editor")

    entry_id = saved_id(sam("write", "from", "args", tty=True, env={"EDITOR": str(editor.script)}))

    assert not editor.ran
    assert read(record_path(sam, entry_id)).body == "from args"


def test_piped_stdin_is_used_instead_of_the_editor(sam: Peerlog, tmp_path: Path) -> None:
    editor = make_editor(tmp_path, "from the editor")

    entry_id = saved_id(sam("write", input="from stdin\n", env={"EDITOR": str(editor.script)}))

    assert not editor.ran
    assert read(record_path(sam, entry_id)).body == "from stdin"


@pytest.mark.parametrize("typed", [None, ""])
def test_editor_leaving_the_text_unchanged_saves_nothing(
    sam: Peerlog, tmp_path: Path, temp_folder: Path, typed: str | None
) -> None:
    editor = make_editor(tmp_path, typed)

    result = sam("write", tty=True, env={"EDITOR": str(editor.script)})

    assert editor.ran
    assert_clean_error(result, ExitCode.NOTHING_DONE, "Nothing saved")
    assert result.stdout == ""
    assert sam.records() == []
    assert list(temp_folder.iterdir()) == []


@pytest.mark.parametrize("typed", ["\n", "   \n\n\t"])
def test_editor_leaving_only_blank_space_saves_nothing(
    sam: Peerlog, tmp_path: Path, temp_folder: Path, typed: str
) -> None:
    editor = make_editor(tmp_path, typed)

    result = sam("write", tty=True, env={"EDITOR": str(editor.script)})

    assert_clean_error(result, ExitCode.NOTHING_DONE, "Nothing saved")
    assert sam.records() == []
    assert list(temp_folder.iterdir()) == []


def test_editor_exiting_with_an_error_saves_nothing_but_keeps_the_text(
    sam: Peerlog, tmp_path: Path
) -> None:
    editor = make_editor(tmp_path, "half a thought", status=3)

    result = sam("write", tty=True, env={"EDITOR": str(editor.script)})

    assert_clean_error(result, ExitCode.NOTHING_DONE, "status 3", "nothing saved")
    assert sam.records() == []
    kept = Path(editor.seen()["path"])
    assert str(kept) in result.stderr
    assert kept.read_text(encoding="utf-8") == "half a thought"


def test_editor_exiting_with_an_error_without_typing_leaves_no_file(
    sam: Peerlog, tmp_path: Path, temp_folder: Path
) -> None:
    editor = make_editor(tmp_path, None, status=1)

    result = sam("write", tty=True, env={"EDITOR": str(editor.script)})

    assert_clean_error(result, ExitCode.NOTHING_DONE, "status 1")
    assert sam.records() == []
    assert list(temp_folder.iterdir()) == []


def test_text_that_cannot_be_saved_is_kept_and_the_error_says_where(
    sam: Peerlog, tmp_path: Path
) -> None:
    editor = make_editor(tmp_path, "z" * (512 * 1024 + 1))

    result = sam("write", tty=True, env={"EDITOR": str(editor.script)})

    assert_clean_error(result, ExitCode.USAGE, "512 KiB")
    assert sam.records() == []
    kept = Path(editor.seen()["path"])
    assert str(kept) in result.stderr
    assert kept.read_text(encoding="utf-8") == "z" * (512 * 1024 + 1)


def test_editor_saving_invalid_utf8_is_refused_and_kept(sam: Peerlog, tmp_path: Path) -> None:
    editor = make_editor(tmp_path, b"caf\xe9 au lait")

    result = sam("write", tty=True, env={"EDITOR": str(editor.script)})

    assert_clean_error(result, ExitCode.USAGE, "UTF-8")
    assert sam.records() == []
    kept = Path(editor.seen()["path"])
    assert str(kept) in result.stderr
    assert kept.read_bytes() == b"caf\xe9 au lait"


def test_no_editor_set_with_a_terminal_is_a_usage_error(sam: Peerlog) -> None:
    result = sam("write", tty=True)

    assert_clean_error(result, ExitCode.USAGE, "no editor is set", "$EDITOR")
    assert sam.records() == []


def test_blank_editor_variable_counts_as_unset(sam: Peerlog) -> None:
    result = sam("write", tty=True, env={"EDITOR": "   "})

    assert_clean_error(result, ExitCode.USAGE, "no editor is set")
    assert sam.records() == []


def test_editor_that_cannot_start_is_a_usage_error(sam: Peerlog, tmp_path: Path) -> None:
    result = sam("write", tty=True, env={"EDITOR": str(tmp_path / "no-such-editor")})

    assert_clean_error(result, ExitCode.USAGE, "Could not start the editor")
    assert sam.records() == []


def test_bad_options_are_refused_before_the_editor_opens(sam: Peerlog, tmp_path: Path) -> None:
    editor = make_editor(tmp_path, "typed for nothing")

    for bad in (["--mood", "9"], ["--tag", "not a tag"], ["--date", "someday"]):
        result = sam("write", *bad, tty=True, env={"EDITOR": str(editor.script)})
        assert result.exit_code == ExitCode.USAGE, bad
        assert not editor.ran, bad
    assert sam.records() == []


# --- edit through the editor ------------------------------------------------------------------


def test_edit_with_editor_starts_from_the_current_text(sam: Peerlog, tmp_path: Path) -> None:
    entry_id = write(sam, "first version")
    original = record_path(sam, entry_id).read_bytes()
    editor = make_editor(tmp_path, "second version\n")

    result = sam("edit", entry_id, tty=True, env={"EDITOR": str(editor.script)})

    assert result.exit_code == 0, result.stderr
    assert editor.seen()["before"] == "first version"
    assert record_path(sam, entry_id).read_bytes() == original
    [revision] = records_of_type(sam, Revision)
    assert isinstance(revision, Revision)
    assert revision.target == entry_id
    assert revision.body == "second version"
    assert revision.id in result.stdout
    [listed] = entries(sam)
    assert listed["text"] == "second version"


def test_edit_with_editor_unchanged_saves_nothing(sam: Peerlog, tmp_path: Path) -> None:
    entry_id = write(sam, "stays the same")
    editor = make_editor(tmp_path, None)

    result = sam("edit", entry_id, tty=True, env={"EDITOR": str(editor.script)})

    assert_clean_error(result, ExitCode.NOTHING_DONE, "Nothing saved")
    assert len(sam.records()) == 1


def test_edit_with_editor_adding_only_a_final_newline_saves_nothing(
    sam: Peerlog, tmp_path: Path, temp_folder: Path
) -> None:
    entry_id = write(sam, "stays the same")
    editor = make_editor(tmp_path, "stays the same\n")  # what most editors do on save

    result = sam("edit", entry_id, tty=True, env={"EDITOR": str(editor.script)})

    assert_clean_error(result, ExitCode.NOTHING_DONE, "unchanged")
    assert len(sam.records()) == 1
    assert list(temp_folder.iterdir()) == []


def test_edit_of_someone_elses_entry_is_refused_before_the_editor_opens(
    sam: Peerlog, tmp_path: Path
) -> None:
    """Nothing typed should be thrown away: ownership is known before the editor starts."""
    theirs = foreign_entry("alex wrote this")
    drop_record(sam, theirs)
    editor = make_editor(tmp_path, "sam's words over alex's")

    result = sam("edit", theirs.id, tty=True, env={"EDITOR": str(editor.script)})

    assert_clean_error(result, ExitCode.REFUSED, "alex")
    assert records_of_type(sam, Revision) == []
    assert not editor.ran
