"""Terminal injection: a partner's text cannot steer the reader's terminal (DESIGN §6).

Alex fills a shared space with text made of Rich markup, ANSI CSI and OSC sequences, C1
controls, bidi overrides and zero-width characters: through the CLI where it accepts them, and by
hand-made (forged) records where it does not (tags, a target, a display name), since a partner's
files are never to be trusted. Sam then looks at everything. Human output must hold none of those
characters and show markup as the characters typed; `--json` keeps the text exact, with the
characters escaped as \\uXXXX; the HTML report escapes it.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import tty
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hardening_support import (
    FIXED_NOW,
    NOW_ENV,
    Person,
    clean_environ,
    peerlog_argv,
    unsafe_in,
)

from peerlog.records import Entry, Profile, new_record_id
from peerlog.records.dialogue import Resource
from peerlog.records.goals import GoalProposal
from peerlog.store import decode_record, encode_record

SPACE = "pair"
MARKUP = "[bold red]markup[/]"
# At most 200 characters (a title's limit), starting with markup so one-line previews keep it.
HOSTILE = (
    "[bold red]markup[/] [link=https://e.vil]go[/link] "
    "\x1b[2J\x1b[31mred\x1b[0m \x1b]0;pwned\x07 "
    "\x1b]8;;https://e.vil\x1b\\link\x1b]8;;\x1b\\ "
    "\x9b31mC1\x9d \x85nel \u202eevil\u202c \u2066iso\u2069\u200f\u061c "
    "zero\u200bwidth\u2060join\ufeff bell\x07 cr\rback "
    '<img src=x onerror=alert(1)>"q"'
)
HOSTILE_TAG = "evil\x1b[31m\u202etag\x9b\u200b"  # only a forged record can carry this
HOSTILE_NAME = "Al\x1b]0;owned\x07ex \u202eeman\u202c \x9b2J"
HOSTILE_TARGET = "3 \x1b[5mwalks\u202e/week"
HOSTILE_ID = "01\x1b[2J\u202e\x9b"
# Characters the inert rendering removes; what is left of the hostile text is still readable.
LEFTOVERS = ("[link=https://e.vil]go[/link]", "[31mred", "]0;pwned", "]8;;https://e.vil")


def assert_inert(text: str) -> None:
    assert unsafe_in(text) == [], f"unsafe characters reached the terminal: {unsafe_in(text)}"


def contains_exactly(data: Any, needle: str) -> bool:
    """Whether some string in parsed JSON `data` contains `needle` exactly."""
    if isinstance(data, str):
        return needle in data
    if isinstance(data, dict):
        return any(contains_exactly(v, needle) for v in data.values())
    if isinstance(data, list):
        return any(contains_exactly(v, needle) for v in data)
    return False


@dataclass
class Scene:
    root: Path
    sam: Person
    alex: Person
    space: Path
    ids: dict[str, str]


def forge(alex: Person, space: Path, record: Any) -> None:
    """Put a hand-made record in Alex's own folder, as a modified peerlog could."""
    folder = space / "members" / "alex" / alex.device / "2026" / "11"
    data = encode_record(record)
    assert decode_record(data) == record  # a valid record: only its text is hostile
    (folder / f"{record.id}.md").write_bytes(data)


