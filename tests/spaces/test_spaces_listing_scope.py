"""One rule for every listing command: an empty listing names the journals it read and, when
your spaces hold some, points to --space/--all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_driver import Peerlog

Pair = tuple[Peerlog, Peerlog, Path]


def _last_lines(result_stdout: str) -> list[str]:
    return [line.strip() for line in result_stdout.splitlines() if line.strip()]


def test_checkins_after_checking_in_to_a_space_points_to_it(pair: Pair) -> None:
    _sam, alex, _ = pair
    alex.ok("checkin", "--space", "pair", "--mood", "3", "--win", "tea")

    result = alex.ok("checkins")

    assert _last_lines(result.stdout) == [
        "No check-ins in your private journal yet.",
        "pair has 1 check-in: add --space pair or --all to see them.",
    ]
    assert "tea" in alex.ok("checkins", "--space", "pair").stdout
    assert "tea" in alex.ok("checkins", "--all").stdout


def test_resource_list_points_to_the_space_that_has_one(pair: Pair) -> None:
    sam, alex, _ = pair
    sam.ok("resource", "add", "Box breathing", "--space", "pair")

    result = alex.ok("resource", "list")

    assert "No resources in your private journal yet." in result.stdout
    assert "pair has 1 resource: add --space pair or --all to see them." in result.stdout
    assert "No resources yet" not in result.stdout


def test_list_with_no_filter_says_the_journal_is_empty_not_that_nothing_matches(
    pair: Pair,
) -> None:
    sam, alex, _ = pair
    sam.ok("write", "walked by the river", "--space", "pair")

    result = alex.ok("list")

    assert "No entries match" not in result.stdout
    assert _last_lines(result.stdout) == [
        "No entries in your private journal yet.",
        "pair has 1 entry: add --space pair or --all to see them.",
    ]


def test_a_filter_counts_only_matches_elsewhere(pair: Pair) -> None:
    sam, alex, _ = pair
    sam.ok("write", "walked #outside", "--space", "pair")
    sam.ok("write", "read a book", "--space", "pair")

    hit = alex.ok("list", "--tag", "outside")
    miss = alex.ok("list", "--tag", "nothing")
    found = alex.ok("search", "book")

    assert "pair has 1 entry that matches: add --space pair or --all" in hit.stdout
    assert _last_lines(miss.stdout) == ["No entries in your private journal match."]
    assert "No entries in your private journal match." in found.stdout
    assert "pair has 1 entry that matches" in found.stdout


def test_tags_point_to_the_space_too(pair: Pair) -> None:
    sam, alex, _ = pair
    sam.ok("write", "walked #outside", "--space", "pair")

    result = alex.ok("tags")

    assert "No tags in your private journal yet." in result.stdout
    assert "pair has 1 tag:" in result.stdout


@pytest.mark.parametrize(
    ("args", "noun"),
    [(["list"], "entries"), (["checkins"], "check-ins"), (["resource", "list"], "resources")],
)
def test_an_empty_space_says_which_space_was_read(pair: Pair, args: list[str], noun: str) -> None:
    sam, _, _ = pair

    result = sam.ok(*args, "--space", "pair")

    assert _last_lines(result.stdout)[0] == f"No {noun} in space pair yet."


def test_with_nothing_anywhere_there_is_no_pointer(pair: Pair) -> None:
    sam, _, _ = pair

    result = sam.ok("checkins")

    assert _last_lines(result.stdout) == ["No check-ins in your private journal yet."]


def test_json_is_unchanged_by_the_rule(pair: Pair) -> None:
    _sam, alex, _ = pair
    alex.ok("checkin", "--space", "pair", "--mood", "3")

    assert json.loads(alex.ok("checkins", "--json").stdout) == []
    assert json.loads(alex.ok("resource", "list", "--json").stdout) == []


# --- export follows the same rule ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "markdown", "html"])
def test_an_empty_export_says_what_it_read_and_points_to_the_space(pair: Pair, fmt: str) -> None:
    sam, alex, _ = pair
    sam.ok("write", "walked by the river", "--space", "pair")

    result = alex.ok("export", "--format", fmt)

    assert _last_lines(result.stderr) == [
        "No entries in your private journal yet.",
        "pair has 1 entry: add --space pair or --all to see them.",
    ]
    assert "your private journal" not in result.stdout  # the document stays clean
    if fmt == "json":
        assert json.loads(result.stdout)["entries"] == []
    shared = alex.ok("export", "--format", fmt, "--space", "pair")
    assert "walked by the river" in shared.stdout and shared.stderr == ""


def test_an_empty_export_to_a_file_is_written_and_explained(pair: Pair, tmp_path: Path) -> None:
    sam, alex, _ = pair
    sam.ok("write", "walked by the river", "--space", "pair")
    out = tmp_path / "mine.md"

    result = alex.ok("export", "--format", "markdown", "--out", str(out))

    assert result.stdout.strip() == f"Exported 0 entries to {out}."
    assert "pair has 1 entry: add --space pair or --all" in result.stderr
    assert out.read_text(encoding="utf-8").startswith("# Alex's journal")


def test_an_export_filtered_to_nothing_counts_only_matches_elsewhere(pair: Pair) -> None:
    sam, alex, _ = pair
    sam.ok("write", "walked #outside", "--space", "pair")

    hit = alex.ok("export", "--format", "markdown", "--tag", "outside")
    miss = alex.ok("export", "--format", "markdown", "--tag", "nothing")
    everywhere = alex.ok("export", "--format", "markdown", "--all", "--tag", "nothing")

    assert "pair has 1 entry that matches: add --space pair or --all" in hit.stderr
    assert _last_lines(miss.stderr) == ["No entries in your private journal match."]
    assert _last_lines(everywhere.stderr) == [
        "No entries in your private journal and space pair match."
    ]


def test_an_export_with_entries_says_nothing_on_stderr(pair: Pair, tmp_path: Path) -> None:
    _, alex, _ = pair
    alex.ok("write", "mine")
    out = tmp_path / "one.json"

    result = alex.ok("export", "--out", str(out))

    assert result.stderr == ""
    assert result.stdout.strip() == f"Exported 1 entry to {out}."
