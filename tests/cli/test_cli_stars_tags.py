"""Stars (jrnl's, kept on import, or `write --star`) are shown and filtered on; `@tags` and
`#tags` are one vocabulary."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path

import pytest
from cli_support import FIXED_NOW, Peerlog, drop_record, entries, foreign_entry, ok, write

JRNL = {
    "tags": {},
    "entries": [
        {"title": "Shipped it.", "body": "Finally @work", "date": "2021-02-03", "time": "18:00",
         "tags": ["@work"], "starred": True},
        {"title": "Quiet day", "body": "", "date": "2021-02-04", "time": "20:00",
         "tags": [], "starred": False},
    ],
}  # fmt: skip


@pytest.fixture
def starred(sam: Peerlog, tmp_path: Path) -> Peerlog:
    path = tmp_path / "jrnl.json"
    path.write_text(json.dumps(JRNL))
    assert sam("import", "jrnl", str(path)).exit_code == 0
    return sam


def test_the_star_is_shown_in_list_and_show(starred: Peerlog) -> None:
    listing = ok(starred("list"))
    lines = listing.splitlines()
    star_line = next(line for line in lines if "Wed 03 Feb 2021" in line)
    plain_line = next(line for line in lines if "Thu 04 Feb 2021" in line)
    assert "★" in star_line
    assert "★" not in plain_line
    shipped = next(e for e in entries(starred) if e["starred"])
    assert "★" in ok(starred("show", shipped["id"]))


def test_the_star_is_in_json_markdown_and_html(starred: Peerlog) -> None:
    listed = {e["text"].splitlines()[0]: e["starred"] for e in entries(starred)}
    assert listed == {"Shipped it.": True, "Quiet day": False}
    exported = json.loads(ok(starred("export", "--format", "json")))
    assert [e["starred"] for e in exported["entries"]] == [False, True]
    markdown = ok(starred("export", "--format", "markdown"))
    shipped_section = markdown.split("## ")[2]
    assert "Shipped it." in shipped_section and "★ starred" in shipped_section
    assert "★" not in markdown.split("## ")[1]
    html = ok(starred("export", "--format", "html", "--since", "2021-01-01"))
    assert "★ starred" in html


def test_starred_filters_list_search_and_export(starred: Peerlog) -> None:
    assert [e["text"] for e in entries(starred, "--starred")] == ["Shipped it.\nFinally @work"]
    assert entries(starred, "day", "--starred", command="search") == []
    assert len(entries(starred, "shipped", "--starred", command="search")) == 1
    document = json.loads(ok(starred("export", "--starred")))
    assert [e["starred"] for e in document["entries"]] == [True]
    nothing = ok(starred("list", "-n", "5", "--starred", "--tag", "nope"))
    assert "No entries in your private journal match." in nothing


def test_write_star_and_edit_keep_the_star(sam: Peerlog) -> None:
    entry_id = write(sam, "A day to remember", "--star")
    write(sam, "An ordinary day", now=FIXED_NOW + timedelta(minutes=1))
    sam("edit", entry_id, "A day to remember, edited", now=FIXED_NOW + timedelta(minutes=2))

    (found,) = entries(sam, "--starred")
    assert found["id"] == entry_id
    assert found["text"] == "A day to remember, edited"


def test_a_star_that_is_not_true_is_no_star(sam: Peerlog) -> None:
    planted = foreign_entry("claims a star", author="sam")
    drop_record(sam, dataclasses.replace(planted, extra={"starred": "yes"}))

    assert entries(sam, "--starred") == []
    (listed,) = entries(sam)
    assert listed["starred"] is False


def test_at_tags_and_hash_tags_are_one_vocabulary(sam: Peerlog) -> None:
    at_text = write(sam, "Standup ran long @work")
    hash_text = write(sam, "Planning #work", now=FIXED_NOW + timedelta(minutes=1))
    given = write(sam, "Review", "--tag", "@work", now=FIXED_NOW + timedelta(minutes=2))
    other = write(sam, "Lunch @food", now=FIXED_NOW + timedelta(minutes=3))

    for spelling in ("work", "#work", "@work", "WORK"):
        found = {e["id"] for e in entries(sam, "--tag", spelling)}
        assert found == {at_text, hash_text, given}, spelling
    assert {e["id"] for e in entries(sam, "--tag", "food")} == {other}
    counts = {t["tag"].lstrip("#@").lower(): t["count"] for t in entries(sam, command="tags")}
    assert counts == {"work": 3, "food": 1}
    (review,) = [e for e in entries(sam) if e["id"] == given]
    assert review["tags"] == ["@work"]  # the sign is kept as given


def test_at_in_an_address_is_not_a_tag(sam: Peerlog) -> None:
    write(sam, "Mail sam@example.com about (@plans) and @c++ and @os/2.")

    (entry,) = entries(sam)
    assert entry["tags"] == ["@plans", "@c++", "@os/2"]


def test_a_bad_at_tag_is_still_a_usage_error(sam: Peerlog) -> None:
    result = sam("write", "text", "--tag", "@")
    assert result.exit_code == 2
    assert "is not a valid tag" in result.stderr