def envelope(alex: Person, clock: int) -> dict[str, Any]:
    return {
        "id": new_record_id(FIXED_NOW),
        "author": "alex",
        "device": alex.device,
        # Above every clock written at FIXED_NOW (hybrid clocks count milliseconds).
        "clock": int(FIXED_NOW.timestamp() * 1000) + clock,
        "created": FIXED_NOW,
    }


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    root = tmp_path_factory.mktemp("terminal")
    sam, alex = Person(root, "sam", "Sam"), Person(root, "alex", "Alex")
    space = root / "shared"
    sam.ok("space", "create", str(space), "--name", SPACE)
    alex.ok("space", "join", str(space))
    ids = {
        "sam-entry": sam.saved("write", "--space", SPACE, "a plain entry by sam"),
        "sam-goal": sam.saved("goal", "propose", "Walk together", "--space", SPACE),
        "alex-entry": alex.saved("write", "--space", SPACE, "--tag", "calm", input=HOSTILE),
    }
    ids["alex-checkin"] = alex.saved(
        "checkin",
        "--space",
        SPACE,
        "--mood",
        "2",
        *("--win", HOSTILE, "--struggle", HOSTILE, "--need", HOSTILE),
        *("--offer", HOSTILE, "--note", HOSTILE),
    )
    ids["alex-reply"] = alex.saved("reply", ids["sam-entry"], HOSTILE)
    alex.ok("reply", ids["alex-checkin"], HOSTILE + " (reply to a check-in)")
    ids["alex-resource"] = alex.saved(
        "resource", "add", HOSTILE, "--url", HOSTILE, "--note", HOSTILE, "--tag", "coping",
        "--space", SPACE,
    )  # fmt: skip
    ids["alex-goal"] = alex.saved(
        "goal", "propose", HOSTILE, "--why", HOSTILE, "--target", "3/week", "--space", SPACE
    )
    alex.ok("goal", "decline", ids["sam-goal"], "--reason", HOSTILE)
    sam.ok("goal", "accept", ids["alex-goal"])
    alex.ok("goal", "log", ids["alex-goal"], "1", "--note", HOSTILE)
    alex.ok("goal", "amend", ids["alex-goal"], "--why", HOSTILE + " (amended)")

    # What the CLI refuses, a partner's own (modified) peerlog can still write.
    forged_entry = Entry(
        **envelope(alex, 90),
        when=FIXED_NOW,
        body=HOSTILE + " (forged)",
        tags=(HOSTILE_TAG, "plain"),
        mood=3,
    )
    forge(alex, space, forged_entry)
    forge(alex, space, Profile(**envelope(alex, 91), name=HOSTILE_NAME))
    forged_goal = GoalProposal(
        **envelope(alex, 92),
        title=HOSTILE[:180] + " (forged)",
        why=HOSTILE,
        target=HOSTILE_TARGET,
        participants=("alex", "sam"),
    )
    forge(alex, space, forged_goal)
    forge(
        alex,
        space,
        Resource(
            **envelope(alex, 93),
            title=HOSTILE[:180] + " (forged)",
            url=HOSTILE,
            tags=(HOSTILE_TAG,),
        ),
    )
    ids["forged-entry"], ids["forged-goal"] = forged_entry.id, forged_goal.id
    # A file name is partner text too: doctor and warnings print it.
    month = space / "members" / "alex" / alex.device / "2026" / "11"
    hostile_copy = (
        f"{forged_entry.id}\x1b]0;pwn\x07\u202e\x9b (conflicted copy 2026-11-21 101010).md"
    )
    (month / hostile_copy).write_bytes(b"a conflict copy")
    (month / f"{new_record_id(FIXED_NOW)}.md").write_text(
        f'+++\nid = "{HOSTILE}"\ntype = "entry"\n+++\n', encoding="utf-8"
    )
    yield Scene(root, sam, alex, space, ids)


# --- human views ------------------------------------------------------------------------------

HUMAN: dict[str, tuple[list[str], bool]] = {
    # name: (arguments, whether the whole markup text must be shown literally)
    "list": (["list", "--space", SPACE], True),
    "list-all": (["list", "--all"], True),
    "show-entry": (["show", "{alex-entry}"], True),
    "show-forged-entry": (["show", "{forged-entry}"], True),
    "show-entry-with-reply": (["show", "{sam-entry}"], True),
    "show-checkin": (["show", "{alex-checkin}"], True),
    "search": (["search", "--all", "markup"], True),
    "tags": (["tags", "--space", SPACE], False),
    "checkins": (["checkins", "--all"], True),
    "resource-list": (["resource", "list", "--space", SPACE], True),
    "goal-list": (["goal", "list"], True),
    "goal-show": (["goal", "show", "{alex-goal}"], True),
    "goal-show-declined": (["goal", "show", "{sam-goal}"], True),
    "goal-show-forged": (["goal", "show", "{forged-goal}"], True),
    "space-show": (["space", "show", SPACE], False),
    "due": (["due"], False),
    "summary": (["summary", "--space", SPACE], False),
    "summary-all": (["summary"], False),
    "doctor": (["doctor"], False),
    "error-show-bad-id": (["show", HOSTILE_ID], False),
    "error-goal-show-bad-id": (["goal", "show", HOSTILE_ID], False),
    "error-reply-bad-id": (["reply", HOSTILE_ID, "hello"], False),
    "error-bad-space": (["list", "--space", HOSTILE], False),
    "error-bad-when": (["list", "--since", HOSTILE], False),
    "error-bad-tag": (["write", "--tag", HOSTILE, "text"], False),
}


def _args(scene: Scene, args: list[str]) -> list[str]:
    return [a.format(**scene.ids) if a.startswith("{") else a for a in args]


@pytest.mark.parametrize("view", list(HUMAN))
def test_human_view_is_inert(scene: Scene, view: str) -> None:
    args, whole_markup = HUMAN[view]
    result = scene.sam(*_args(scene, args))
    assert "Traceback" not in result.stderr
    if view.startswith("error-"):
        assert result.exit_code not in (0, 70), (result.exit_code, result.stderr)
        assert result.stderr.startswith("peerlog: ")
    else:
        assert result.exit_code in ((0, 8) if view == "doctor" else (0,)), result.stderr
    assert_inert(result.stdout)
    assert_inert(result.stderr)
    if whole_markup:
        assert MARKUP in result.stdout  # markup is shown as the characters typed


