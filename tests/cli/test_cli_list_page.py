"""`peerlog list` without -n shows a screenful (the newest 20) and says how to see the rest."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from cli_support import FIXED_NOW, Peerlog, write


def _journal_of(sam: Peerlog, count: int) -> Peerlog:
    for number in range(count):
        write(sam, f"entry number {number}", now=FIXED_NOW - timedelta(hours=count - number))
    return sam


def _listed(stdout: str) -> list[int]:
    return [int(n) for n in re.findall(r"entry number (\d+)", stdout)]


def test_list_without_n_shows_the_newest_twenty_and_how_to_see_the_rest(sam: Peerlog) -> None:
    _journal_of(sam, 25)

    result = sam("list")

    assert result.exit_code == 0, result.stderr
    assert _listed(result.stdout) == list(range(24, 4, -1))  # newest first, 20 of them
    last = result.stdout.rstrip("\n").splitlines()[-1]
    assert last == "Showing the newest 20 of 25 entries; add -n 25 to see them all."
    assert result.stderr == ""


def test_the_hint_works_and_a_page_that_fits_has_no_hint(sam: Peerlog) -> None:
    _journal_of(sam, 25)

    everything = sam("list", "-n", "25")

    assert _listed(everything.stdout) == list(range(24, -1, -1))
    assert "Showing the newest" not in everything.stdout
    few = _journal_of(sam, 0)("list", "-n", "3")
    assert len(_listed(few.stdout)) == 3
    assert "Showing the newest" not in few.stdout  # -n asked for: no nagging


def test_twenty_or_fewer_entries_show_in_full_without_a_hint(sam: Peerlog) -> None:
    _journal_of(sam, 20)

    result = sam("list")

    assert _listed(result.stdout) == list(range(19, -1, -1))
    assert "Showing the newest" not in result.stdout


def test_the_page_applies_after_filters_and_counts_only_matches(sam: Peerlog) -> None:
    for number in range(30):
        tag = "walk" if number % 2 else "other"
        when = FIXED_NOW - timedelta(hours=30 - number)
        write(sam, f"entry number {number}", "--tag", tag, now=when)

    result = sam("list", "--tag", "walk")

    assert _listed(result.stdout) == list(range(29, 0, -2))  # all 15 matches fit
    assert "Showing the newest" not in result.stdout
    write(sam, "one more", "--tag", "walk")
    for number in range(10):
        write(sam, f"walk extra {number}", "--tag", "walk")
    cut = sam("list", "--tag", "walk")
    assert "Showing the newest 20 of 26 entries; add -n 26 to see them all." in cut.stdout


def test_json_stays_complete_without_n(sam: Peerlog) -> None:
    _journal_of(sam, 25)

    result = sam("list", "--json")

    assert len(json.loads(result.stdout)) == 25
    assert "Showing" not in result.stdout


def test_help_names_the_default(sam: Peerlog) -> None:
    result = sam("list", "--help")

    words = result.stdout.replace("│", " ").split()  # the help box may wrap the sentence
    assert "(default 20; with --json, all)" in " ".join(words)


def test_search_without_n_shows_the_best_twenty_and_how_to_see_the_rest(sam: Peerlog) -> None:
    _journal_of(sam, 25)

    result = sam("search", "number")

    assert result.exit_code == 0, result.stderr
    assert len(set(_listed(result.stdout))) == 20
    last = result.stdout.rstrip("\n").splitlines()[-1]
    assert last == "Showing the best 20 of 25 entries; add -n 25 to see them all."
    everything = sam("search", "number", "-n", "25")
    assert sorted(_listed(everything.stdout)) == list(range(25))
    assert "Showing the best" not in everything.stdout
    assert len(json.loads(sam("search", "number", "--json").stdout)) == 25


def test_the_count_under_a_page_leaves_out_what_is_not_shown(sam: Peerlog) -> None:
    """Deleted entries, and entries whose current version no longer matches, are not counted,
    however the words are matched (a short word and a prefix are checked on the text)."""
    _journal_of(sam, 26)
    listed = json.loads(sam("list", "--json").stdout)
    ids = {int(e["text"].split()[-1]): e["id"] for e in listed}
    assert sam("delete", ids[0], "--yes").exit_code == 0
    assert sam("edit", ids[1], "a different text").exit_code == 0
    assert sam("edit", ids[2], "entry numbers twice").exit_code == 0

    listing = sam("list").stdout
    assert "Showing the newest 20 of 25 entries; add -n 25 to see them all." in listing
    for query in (["number"], ["en", "number"], ["numb*"], ["entry", "number*"]):
        page = sam("search", *query).stdout
        assert "Showing the best 20 of 24 entries; add -n 24 to see them all." in page, query
    assert "Showing the best" not in sam("search", "numbe*", "-n", "30").stdout
    assert len(_listed(sam("search", "number", "-n", "30").stdout)) == 23
