"""The small things a newcomer trips on: plurals, help texts, confirmations, defaults."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cli_support import ExitCode, Peerlog, assert_clean_error


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_doctor_says_one_record_not_one_records(sam: Peerlog, tmp_path: Path) -> None:
    sam("space", "create", str(tmp_path / "shared"), "--name", "pair")

    result = sam("doctor")

    assert re.search(r"space pair: 1 record in ", result.stdout), result.stdout
    assert "1 records" not in result.stdout
    assert "private journal: 0 records" in result.stdout


def test_space_show_says_one_record(sam: Peerlog, tmp_path: Path) -> None:
    sam("space", "create", str(tmp_path / "shared"), "--name", "pair")

    result = sam("space", "show", "pair")

    assert "1 record," in result.stdout
    assert "1 records" not in result.stdout


def test_checkins_number_help_speaks_of_checkins(sam: Peerlog) -> None:
    help_text = _flat(sam("checkins", "--help").stdout)

    assert "Show at most N check-ins, newest first." in help_text
    assert "entries" not in help_text


def test_summary_help_does_not_show_default_true(sam: Peerlog) -> None:
    help_text = _flat(sam("summary", "--help").stdout)

    assert "[default: True]" not in help_text
    assert "Your journal and every space (the default)." in help_text


def test_help_now_add_confirms(sam: Peerlog) -> None:
    result = sam("help-now", "--add", "Jo  (friend):   0123")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Added Jo (friend): 0123."
    listed = json.loads(sam("help-now", "--json").stdout)
    assert listed["contacts"] == ["Jo (friend): 0123"]


def test_space_create_takes_its_name_from_the_folder(sam: Peerlog, tmp_path: Path) -> None:
    folder = tmp_path / "Sam and Alex"

    result = sam("space", "create", str(folder))

    assert result.exit_code == 0, result.stderr
    assert "Created space sam-and-alex" in result.stdout
    spaces = json.loads(sam("space", "list", "--json").stdout)
    assert [s["name"] for s in spaces] == ["sam-and-alex"]
    assert (folder / "space.toml").is_file()


def test_space_create_with_a_folder_name_that_gives_no_name_asks_for_one(
    sam: Peerlog, tmp_path: Path
) -> None:
    result = sam("space", "create", str(tmp_path / "日本"))

    assert_clean_error(result, ExitCode.USAGE, "does not make a space name", "--name")
    assert not (tmp_path / "日本").exists()


def test_summary_since_in_the_future_is_an_error(sam: Peerlog) -> None:
    result = sam("summary", "--since", "tomorrow")

    assert_clean_error(result, ExitCode.USAGE, "--since tomorrow is in the future")
    assert result.stdout == ""


def test_goal_show_prints_this_periods_progress_once(sam: Peerlog) -> None:
    proposed = sam("goal", "propose", "Walk", "--target", "3/week")
    goal = re.search(r"Proposed goal ([0-9a-z]{26})", proposed.stdout)
    assert goal, proposed.stdout
    sam("goal", "log", goal[1])

    shown = sam("goal", "show", goal[1]).stdout

    assert len(re.findall(r"this week", shown)) == 1, shown
    assert "this week 1/3" in shown