def test_views_show_what_is_left_of_the_text(scene: Scene) -> None:
    """Inert does not mean hidden: the readable parts of the hostile text are all there."""
    out = scene.sam("show", scene.ids["alex-entry"]).stdout
    for piece in LEFTOVERS:
        assert piece in out
    assert "crback" in out and "zerowidthjoin" in out
    tags = scene.sam("tags", "--space", SPACE).stdout
    assert "evil[31mtag" in tags  # the forged tag, inert
    assert "Al]0;ownedex eman" in scene.sam("space", "show", SPACE).stdout  # forged name, inert
    assert "3 [5mwalks/week" in scene.sam("goal", "show", scene.ids["forged-goal"]).stdout


# --- JSON -------------------------------------------------------------------------------------

JSON: dict[str, tuple[list[str], str | None]] = {
    # name: (arguments, text that must be in the data exactly)
    "list": (["list", "--space", SPACE, "--json"], HOSTILE),
    "list-all": (["list", "--all", "--json"], HOSTILE_TAG),
    "show": (["show", "{alex-entry}", "--json"], HOSTILE),
    "show-reply": (["show", "{sam-entry}", "--json"], HOSTILE),
    "search": (["search", "--all", "markup", "--json"], HOSTILE),
    "tags": (["tags", "--space", SPACE, "--json"], HOSTILE_TAG),
    "checkins": (["checkins", "--all", "--json"], HOSTILE),
    "resource-list": (["resource", "list", "--space", SPACE, "--json"], HOSTILE),
    "goal-list": (["goal", "list", "--json"], HOSTILE),
    "goal-show": (["goal", "show", "{alex-goal}", "--json"], HOSTILE),
    "goal-show-declined": (["goal", "show", "{sam-goal}", "--json"], HOSTILE),
    "goal-show-forged": (["goal", "show", "{forged-goal}", "--json"], HOSTILE_TARGET),
    "space-show": (["space", "show", SPACE, "--json"], HOSTILE_NAME),
    "due": (["due", "--json"], None),
    "summary": (["summary", "--space", SPACE, "--json"], None),
    "doctor": (["doctor", "--json"], None),
    "export-json": (["export", "--format", "json", "--all"], HOSTILE),
}


@pytest.mark.parametrize("view", list(JSON))
def test_json_keeps_the_exact_text_escaped(scene: Scene, view: str) -> None:
    args, exact = JSON[view]
    result = scene.sam(*_args(scene, args))
    assert result.exit_code in ((0, 8) if view == "doctor" else (0,)), result.stderr
    assert_inert(result.stdout)
    assert_inert(result.stderr)
    data = json.loads(result.stdout)
    if exact is not None:
        assert contains_exactly(data, exact), f"the exact text is missing from {view}"
        assert re.search(r"\\u001b|\\u009b|\\u202e", result.stdout)


# --- documents --------------------------------------------------------------------------------


def test_html_report_escapes_partner_text(scene: Scene) -> None:
    out = scene.root / "report.html"
    scene.sam.ok("export", "--format", "html", "--all", "--out", str(out))
    page = out.read_bytes().decode("utf-8")
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert MARKUP in page
    assert '"q"' not in page and "&quot;q&quot;" in page
    assert_inert(page.replace("\n", " "))


def test_markdown_export_to_a_file_is_exact(scene: Scene) -> None:
    """A backup keeps the text as written: it is a file, not a terminal."""
    out = scene.root / "export.md"
    scene.sam.ok("export", "--format", "markdown", "--all", "--out", str(out))
    assert HOSTILE in out.read_bytes().decode("utf-8")


def run_on_terminal(person: Person, *args: str) -> bytes:
    """Run peerlog with a real terminal (a pty, without output processing) as its stdout."""
    master, slave = pty.openpty()
    tty.setraw(slave)
    try:
        process = subprocess.Popen(
            [*peerlog_argv(), *args],
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.PIPE,
            env=clean_environ(**person.env, PEERLOG_NOW=NOW_ENV, TERM="xterm-256color"),
        )
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return b"".join(chunks)


# Our own styling on a terminal: SGR sequences only.
_SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.system
def test_markdown_export_to_a_terminal_is_inert(scene: Scene) -> None:
    text = run_on_terminal(scene.sam, "export", "--format", "markdown", "--all").decode()
    assert MARKUP in text
    assert_inert(text)


@pytest.mark.system
@pytest.mark.parametrize(
    "args", [["list", "--all"], ["show", "{alex-entry}"], ["tags", "-a"], ["due"]]
)
def test_rich_on_a_terminal_styles_but_is_not_steered(scene: Scene, args: list[str]) -> None:
    text = run_on_terminal(scene.sam, *_args(scene, args)).decode()
    assert _SGR.search(text), "a terminal gets styles"
    assert "\x1b]" not in text  # no OSC: no title, no hyperlink
    assert_inert(_SGR.sub("", text))  # nothing but Rich's own colours
