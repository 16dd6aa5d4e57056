"""`peerlog write` from arguments and piped stdin: options, validation, and the file it leaves."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from cli_support import (
    FIXED_NOW,
    ExitCode,
    Peerlog,
    assert_clean_error,
    entries,
    mode_of,
    read,
    record_path,
    saved_id,
    saved_id_from,
    write,
)

from peerlog.records import Entry


def test_write_from_arguments_saves_one_entry_file(sam: Peerlog) -> None:
    result = sam("write", "Walked", "before", "work.", "It", "helped.")

    assert result.exit_code == 0
    assert result.stderr == ""
    entry_id = saved_id(result)
    [path] = sam.records()
    assert path == record_path(sam, entry_id)
    # members/<member>/<device>/<yyyy>/<mm>/<id>.md, month of the (UTC) creation time
    rel = path.relative_to(sam.home / "journal")
    assert rel.parts == ("members", "sam", sam.device, "2026", "11", f"{entry_id}.md")
    record = read(path)
    assert isinstance(record, Entry)
    assert record.type == "entry"
    assert record.id == entry_id
    assert record.author == "sam"
    assert record.device == sam.device
    assert record.body == "Walked before work. It helped."
    assert record.created == FIXED_NOW
    assert record.when == FIXED_NOW
    assert record.tags == ()
    assert record.mood is None
    assert record.clock >= 1


def test_record_file_is_private_and_readable_text(sam: Peerlog) -> None:
    entry_id = write(sam, "plain words")
    path = record_path(sam, entry_id)

    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700
    text = path.read_text(encoding="utf-8")
    assert text.startswith("+++\n")
    assert text.endswith("+++\nplain words")
    assert f'id = "{entry_id}"' in text
    assert 'type = "entry"' in text


def test_write_from_piped_stdin(sam: Peerlog) -> None:
    result = sam("write", input="First line\nsecond line\n\n")

    entry_id = saved_id(result)
    record = read(record_path(sam, entry_id))
    # blank lines at the ends go, everything inside stays
    assert record.body == "First line\nsecond line"


def test_stdin_bytes_are_decoded_as_utf8(sam: Peerlog) -> None:
    entry_id = write(sam, input="Grüße, 東京 🌧️\n".encode())
    assert read(record_path(sam, entry_id)).body == "Grüße, 東京 🌧️"


def test_arguments_win_over_piped_stdin(sam: Peerlog) -> None:
    entry_id = write(sam, "from", "arguments", input="from stdin\n")
    assert read(record_path(sam, entry_id)).body == "from arguments"


def test_invalid_utf8_on_stdin_is_a_usage_error_and_saves_nothing(sam: Peerlog) -> None:
    result = sam("write", input=b"caf\xe9 \xff\xfe\n")

    assert_clean_error(result, ExitCode.USAGE, "not valid UTF-8")
    assert sam.records() == []


@pytest.mark.parametrize("empty", ["", "\n", "  \n\t\n  "])
def test_empty_stdin_saves_nothing(sam: Peerlog, empty: str) -> None:
    result = sam("write", input=empty)

    assert_clean_error(result, ExitCode.NOTHING_DONE, "Nothing saved")
    assert "empty" in result.stderr
    assert sam.records() == []


def test_blank_argument_saves_nothing(sam: Peerlog) -> None:
    result = sam("write", "   ")

    assert_clean_error(result, ExitCode.NOTHING_DONE, "Nothing saved")
    assert sam.records() == []


def test_text_over_the_size_limit_is_refused(sam: Peerlog) -> None:
    result = sam("write", input="x" * (512 * 1024 + 1))

    assert_clean_error(result, ExitCode.USAGE, "512 KiB")
    assert sam.records() == []


def test_text_at_the_size_limit_is_saved(sam: Peerlog) -> None:
    entry_id = write(sam, input="y" * (512 * 1024))
    assert read(record_path(sam, entry_id)).body == "y" * (512 * 1024)


# --- mood -------------------------------------------------------------------------------------


@pytest.mark.parametrize("mood", [1, 2, 3, 4, 5])
def test_mood_one_to_five_is_saved(sam: Peerlog, mood: int) -> None:
    entry_id = write(sam, "feeling", "--mood", str(mood))

    assert read(record_path(sam, entry_id)).mood == mood  # type: ignore[attr-defined]
    [listed] = entries(sam)
    assert listed["mood"] == mood


def test_short_mood_option(sam: Peerlog) -> None:
    entry_id = write(sam, "feeling", "-m", "4")
    assert read(record_path(sam, entry_id)).mood == 4  # type: ignore[attr-defined]


@pytest.mark.parametrize("bad", ["0", "6", "-1", "99"])
def test_mood_out_of_range_is_refused_and_nothing_written(sam: Peerlog, bad: str) -> None:
    result = sam("write", "feeling", "--mood", bad)

    assert_clean_error(result, ExitCode.USAGE, "Mood must be a whole number from 1 to 5")
    assert bad in result.stderr
    assert sam.records() == []


@pytest.mark.parametrize("bad", ["abc", "3.5", ""])
def test_mood_that_is_not_a_number_is_refused(sam: Peerlog, bad: str) -> None:
    result = sam("write", "feeling", "--mood", bad)

    assert result.exit_code == ExitCode.USAGE
    assert "--mood" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert sam.records() == []


def test_bad_mood_is_refused_before_reading_stdin(sam: Peerlog) -> None:
    result = sam("write", "--mood", "7", input="some text\n")

    assert result.exit_code == ExitCode.USAGE
    assert sam.records() == []


# --- date -------------------------------------------------------------------------------------


def test_date_yesterday_backdates_but_created_stays_now(sam: Peerlog) -> None:
    entry_id = write(sam, "slept badly", "--date", "yesterday")

    record = read(record_path(sam, entry_id))
    assert isinstance(record, Entry)
    assert record.when == FIXED_NOW - timedelta(days=1)
    assert record.created == FIXED_NOW
    [listed] = entries(sam)
    assert datetime.fromisoformat(listed["date"]) == FIXED_NOW - timedelta(days=1)
    assert datetime.fromisoformat(listed["created"]) == FIXED_NOW


def test_date_iso_day_keeps_the_time_of_day_of_now(sam: Peerlog) -> None:
    entry_id = write(sam, "earlier this month", "--date", "2026-11-01")

    record = read(record_path(sam, entry_id))
    assert isinstance(record, Entry)
    assert record.when == datetime(2026, 11, 1, 10, 15, tzinfo=UTC)


def test_date_with_a_time(sam: Peerlog) -> None:
    entry_id = write(sam, "late night", "-d", "yesterday 21:30")

    record = read(record_path(sam, entry_id))
    assert isinstance(record, Entry)
    assert record.when == datetime(2026, 11, 20, 21, 30, tzinfo=UTC)


def test_backdated_entry_is_filed_by_creation_month(sam: Peerlog) -> None:
    entry_id = write(sam, "long ago", "--date", "2025-01-15")

    path = record_path(sam, entry_id)
    assert path.parent.parts[-2:] == ("2026", "11")


@pytest.mark.parametrize("bad", ["someday", "2026-13-01", "2026-02-30", "yesterday 25:00"])
def test_bad_date_is_refused_and_nothing_written(sam: Peerlog, bad: str) -> None:
    result = sam("write", "text", "--date", bad)

    assert_clean_error(result, ExitCode.USAGE, f"'{bad}'")
    assert sam.records() == []


def test_empty_date_is_refused_not_ignored(sam: Peerlog) -> None:
    """`--date "$WHEN"` with an empty variable must not silently mean "now"."""
    result = sam("write", "text", "--date", "")

    assert_clean_error(result, ExitCode.USAGE, "empty")
    assert sam.records() == []


# --- tags -------------------------------------------------------------------------------------


def test_explicit_and_inline_tags(sam: Peerlog) -> None:
    entry_id = write(sam, "Walked #outside, felt #Calm", "--tag", "coping", "-t", "#Sleep")

    record = read(record_path(sam, entry_id))
    assert isinstance(record, Entry)
    # the file keeps only the --tag tags (without '#'); inline ones stay in the body
    assert record.tags == ("coping", "Sleep")
    assert record.body == "Walked #outside, felt #Calm"
    [listed] = entries(sam)
    assert listed["tags"] == ["coping", "Sleep", "outside", "Calm"]


def test_tag_given_twice_in_any_case_is_kept_once(sam: Peerlog) -> None:
    entry_id = write(sam, "a #Walk and #walk", "--tag", "walk", "--tag", "WALK")

    record = read(record_path(sam, entry_id))
    assert record.tags == ("walk",)  # type: ignore[attr-defined]
    [listed] = entries(sam)
    assert listed["tags"] == ["walk"]


def test_things_that_are_not_inline_tags(sam: Peerlog) -> None:
    write(sam, "C# and page#anchor and #1 and issue #42 but #real-one")
    [listed] = entries(sam)
    assert listed["tags"] == ["real-one"]


@pytest.mark.parametrize(
    "bad", ["", "#", "1", "42", "two words", "semi;colon", "dot.ted", "x" * 65, "a/b"]
)
def test_bad_tag_is_refused_and_nothing_written(sam: Peerlog, bad: str) -> None:
    result = sam("write", "text", "--tag", bad)

    assert_clean_error(result, ExitCode.USAGE, "is not a valid tag")
    assert sam.records() == []


def test_bad_tag_is_refused_before_reading_stdin(sam: Peerlog) -> None:
    result = sam("write", "--tag", "no good", input="text\n")
    assert result.exit_code == ExitCode.USAGE
    assert sam.records() == []


def test_longest_tag_is_accepted(sam: Peerlog) -> None:
    entry_id = write(sam, "text", "--tag", "t" * 64)
    assert read(record_path(sam, entry_id)).tags == ("t" * 64,)  # type: ignore[attr-defined]


# --- clocks and ids ---------------------------------------------------------------------------


def test_each_write_gets_a_higher_clock_and_a_new_id(sam: Peerlog) -> None:
    ids = [write(sam, f"entry {n}") for n in range(4)]

    assert len(set(ids)) == 4
    clocks = [read(record_path(sam, i)).clock for i in ids]
    assert clocks == sorted(clocks)
    assert len(set(clocks)) == 4


def test_clock_survives_losing_the_cache(sam: Peerlog) -> None:
    """docs/storage.md: the cache can be deleted at any time; the next write rebuilds the clock.

    Run as a subprocess with a timeout: the in-process runner would hang the whole suite if
    `write` deadlocks on its own cache lock.
    """
    first = [write(sam, f"entry {n}") for n in range(3)]
    highest = max(read(record_path(sam, i)).clock for i in first)
    shutil.rmtree(sam.cache)

    env = {
        **os.environ,
        "PEERLOG_HOME": str(sam.home),
        "PEERLOG_CACHE_DIR": str(sam.cache),
        "PEERLOG_NOW": FIXED_NOW.isoformat(),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "peerlog", "write", "after the cache was deleted"],
            env=env,
            capture_output=True,
            text=True,
            timeout=8,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("`peerlog write` hung after the cache folder was deleted")
    assert done.returncode == 0, done.stderr
    later = saved_id_from(done.stdout)
    assert read(record_path(sam, later)).clock == highest + 1
    assert len(entries(sam)) == 4


def test_clock_is_rebuilt_by_a_read_after_losing_the_cache(sam: Peerlog) -> None:
    first = [write(sam, f"entry {n}") for n in range(3)]
    highest = max(read(record_path(sam, i)).clock for i in first)
    shutil.rmtree(sam.cache)

    assert len(entries(sam)) == 3  # a read rebuilds the cache and the clock
    later = write(sam, "after the cache was rebuilt")
    assert read(record_path(sam, later)).clock == highest + 1


def test_write_prints_nothing_on_stderr_and_json_is_valid(sam: Peerlog) -> None:
    result = sam("write", "hello")
    assert result.stderr == ""
    listed = json.loads(sam("list", "--json").stdout)
    assert [e["text"] for e in listed] == ["hello"]
