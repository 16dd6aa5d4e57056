"""`--mood` takes the scale's own words in any case, as well as 1 to 5."""

from __future__ import annotations

import pytest
from cli_support import (
    Entry,
    ExitCode,
    Peerlog,
    assert_clean_error,
    entries,
    records_of_type,
    write,
)


@pytest.mark.parametrize(
    ("word", "value"),
    [("rough", 1), ("LOW", 2), ("Okay", 3), ("good", 4), ("great", 5), ("4", 4), (" 2 ", 2)],
)
def test_write_mood_takes_words_and_numbers(sam: Peerlog, word: str, value: int) -> None:
    write(sam, "a day", "--mood", word)

    assert [e["mood"] for e in entries(sam)] == [value]
    assert [r.mood for r in records_of_type(sam, Entry)] == [value]  # on disk as a number


def test_edit_and_checkin_take_mood_words(sam: Peerlog) -> None:
    entry = write(sam, "a day", "--mood", "low")
    assert sam("edit", entry, "--mood", "Great").exit_code == 0
    assert [e["mood"] for e in entries(sam)] == [5]

    result = sam("checkin", "--mood", "okay", "--win", "tea")
    assert result.exit_code == 0, result.stderr
    assert [c["mood"] for c in entries(sam, command="checkins")] == [3]


@pytest.mark.parametrize("bad", ["meh", "9", "0", "good!", ""])
def test_other_moods_are_usage_errors_naming_the_scale(sam: Peerlog, bad: str) -> None:
    result = sam("write", "a day", "--mood", bad)

    assert_clean_error(
        result, ExitCode.USAGE, "Mood must be a whole number from 1 to 5", "--mood", "4 good"
    )
    assert sam.records() == []
