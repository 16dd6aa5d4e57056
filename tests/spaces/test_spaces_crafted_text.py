"""A peer (or their sync engine) crafts the *contents* of the shared folder.

Line endings converted by git, a byte-order mark, an unresolved merge, a record rewritten in
place, other engines' copies, and partner text in every field of every record type, hostile to
the terminal. Each test asserts what the victim sees, the exit code and what `doctor` reports.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from cli_driver import FIXED_NOW, Peerlog
from peerlog.errors import ExitCode
from peerlog.records import Entry, Profile, Record, Reply, new_record_id
from peerlog.records.dialogue import Agreement, Checkin, Resource
from peerlog.records.goals import GoalProposal
from peerlog.store import encode_record


def doctor(member: Peerlog) -> tuple[int, list[dict[str, str]]]:
    result = member("doctor", "--json")
    assert "Traceback" not in result.stderr, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert isinstance(findings, list)
    return result.exit_code, findings


def listed(member: Peerlog) -> list[dict[str, Any]]:
    result = member.ok("list", "--space", "pair", "--json")
    entries = json.loads(result.stdout)
    assert isinstance(entries, list)
    return entries


def alex_record(alex: Peerlog, shared: Path, text: str) -> Path:
    entry_id = alex.saved_id("write", "--space", "pair", text)
    (path,) = (shared / "members" / "alex").rglob(f"{entry_id}.md")
    return path


# --- silent misreads --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "convert",
    [
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="bom"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), id="bom-crlf"),
    ],
)
def test_a_record_converted_on_the_way_reads_as_the_original(
    pair: tuple[Peerlog, Peerlog, Path], convert: Any
) -> None:
    sam, alex, shared = pair
    path = alex_record(alex, shared, "line one\nline two\n\nlast #tag")
    original = listed(sam)
    path.write_bytes(convert(path.read_bytes()))
    shutil.rmtree(sam.cache)  # read from the file as it is now

    result = sam.ok("list", "--space", "pair", "--json")
    assert json.loads(result.stdout) == original
    assert "skipped" not in result.stderr
    assert doctor(sam) == (ExitCode.OK, [])


CONFLICT = (
    "<<<<<<< HEAD\n"
    "Alex's words as they were\n"
    "=======\n"
    "Words someone else put in Alex's mouth\n"
    ">>>>>>> origin/main\n"
)


def test_unresolved_git_conflict_markers_are_a_problem_not_text(
    pair: tuple[Peerlog, Peerlog, Path],
) -> None:
    sam, alex, shared = pair
    path = alex_record(alex, shared, "Alex's words as they were")
    front, _ = path.read_text().rsplit("+++\n", 1)
    path.write_text(front + "+++\n" + CONFLICT)

    result = sam("list", "--space", "pair", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []  # neither side is shown as what Alex wrote
    assert "unresolved git merge" in result.stderr and str(path) in result.stderr
    code, findings = doctor(sam)
    assert code == ExitCode.ATTENTION
    (found,) = findings
    assert found["kind"] == "conflict-markers" and found["path"] == str(path)
    assert "restore the file as its author wrote it" in found["advice"]


def test_a_markdown_underline_is_not_a_conflict(pair: tuple[Peerlog, Peerlog, Path]) -> None:
    sam, alex, shared = pair
    alex_record(alex, shared, "A heading\n=======\n\n<<<<<<< is just text here")
    assert [e["text"] for e in listed(sam)] == ["A heading\n=======\n\n<<<<<<< is just text here"]


@pytest.mark.parametrize("same_size", [True, False], ids=["same-size", "other-size"])
def test_a_record_rewritten_in_place_is_reported_and_then_never_read(
    pair: tuple[Peerlog, Peerlog, Path], same_size: bool
) -> None:
    sam, alex, shared = pair
    path = alex_record(alex, shared, "I will pay you back 50 dollars")
    assert [e["text"] for e in listed(sam)] == ["I will pay you back 50 dollars"]
    before = path.stat()
    new = "I will pay you back 10 dollars" if same_size else "I owe you nothing at all"
    path.write_bytes(path.read_bytes().replace(b"I will pay you back 50 dollars", new.encode()))
    if same_size:  # and its time too: only the bytes tell
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    code, findings = doctor(sam)
    assert code == ExitCode.ATTENTION
    (found,) = findings
    # Its bytes no longer match Alex's signature: changed after it was written.
    assert found["kind"] == "tampered" and found["path"] == str(path)
    assert "changed after it was written" in found["message"]
    # doctor read the disk, not the cache, and the cache no longer hides it: neither text shows
    assert listed(sam) == []
    assert doctor(sam)[0] == ExitCode.ATTENTION


@pytest.mark.parametrize(
    ("name", "kind", "words"),
    [
        ("{id}-DESKTOP-AB12CD.md", "conflict-copy", "OneDrive"),
        ("{id} (1).md", "conflict-copy", "Google Drive"),
        ("{id}.md.orig", "git-leftover", "git left this file"),
        ("{id}_BACKUP_1234.md", "git-leftover", "git left this file"),
        ("{id}_BASE_1234.md", "git-leftover", "git left this file"),
        ("{id}_LOCAL_1234.md", "git-leftover", "git left this file"),
        ("{id}_REMOTE_1234.md", "git-leftover", "git left this file"),
    ],
)
def test_other_engines_copies_are_reported_and_never_read(
    pair: tuple[Peerlog, Peerlog, Path], name: str, kind: str, words: str
) -> None:
    sam, alex, shared = pair
    path = alex_record(alex, shared, "the original")
    copy = path.with_name(name.format(id=path.stem))
    copy.write_bytes(path.read_bytes().replace(b"the original", b"a copy's words"))

    assert [e["text"] for e in listed(sam)] == ["the original"]
    code, findings = doctor(sam)
    assert code == ExitCode.ATTENTION
    (found,) = findings
    assert (found["kind"], found["path"]) == (kind, str(copy))
    assert words in found["message"]
    assert "delete" in found["advice"]


def test_space_create_keeps_records_byte_exact_under_git(make_member: Any, tmp_path: Path) -> None:
    sam = make_member("Sam", "sam")
    shared = tmp_path / "shared"
    sam.ok("space", "create", str(shared), "--name", "pair")
    attributes = (shared / ".gitattributes").read_text()
    assert "*.md -text" in attributes and "*.toml -text" in attributes
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    entry = sam.saved_id("write", "--space", "pair", "one\ntwo")
    git = ["git", "-c", "core.autocrlf=true", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q", str(shared)], check=True)
    subprocess.run([*git, "-C", str(shared), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(shared), "commit", "-qm", "x"], check=True)
    clone = tmp_path / "clone"
    subprocess.run([*git, "clone", "-q", str(shared), str(clone)], check=True)
    (original,) = shared.rglob(f"{entry}.md")
    assert (clone / original.relative_to(shared)).read_bytes() == original.read_bytes()


# --- partner text in every field, in every view -----------------------------------------------

EVIL = (
    "[bold red]markup[/] [link=https://evil.example]click[/link] "
    "\x1b[2J\x1b]0;title\x07 \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ "
    "\x9b31mC1\x9d \u202eevil\u202c \u2066iso\u2069 zero\u200bwidth\ufeff "
    "\U000e0069\U000e0067tags \u00adsoft \u3164hangul \u115f\u1160\uffa0fill cr\rback"
)
# Everything that must never reach the terminal from a partner's text (DESIGN §6 and more).
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u115f\u1160\u200b\u202a-\u202e\u2060-\u2069"
    "\u3164\ufeff\uffa0\U000e0000-\U000e007f]"
)


def assert_inert(text: str, where: str) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in UNSAFE.findall(text)})
    assert not found, f"{where}: unsafe characters reached the terminal: {found}"


def plant(shared: Path, record: Record) -> None:
    folder = shared / "members" / record.author / record.device / "2026" / "11"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{record.id}.md").write_bytes(encode_record(record))


@pytest.fixture
def hostile_space(pair: tuple[Peerlog, Peerlog, Path]) -> tuple[Peerlog, dict[str, str]]:
    """Alex's folder holds hand-made records with hostile text in every field a view shows."""
    sam, alex, shared = pair
    mine = sam.saved_id("write", "--space", "pair", "my own entry")
    device = alex.device
    moments = iter(range(1, 100))

    def base() -> dict[str, Any]:
        step = next(moments)
        when = FIXED_NOW - timedelta(hours=3) + timedelta(minutes=step)
        return {
            "id": new_record_id(when),
            "author": "alex",
            "device": device,
            "clock": 40 + step,
            "created": when,
        }

    entry = Entry(**base(), when=FIXED_NOW - timedelta(hours=2), tags=("coping",), body=EVIL)
    goal = GoalProposal(
        **base(), title=EVIL, why=EVIL, target="3/week " + EVIL, participants=("alex", "sam")
    )
    checkin = Checkin(**base(), mood=2, wins=(EVIL,), struggles=(EVIL,), need=EVIL, offer=EVIL)
    records: list[Record] = [
        Profile(**base(), name=EVIL),
        entry,
        Reply(**base(), target=mine, body=EVIL),
        checkin,
        Resource(
            **base(), title=EVIL, url="https://x.example/" + EVIL, tags=("coping",), body=EVIL
        ),
        goal,
        Agreement(**base(), topic=EVIL, value=EVIL),
        Agreement(**base(), topic="cadence", value=EVIL),
    ]
    for record in records:
        plant(shared, record)
    # a file whose very name is hostile, for doctor to name
    month = shared / "members" / "alex" / device / "2026" / "11"
    (month / f"{entry.id} \x1b]0;pwned\x07\u202e (1).md").write_bytes(b"copy")
    return sam, {"entry": entry.id, "goal": goal.id, "checkin": checkin.id, "mine": mine}


