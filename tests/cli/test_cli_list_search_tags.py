"""`peerlog list`, `search` and `tags`: order, limits, filters, and the --json shapes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cli_support import (
    FIXED_NOW,
    ExitCode,
    Peerlog,
    assert_clean_error,
    entries,
    write,
)

ENTRY_KEYS = {
    "id",
    "type",
    "author",
    "device",
    "date",
    "created",
    "updated",
    "edited",
    "mood",
    "tags",
    "text",
}


def texts(listed: list[dict[str, object]]) -> list[object]:
    return [e["text"] for e in listed]


def human_order(output: str, *words: str) -> list[str]:
    """The given words in the order they appear in `output`."""
    found = [(output.index(w), w) for w in words if w in output]
    return [w for _, w in sorted(found)]


# --- list -------------------------------------------------------------------------------------


def test_empty_journal_says_so(sam: Peerlog) -> None:
    result = sam("list")

    assert result.exit_code == 0
    assert "No entries" in result.stdout
    assert result.stderr == ""


def test_empty_journal_json_is_an_empty_list(sam: Peerlog) -> None:
    result = sam("list", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_list_is_newest_first_by_when_it_happened(sam: Peerlog) -> None:
    write(sam, "written first", now=FIXED_NOW - timedelta(hours=3))
    write(sam, "written second", now=FIXED_NOW - timedelta(hours=2))
    write(sam, "written last but about yesterday", "--date", "yesterday")
    write(sam, "written third", now=FIXED_NOW - timedelta(hours=1))

    expected = [
        "written third",
        "written second",
        "written first",
        "written last but about yesterday",
    ]
    assert texts(entries(sam)) == expected
    human = sam("list")
    assert human.exit_code == 0
    assert human_order(human.stdout, *expected) == expected


def test_entries_written_in_the_same_instant_keep_writing_order(sam: Peerlog) -> None:
    for n in range(5):
        write(sam, f"same instant {n}")
    assert texts(entries(sam)) == [f"same instant {n}" for n in reversed(range(5))]


def test_list_human_shows_date_short_id_mood_and_tags(sam: Peerlog) -> None:
    entry_id = write(sam, "Walked by the river\nsecond line", "--mood", "4", "--tag", "coping")

    out = sam("list").stdout
    assert "Sat 21 Nov 2026 10:15" in out
    assert entry_id[:8] in out
    assert entry_id not in out  # a short id, not the whole thing
    assert "good (4/5)" in out
    assert "#coping" in out
    assert "Walked by the river" in out
    assert "second line" not in out  # only the first line is previewed


def test_short_ids_in_the_list_resolve_with_show(sam: Peerlog) -> None:
    ids = [write(sam, f"entry {n}") for n in range(3)]  # same instant: long shared prefix
    out = sam("list").stdout
    for entry_id in ids:
        short = next(word for word in out.split() if entry_id.startswith(word) and len(word) > 8)
        shown = sam("show", short, "--json")
        assert shown.exit_code == 0, shown.stderr
        assert json.loads(shown.stdout)["id"] == entry_id


def test_long_first_line_is_cut_to_the_terminal_width(sam: Peerlog) -> None:
    write(sam, "word " * 100)
    out = sam("list").stdout
    assert all(len(line) <= 100 for line in out.splitlines())


def test_number_limits_to_the_newest(sam: Peerlog) -> None:
    for n in range(5):
        write(sam, f"entry {n}", now=FIXED_NOW + timedelta(minutes=n))

    assert texts(entries(sam, "-n", "2")) == ["entry 4", "entry 3"]
    assert texts(entries(sam, "--number", "1")) == ["entry 4"]
    assert len(entries(sam, "-n", "50")) == 5


@pytest.mark.parametrize("bad", ["0", "-1", "two"])
def test_bad_number_is_a_usage_error(sam: Peerlog, bad: str) -> None:
    write(sam, "entry")
    result = sam("list", "-n", bad)
    assert result.exit_code == ExitCode.USAGE
    assert "Traceback" not in result.stderr


def test_list_json_has_the_documented_keys_and_values(sam: Peerlog) -> None:
    entry_id = write(sam, "text #inline", "--mood", "5", "--tag", "Given", "--date", "yesterday")

    [listed] = entries(sam)
    # docs/json.md: keys may be added, never renamed or removed
    assert set(listed) >= ENTRY_KEYS
    assert {k: listed[k] for k in ENTRY_KEYS} == {
        "id": entry_id,
        "type": "entry",
        "author": "sam",
        "device": sam.device,
        "date": "2026-11-20T10:15:00+00:00",
        "created": "2026-11-21T10:15:00+00:00",
        "updated": "2026-11-21T10:15:00+00:00",
        "edited": False,
        "mood": 5,
        "tags": ["Given", "inline"],
        "text": "text #inline",
    }


@pytest.fixture
def dated(sam: Peerlog) -> Peerlog:
    """Entries on both sides of the day boundaries of 19 and 20 November 2026."""
    for label, when in [
        ("nov18-noon", "2026-11-18 12:00"),
        ("nov19-0000", "2026-11-19 00:00"),
        ("nov19-2359", "2026-11-19 23:59:59"),
        ("nov20-0000", "2026-11-20 00:00"),
        ("nov20-2359", "2026-11-20 23:59"),
        ("nov21-0000", "2026-11-21 00:00"),
        ("nov21-now", "2026-11-21 10:15"),
    ]:
        write(sam, label, "--date", when)
    return sam


def test_since_is_inclusive_from_the_start_of_the_day(dated: Peerlog) -> None:
    assert texts(entries(dated, "--since", "2026-11-20")) == [
        "nov21-now",
        "nov21-0000",
        "nov20-2359",
        "nov20-0000",
    ]


def test_until_is_inclusive_to_the_end_of_the_day(dated: Peerlog) -> None:
    assert texts(entries(dated, "--until", "2026-11-19")) == [
        "nov19-2359",
        "nov19-0000",
        "nov18-noon",
    ]


def test_since_and_until_the_same_day_is_that_whole_day(dated: Peerlog) -> None:
    assert texts(entries(dated, "--since", "2026-11-19", "--until", "2026-11-19")) == [
        "nov19-2359",
        "nov19-0000",
    ]


def test_since_and_until_accept_words(dated: Peerlog) -> None:
    # now is Saturday 2026-11-21
    assert texts(entries(dated, "-s", "yesterday", "-u", "yesterday")) == [
        "nov20-2359",
        "nov20-0000",
    ]
    assert texts(entries(dated, "--since", "today")) == ["nov21-now", "nov21-0000"]
    assert texts(entries(dated, "--since", "3 days ago", "--until", "2 days ago")) == [
        "nov19-2359",
        "nov19-0000",
        "nov18-noon",
    ]


def test_until_with_a_time_includes_that_minute(dated: Peerlog) -> None:
    assert texts(entries(dated, "--until", "2026-11-19 23:59")) == [
        "nov19-2359",
        "nov19-0000",
        "nov18-noon",
    ]
    assert texts(entries(dated, "--since", "2026-11-19 23:59", "--until", "2026-11-20 00:00")) == [
        "nov20-0000",
        "nov19-2359",
    ]


def test_since_after_until_finds_nothing(dated: Peerlog) -> None:
    assert entries(dated, "--since", "2026-11-21", "--until", "2026-11-19") == []


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_bad_when_in_a_filter_is_a_usage_error(dated: Peerlog, option: str) -> None:
    result = dated("list", option, "the other day")
    assert_clean_error(result, ExitCode.USAGE, "the other day")
    assert result.stdout == ""


@pytest.fixture
def tagged(sam: Peerlog) -> Peerlog:
    write(sam, "slept well", "--tag", "Sleep", now=FIXED_NOW - timedelta(days=3))
    write(sam, "walked #outside and #SLEEP later", now=FIXED_NOW - timedelta(days=2))
    write(sam, "walked again #outside", now=FIXED_NOW - timedelta(days=1))
    write(sam, "nothing tagged here", now=FIXED_NOW)
    return sam


@pytest.mark.parametrize("spelling", ["sleep", "SLEEP", "Sleep", "#sleep"])
def test_tag_filter_is_case_insensitive_and_sees_inline_tags(
    tagged: Peerlog, spelling: str
) -> None:
    assert texts(entries(tagged, "--tag", spelling)) == [
        "walked #outside and #SLEEP later",
        "slept well",
    ]


def test_tag_filter_with_an_unused_tag_finds_nothing(tagged: Peerlog) -> None:
    assert entries(tagged, "--tag", "nope") == []
    human = tagged("list", "--tag", "nope")
    assert human.exit_code == 0
    assert "No entries in your private journal match." in human.stdout


def test_repeated_tag_filters_must_all_match(tagged: Peerlog) -> None:
    assert texts(entries(tagged, "-t", "outside", "-t", "sleep")) == [
        "walked #outside and #SLEEP later"
    ]


def test_filters_combine(tagged: Peerlog) -> None:
    assert texts(entries(tagged, "--tag", "outside", "--since", "yesterday")) == [
        "walked again #outside"
    ]
    assert texts(entries(tagged, "--tag", "outside", "--until", "2 days ago")) == [
        "walked #outside and #SLEEP later"
    ]
    assert texts(entries(tagged, "--tag", "sleep", "-n", "1")) == [
        "walked #outside and #SLEEP later"
    ]


# --- search -----------------------------------------------------------------------------------


@pytest.fixture
def searchable(sam: Peerlog) -> Peerlog:
    write(sam, "Walked by the River before work", now=FIXED_NOW - timedelta(days=3))
    write(sam, "Rain all day, no walk", "--tag", "weather", now=FIXED_NOW - timedelta(days=2))
    write(sam, "the river was loud #outside", now=FIXED_NOW - timedelta(days=1))
    write(sam, "Écoute: ÉTÉ chaud", now=FIXED_NOW)
    return sam


def test_search_is_case_insensitive(searchable: Peerlog) -> None:
    assert sorted(texts(entries(searchable, "RIVER", command="search"))) == [
        "Walked by the River before work",
        "the river was loud #outside",
    ]
    assert texts(entries(searchable, "été", command="search")) == ["Écoute: ÉTÉ chaud"]


def test_search_words_are_anded_in_any_order(searchable: Peerlog) -> None:
    assert texts(entries(searchable, "work", "river", command="search")) == [
        "Walked by the River before work"
    ]
    assert texts(entries(searchable, "river work", command="search")) == [
        "Walked by the River before work"
    ]
    assert entries(searchable, "river", "rain", command="search") == []


def test_search_matches_parts_of_words(searchable: Peerlog) -> None:
    assert texts(entries(searchable, "walk", command="search")) == [
        "Rain all day, no walk",
        "Walked by the River before work",
    ]


def test_search_combines_with_tag_and_since(searchable: Peerlog) -> None:
    assert texts(entries(searchable, "river", "--tag", "outside", command="search")) == [
        "the river was loud #outside"
    ]
    assert texts(entries(searchable, "walk", "--since", "2 days ago", command="search")) == [
        "Rain all day, no walk"
    ]
    assert texts(entries(searchable, "walk", "--tag", "weather", command="search")) == [
        "Rain all day, no walk"
    ]
    assert entries(searchable, "river", "--tag", "weather", command="search") == []


def test_search_json_has_the_entry_keys(searchable: Peerlog) -> None:
    found = entries(searchable, "loud", command="search")
    assert len(found) == 1
    assert set(found[0]) >= ENTRY_KEYS
    assert found[0]["tags"] == ["outside"]


def test_search_human_output_and_no_match(searchable: Peerlog) -> None:
    hit = searchable("search", "loud")
    assert hit.exit_code == 0
    assert "the river was loud" in hit.stdout
    assert "Rain" not in hit.stdout

    miss = searchable("search", "volcano")
    assert miss.exit_code == 0
    assert "No entries in your private journal match." in miss.stdout


def test_search_without_words_is_a_usage_error(searchable: Peerlog) -> None:
    result = searchable("search")
    assert result.exit_code == ExitCode.USAGE


# --- tags -------------------------------------------------------------------------------------


def test_tags_counts_by_count_then_name(sam: Peerlog) -> None:
    write(sam, "one #beta #Alpha")
    write(sam, "two #alpha", "--tag", "zeta")
    write(sam, "three #zeta #gamma")
    write(sam, "four", "--tag", "ALPHA")

    data = json.loads(sam("tags", "--json").stdout)
    # alpha 3, zeta 2, then the ones used once by name; spelling from the newest entry
    assert data == [
        {"tag": "ALPHA", "count": 3},
        {"tag": "zeta", "count": 2},
        {"tag": "beta", "count": 1},
        {"tag": "gamma", "count": 1},
    ]

    human = sam("tags")
    assert human.exit_code == 0
    lines = [line.split() for line in human.stdout.splitlines()]
    assert lines == [["3", "#ALPHA"], ["2", "#zeta"], ["1", "#beta"], ["1", "#gamma"]]


def test_tags_counts_an_entry_once_however_often_it_names_a_tag(sam: Peerlog) -> None:
    write(sam, "#walk #walk #WALK", "--tag", "walk")
    assert json.loads(sam("tags", "--json").stdout) == [{"tag": "walk", "count": 1}]


def test_tags_with_no_tags(sam: Peerlog) -> None:
    write(sam, "untagged")
    human = sam("tags")
    assert human.exit_code == 0
    assert "No tags yet" in human.stdout
    assert json.loads(sam("tags", "--json").stdout) == []