VIEWS = [
    ["list", "--space", "pair"],
    ["show", "{entry}"],
    ["show", "{mine}"],
    ["checkins", "--space", "pair"],
    ["resource", "list", "--space", "pair"],
    ["goal", "list"],
    ["goal", "show", "{goal}"],
    ["space", "show", "pair"],
    ["due"],
    [],
    ["summary", "--space", "pair"],
    ["tags", "--space", "pair"],
    ["search", "--space", "pair", "markup"],
    ["doctor"],
]


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: " ".join(v) or "bare")
def test_hostile_text_in_every_field_is_inert_in_every_view(
    hostile_space: tuple[Peerlog, dict[str, str]], view: list[str]
) -> None:
    sam, ids = hostile_space
    result = sam(*(part.format(**ids) for part in view), now=FIXED_NOW)
    assert result.exit_code in (0, ExitCode.ATTENTION), (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert_inert(result.stdout, "stdout")
    assert_inert(result.stderr, "stderr")


def test_the_hostile_fields_are_shown_not_dropped(
    hostile_space: tuple[Peerlog, dict[str, str]],
) -> None:
    """Inert, but still there: the markup shows as typed in the views that hold it."""
    sam, ids = hostile_space
    shown = sam.ok("space", "show", "pair", now=FIXED_NOW).stdout
    assert "Agreed [bold red]markup[/]" in shown  # the forged topic, as plain text
    assert "[bold red]markup[/]" in sam.ok("goal", "show", ids["goal"], now=FIXED_NOW).stdout
    assert "softhangul" not in shown  # fillers went, the words stay apart
    assert "soft" in shown and "hangul" in shown


@pytest.mark.parametrize(
    "view",
    [v for v in VIEWS if v[:1] not in (["tags"], ["doctor"])],
    ids=lambda v: " ".join(v) or "bare",
)
def test_each_view_shows_some_of_the_hostile_text(
    hostile_space: tuple[Peerlog, dict[str, str]], view: list[str]
) -> None:
    """So the test above checks views that really hold the partner's text."""
    sam, ids = hostile_space
    result = sam(*(part.format(**ids) for part in view), now=FIXED_NOW)
    assert "markup" in result.stdout or "evil" in result.stdout, result.stdout


def test_text_that_looks_like_a_merge_is_refused_before_it_is_written(
    pair: tuple[Peerlog, Peerlog, Path],
) -> None:
    sam, _alex, _shared = pair
    result = sam("write", "--space", "pair", CONFLICT)
    assert result.exit_code == ExitCode.USAGE
    assert "unfinished git merge" in result.stderr and "Nothing was saved" in result.stderr
    assert listed(sam) == []
