"""Hostile files in a shared space: every reading command shrugs them off.

A partner (or their sync engine, or their broken disk) can put anything in a space. For each case
of a table of builders, the reading commands must exit normally, still show the good records,
warn at most once per bad file, never print a traceback, and never read a file outside the space
(checked with a Python audit hook in a separate interpreter, see hardening_audit_driver.py).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hardening_support import FIXED_NOW, NOW_ENV, Person, clean_environ, fast_scratch

from peerlog.actions.dialogue import write_checkin
from peerlog.actions.goals import propose_goal
from peerlog.actions.journal import write_entry
from peerlog.actions.spaces import create_space, join_space, open_space
from peerlog.records import Deletion, Entry, Revision, new_device_id, new_record_id
from peerlog.store import Home, encode_record, initialise, resolve_home
from peerlog.store.scan import MAX_RECORD_BYTES

pytestmark = pytest.mark.system

SPACE = "pair"
EARLIER = FIXED_NOW - timedelta(hours=1)
OUTSIDE_SECRET = "OUTSIDE-MARKER-7f3a"  # noqa: S105 (a marker, not a password); only in files outside the space: must never be shown
DRIVER = Path(__file__).with_name("hardening_audit_driver.py")
DRIVERS = 2  # interpreters run side by side (this machine has 2 cores)
DEPTH = 10_000


def _passwd_line() -> str | None:
    try:
        with open("/etc/passwd", encoding="utf-8", errors="replace") as handle:
            line = handle.readline().strip()
    except OSError:
        return None
    return line or None


PASSWD_LINE = _passwd_line()


# --- the pair and its good records ------------------------------------------------------------


@dataclass
class Pair:
    """Sam and Alex sharing a space, with good records, in one case's own folder."""

    root: Path
    sam: Home
    alex: Home
    sam_device: str
    alex_device: str
    space: Path
    outside: Path  # a folder outside the space and both homes
    sam_entry: str
    alex_entry: str

    @property
    def alex_folder(self) -> Path:
        return self.space / "members" / "alex" / self.alex_device

    @property
    def alex_month(self) -> Path:
        return self.alex_folder / "2026" / "11"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"


Builder = Callable[[Pair], list[Path]]  # makes one kind of hostile file, returns its paths


def make_pair(root: Path) -> Pair:
    def home(member: str) -> Home:
        return resolve_home(
            {
                "PEERLOG_HOME": str(root / f"home-{member}"),
                "PEERLOG_CACHE_DIR": str(root / f"cache-{member}"),
            }
        )

    sam, alex = home("sam"), home("alex")
    sam_id = initialise(sam, "sam", "Sam")
    alex_id = initialise(alex, "alex", "Alex")
    space = root / "space"
    create_space(sam, space, SPACE, now=EARLIER)
    join_space(alex, space, now=EARLIER)
    entries = {}
    for member, who in ((sam, "sam"), (alex, "alex")):
        session = open_space(member, SPACE)
        entries[who] = write_entry(
            session, f"goodword from {who}", now=EARLIER, tags=["goodtag"]
        ).id
        write_checkin(session, now=EARLIER, mood=4, wins=[f"goodwin {who}"])
    propose_goal(open_space(sam, SPACE), "Goodgoal walk", now=EARLIER, target="3/week")
    (root / "outside").mkdir()
    (root / "tmp").mkdir()
    return Pair(
        root,
        sam,
        alex,
        sam_id.device,
        alex_id.device,
        space,
        root / "outside",
        entries["sam"],
        entries["alex"],
    )


# --- building hostile files -------------------------------------------------------------------


def fields(pair: Pair, **changes: str | None) -> dict[str, str]:
    """Front-matter lines (TOML text per key) of a plausible entry by Alex; `None` drops a key."""
    lines: dict[str, str | None] = {
        "format": "1",
        "id": f'"{new_record_id(EARLIER)}"',
        "type": '"entry"',
        "author": '"alex"',
        "device": f'"{pair.alex_device}"',
        "clock": "7",
        "created": "2026-11-21T09:00:00+00:00",
        "date": "2026-11-21T09:00:00+00:00",
        "tags": '["badtag"]',
    }
    lines.update(changes)
    return {key: value for key, value in lines.items() if value is not None}


def front(lines: dict[str, str], body: str = "a hostile file", tail: str = "") -> bytes:
    text = "+++\n" + "".join(f"{k} = {v}\n" for k, v in lines.items()) + tail + "+++\n" + body
    return text.encode("utf-8")


def id_of(lines: dict[str, str]) -> str:
    value = lines.get("id", "")
    match = re.fullmatch(r'"([0-9a-z]{26})"', value)
    return match.group(1) if match else new_record_id(EARLIER)


def drop(pair: Pair, data: bytes, *, name: str | None = None, folder: Path | None = None) -> Path:
    """Put `data` in Alex's month folder (or `folder`), named like a record unless told."""
    where = folder or pair.alex_month
    where.mkdir(parents=True, exist_ok=True)
    path = where / (name or f"{new_record_id(EARLIER)}.md")
    path.write_bytes(data)
    return path


def drop_fields(
    pair: Pair, body: str = "a hostile file", tail: str = "", **changes: str | None
) -> list[Path]:
    lines = fields(pair, **changes)
    return [drop(pair, front(lines, body, tail), name=f"{id_of(lines)}.md")]


def with_fields(body: str = "a hostile file", tail: str = "", **changes: str | None) -> Builder:
    """A builder of one entry by Alex whose front matter has these `changes` (`drop_fields`)."""
    return lambda p: drop_fields(p, body, tail, **changes)


def valid_entry(pair: Pair, text: str, **changes: Any) -> Entry:
    values: dict[str, Any] = {
        "id": new_record_id(EARLIER),
        "author": "alex",
        "device": pair.alex_device,
        "clock": 9,
        "created": EARLIER.replace(microsecond=0),
        "when": EARLIER.replace(microsecond=0),
        "body": text,
        "tags": ("outsidetag",),
        "mood": None,
    }
    values.update(changes)
    return Entry(**values)


def outside_tree(pair: Pair, member: str, device: str) -> Path:
    """A record tree outside the space, holding a valid record with a secret text."""
    entry = valid_entry(pair, f"{OUTSIDE_SECRET} read through a link", author=member, device=device)
    month = pair.outside / "members" / member / device / "2026" / "11"
    month.mkdir(parents=True)
    (month / f"{entry.id}.md").write_bytes(encode_record(entry))
    return pair.outside / "members" / member


# Each builder makes one kind of hostile file and returns the paths it made.


def b_missing_front_matter(p: Pair) -> list[Path]:
    return [drop(p, b"Just some text, no front matter at all.\n")]


def b_unclosed_front_matter(p: Pair) -> list[Path]:
    return [drop(p, front(fields(p)).replace(b"+++\na hostile", b"a hostile"))]


def b_empty_file(p: Pair) -> list[Path]:
    return [drop(p, b"")]


def b_only_fences(p: Pair) -> list[Path]:
    return [drop(p, b"+++\n+++\n")]


def b_byte_order_mark(p: Pair) -> list[Path]:
    lines = fields(p)
    return [drop(p, b"\xef\xbb\xbf" + front(lines), name=f"{id_of(lines)}.md")]


def b_crlf_line_ends(p: Pair) -> list[Path]:
    lines = fields(p)
    return [drop(p, front(lines).replace(b"\n", b"\r\n"), name=f"{id_of(lines)}.md")]


def b_year_0001(p: Pair) -> list[Path]:
    moment = "0001-01-01T00:00:00+01:00"
    return drop_fields(p, created=moment, date=moment)


def b_year_9999(p: Pair) -> list[Path]:
    moment = "9999-12-31T23:59:59-01:00"
    return drop_fields(p, created=moment, date=moment)


def b_file_of_50_mb(p: Pair) -> list[Path]:
    path = drop(p, front(fields(p)))
    with open(path, "r+b") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: costs no time or memory to make
    return [path]


def b_binary_data(p: Pair) -> list[Path]:
    return [drop(p, random.Random(7).randbytes(4096))]


def b_invalid_utf8(p: Pair) -> list[Path]:
    lines = fields(p)
    return [drop(p, front(lines) + b"\xff\xfe\xc3(", name=f"{id_of(lines)}.md")]


def b_nested_dotted_keys(p: Pair) -> list[Path]:
    # Dotted keys take tomllib quadratic time; 3,000 levels still nest deeper than Python's
    # recursion limit. The time itself is tested on its own below.
    return drop_fields(p, tail="nest" + ".n" * 3_000 + " = 1\n")


def b_duplicate_id_two_devices(p: Pair) -> list[Path]:
    other = new_device_id()
    first = valid_entry(p, "the same id, first text")
    second = valid_entry(p, "the same id, second text", device=other)
    second_folder = p.space / "members" / "alex" / other / "2026" / "11"
    return [
        drop(p, encode_record(first), name=f"{first.id}.md"),
        drop(p, encode_record(second), name=f"{second.id}.md", folder=second_folder),
    ]


def _link(p: Pair, target: Path, name: str | None = None, folder: Path | None = None) -> Path:
    where = folder or p.alex_month
    link = where / (name or f"{new_record_id(EARLIER)}.md")
    link.symlink_to(target)
    return link


def b_symlink_to_etc_passwd(p: Pair) -> list[Path]:
    return [_link(p, Path("/etc/passwd"))]


def b_symlink_to_home_config(p: Pair) -> list[Path]:
    return [_link(p, p.sam.config_file)]


def b_symlink_to_outside_record(p: Pair) -> list[Path]:
    tree = outside_tree(p, "alex", p.alex_device)
    record = next(tree.rglob("*.md"))
    return [_link(p, record, name=record.name)]


def b_symlinked_month_folder(p: Pair) -> list[Path]:
    tree = outside_tree(p, "alex", p.alex_device)
    return [_link(p, tree / p.alex_device / "2026" / "11", "10", folder=p.alex_folder / "2026")]


def b_symlinked_member_folder(p: Pair) -> list[Path]:
    tree = outside_tree(p, "mallory", new_device_id())
    return [_link(p, tree, "mallory", folder=p.space / "members")]


def b_symlinked_device_folder(p: Pair) -> list[Path]:
    device = new_device_id()
    tree = outside_tree(p, "alex", device)
    return [_link(p, tree / device, device, folder=p.space / "members" / "alex")]


def b_windows_reserved_names(p: Pair) -> list[Path]:
    good = encode_record(valid_entry(p, "a record hiding under a reserved name"))
    return [drop(p, good, name=name) for name in ("con", "aux.md", "nul", "COM1.md", "lpt9")]


def b_windows_reserved_member(p: Pair) -> list[Path]:
    device = new_device_id()
    entry = valid_entry(p, "written by member con", author="con", device=device)
    folder = p.space / "members" / "con" / device / "2026" / "11"
    return [drop(p, encode_record(entry), name=f"{entry.id}.md", folder=folder)]


def b_very_long_names(p: Pair) -> list[Path]:
    good = encode_record(valid_entry(p, "a record with a very long name"))
    long_file = drop(p, good, name="x" * 247 + ".md")
    long_dir = p.alex_month / ("d" * 250)
    long_dir.mkdir()
    return [long_file, drop(p, good, name="y" * 250, folder=long_dir)]


def _copy_name(p: Pair, pattern: str) -> list[Path]:
    entry = valid_entry(p, "a conflict copy's text")
    return [drop(p, encode_record(entry), name=pattern.format(id=entry.id))]


def b_syncthing_conflict(p: Pair) -> list[Path]:
    return _copy_name(p, "{id}.sync-conflict-20261121-101010-ABCDEFG.md")


def b_dropbox_conflict(p: Pair) -> list[Path]:
    return _copy_name(p, "{id} (Sam's conflicted copy 2026-11-21).md")


def b_nextcloud_conflict(p: Pair) -> list[Path]:
    return _copy_name(p, "{id} (conflicted copy 2026-11-21 101010).md")


def b_owncloud_conflict(p: Pair) -> list[Path]:
    return _copy_name(p, "{id}_conflict-20261121-101010.md")


def b_temp_files(p: Pair) -> list[Path]:
    half = front(fields(p))[:40]
    return [
        drop(p, half, name=".~peerlog-0123456789abcdef.part"),
        drop(p, half, name=".syncthing.x.md.tmp"),
        drop(p, half, name="~$x.md"),
    ]


def b_editor_backups(p: Pair) -> list[Path]:
    entry = valid_entry(p, "an editor's backup")
    data = encode_record(entry)
    return [drop(p, data, name=n.format(id=entry.id)) for n in ("{id}.md~", ".{id}.md.swp")]


def b_fifo_named_like_record(p: Pair) -> list[Path]:
    path = p.alex_month / f"{new_record_id(EARLIER)}.md"
    os.mkfifo(path)  # opening it for reading would block: peerlog must never open it
    return [path]


def b_directory_named_like_record(p: Pair) -> list[Path]:
    path = p.alex_month / f"{new_record_id(EARLIER)}.md"
    path.mkdir()
    (path / "inside.md").write_bytes(encode_record(valid_entry(p, "inside a dir")))
    return [path]


def b_id_differs_from_name(p: Pair) -> list[Path]:
    return [drop(p, encode_record(valid_entry(p, "my name is not my id")))]  # another id


def b_upper_case_name(p: Pair) -> list[Path]:
    entry = valid_entry(p, "an upper-case name")
    return [drop(p, encode_record(entry), name=f"{entry.id.upper()}.md")]


def b_unknown_type_from_newer_peerlog(p: Pair) -> list[Path]:
    tail = '[future]\nkind = "poll"\noptions = ["a", "b"]\n[future.deep]\nx = 1\n'
    return drop_fields(p, tail=tail, type='"poll"', question='"Walk or talk?"', date=None)


def b_entry_over_1_mib(p: Pair) -> list[Path]:
    lines = fields(p)
    head = front(lines, body="")
    body = "o" * (MAX_RECORD_BYTES + 1 - len(head))
    data = front(lines, body=body)
    assert len(data) == MAX_RECORD_BYTES + 1
    return [drop(p, data, name=f"{id_of(lines)}.md")]


def b_entry_of_exactly_1_mib(p: Pair) -> list[Path]:
    lines = fields(p)
    head = front(lines, body="")
    data = front(lines, body="k" * (MAX_RECORD_BYTES - len(head)))
    assert len(data) == MAX_RECORD_BYTES
    return [drop(p, data, name=f"{id_of(lines)}.md")]


def b_foreign_deletion(p: Pair) -> list[Path]:
    deletion = Deletion(
        id=new_record_id(EARLIER),
        author="alex",
        device=p.alex_device,
        clock=50,
        created=EARLIER.replace(microsecond=0),
        target=p.sam_entry,
    )
    return [drop(p, encode_record(deletion), name=f"{deletion.id}.md")]


def b_foreign_revision(p: Pair) -> list[Path]:
    revision = Revision(
        id=new_record_id(EARLIER),
        author="alex",
        device=p.alex_device,
        clock=50,
        created=EARLIER.replace(microsecond=0),
        target=p.sam_entry,
        body="HIJACKED by alex",
        tags=("hijacked",),
        mood=None,
    )
    return [drop(p, encode_record(revision), name=f"{revision.id}.md")]


def b_unreadable_file(p: Pair) -> list[Path]:
    entry = valid_entry(p, "nobody may read me")
    path = drop(p, encode_record(entry), name=f"{entry.id}.md")
    path.chmod(0)
    return [path]


def b_record_in_the_wrong_month(p: Pair) -> list[Path]:
    entry = valid_entry(p, "filed under the wrong month")
    return [
        drop(p, encode_record(entry), name=f"{entry.id}.md", folder=p.alex_folder / "2020" / "01")
    ]


def b_strangers_at_every_level(p: Pair) -> list[Path]:
    good = encode_record(valid_entry(p, "a stray file"))
    return [
        drop(p, good, name="README.md", folder=p.space / "members"),
        drop(p, good, name="notes.md", folder=p.space / "members" / "alex"),
        drop(p, good, name="2026.md", folder=p.alex_folder),
        drop(p, good, name="13", folder=p.alex_folder / "2026"),
        drop(p, good, name="Alex.md", folder=p.space / "members" / "ALEX" / p.alex_device),
    ]


def b_space_toml_symlink(p: Pair) -> list[Path]:
    copy = p.outside / "space.toml"
    copy.write_bytes((p.space / "space.toml").read_bytes())
    (p.space / "space.toml").unlink()
    return [_link(p, copy, "space.toml", folder=p.space)]


@dataclass(frozen=True)
class Case:
    name: str
    build: Builder
    expect: str  # "warn": exactly one warning from `list`; "quiet": none ever; "any": at most one
    forbidden: tuple[str, ...] = ()  # text that must never be shown


CASES = [
    Case("malformed-toml", with_fields(clock="= = 3", tags='["unclosed"'), "warn"),
    Case("missing-front-matter", b_missing_front_matter, "warn"),
    Case("unclosed-front-matter", b_unclosed_front_matter, "warn"),
    Case("empty-file", b_empty_file, "warn"),
    Case("only-fences", b_only_fences, "warn"),
    Case("byte-order-mark", b_byte_order_mark, "any"),
    Case("crlf-line-ends", b_crlf_line_ends, "any"),
    Case("clock-as-string", with_fields(clock='"7"'), "warn"),
    Case("clock-as-bool", with_fields(clock="true"), "warn"),
    Case("clock-as-float", with_fields(clock="7.5"), "warn"),
    Case("clock-negative", with_fields(clock="-1"), "warn"),
    Case("clock-huge", with_fields(clock="9223372036854775807"), "warn"),
    Case("clock-missing", with_fields(clock=None), "warn"),
    Case("tags-not-a-list", with_fields(tags='"coping"'), "warn"),
    Case("tags-of-numbers", with_fields(tags="[1, 2, 3]"), "warn"),
    Case("mood-0", with_fields(mood="0"), "warn"),
    Case("mood-6", with_fields(mood="6"), "warn"),
    Case("mood-as-string", with_fields(mood='"3"'), "warn"),
    Case("format-as-text", with_fields(format='"one"'), "warn"),
    Case("id-not-text", with_fields(id="12345"), "warn"),
    Case("year-0001", b_year_0001, "any"),
    Case("year-9999-12-31", b_year_9999, "any"),
    Case(
        "naive-datetime",
        with_fields(created="2026-11-21T09:00:00", date="2026-11-21T09:00:00"),
        "warn",
    ),
    Case("date-without-time", with_fields(created="2026-11-21", date="2026-11-21"), "warn"),
    Case("file-of-50-mb", b_file_of_50_mb, "warn"),
    Case("binary-data", b_binary_data, "warn"),
    Case("invalid-utf8", b_invalid_utf8, "warn"),
    Case("nested-arrays-10000", with_fields(nest="[" * DEPTH + "]" * DEPTH), "warn"),
    Case(
        "nested-inline-tables-10000", with_fields(nest="{a = " * DEPTH + "1" + "}" * DEPTH), "warn"
    ),
    Case("nested-dotted-keys-3000", b_nested_dotted_keys, "any"),
    Case(
        "nested-table-headers-10000",
        with_fields(tail="[" + ".".join(["t"] * DEPTH) + "]\nz = 1\n"),
        "any",
    ),
    Case("duplicate-id-two-devices", b_duplicate_id_two_devices, "any"),
    Case("claims-another-author", with_fields(author='"sam"'), "warn"),
    Case("claims-another-device", with_fields(device=f'"{new_device_id()}"'), "warn"),
    Case("symlink-to-etc-passwd", b_symlink_to_etc_passwd, "warn"),
    Case("symlink-to-home-config", b_symlink_to_home_config, "warn", ("[member]",)),
    Case("symlink-to-outside-record", b_symlink_to_outside_record, "warn", (OUTSIDE_SECRET,)),
    Case("symlinked-month-folder", b_symlinked_month_folder, "quiet", (OUTSIDE_SECRET,)),
    Case("symlinked-member-folder", b_symlinked_member_folder, "quiet", (OUTSIDE_SECRET,)),
    Case("symlinked-device-folder", b_symlinked_device_folder, "quiet", (OUTSIDE_SECRET,)),
    Case("windows-reserved-names", b_windows_reserved_names, "quiet", ("reserved name",)),
    Case("windows-reserved-member", b_windows_reserved_member, "quiet", ("member con",)),
    Case("very-long-names", b_very_long_names, "quiet", ("very long name",)),
    Case("syncthing-conflict", b_syncthing_conflict, "quiet", ("conflict copy's",)),
    Case("dropbox-conflict", b_dropbox_conflict, "quiet", ("conflict copy's",)),
    Case("nextcloud-conflict", b_nextcloud_conflict, "quiet", ("conflict copy's",)),
    Case("owncloud-conflict", b_owncloud_conflict, "quiet", ("conflict copy's",)),
    Case("temp-files", b_temp_files, "quiet"),
    Case("editor-backups", b_editor_backups, "quiet", ("editor's backup",)),
    Case("fifo-named-like-record", b_fifo_named_like_record, "quiet"),
    Case("directory-named-like-record", b_directory_named_like_record, "quiet", ("inside a dir",)),
    Case("id-differs-from-name", b_id_differs_from_name, "warn", ("not my id",)),
    Case("upper-case-name", b_upper_case_name, "quiet", ("upper-case name",)),
    Case("unknown-type-newer-peerlog", b_unknown_type_from_newer_peerlog, "quiet"),
    Case("entry-1-mib-plus-1-byte", b_entry_over_1_mib, "warn", ("ooooooooooo",)),
    Case("entry-exactly-1-mib", b_entry_of_exactly_1_mib, "quiet"),
    Case("foreign-deletion", b_foreign_deletion, "quiet"),
    Case("foreign-revision", b_foreign_revision, "quiet", ("HIJACKED", "hijacked")),
    Case(
        "reply-to-record-not-arrived",
        with_fields(type='"reply"', target=f'"{new_record_id(EARLIER)}"', date=None),
        "quiet",
    ),
    Case(
        "checkin-wins-not-a-list",
        with_fields(type='"checkin"', wins='"one win"', date=None, tags=None),
        "warn",
    ),
    Case(
        "goal-bad-participants",
        with_fields(type='"goal"', title='"t"', participants='"alex"', date=None, tags=None),
        "warn",
    ),
    Case("unreadable-file", b_unreadable_file, "warn" if os.geteuid() != 0 else "any"),
    Case("record-in-wrong-month", b_record_in_the_wrong_month, "any"),
    Case("space-toml-symlinked-outside", b_space_toml_symlink, "quiet"),
    Case("strangers-at-every-level", b_strangers_at_every_level, "quiet", ("a stray file",)),
]


def commands(pair: Pair) -> list[list[str]]:
    return [
        ["list", "--space", SPACE, "--json"],
        ["search", "--all", "goodword"],
        ["tags", "--space", SPACE],
        ["show", pair.sam_entry],
        ["goal", "list"],
        ["checkins", "--all"],
        ["summary", "--space", SPACE, "--json"],
        ["doctor", "--json"],
        ["space", "show", SPACE],
        ["due"],
        ["list", "--all"],
    ]


# --- running every case -----------------------------------------------------------------------


@dataclass
class Outcome:
    pair: Pair
    bad: list[Path]
    results: list[dict[str, Any]]
    violations: list[str]

    def result(self, command: str) -> dict[str, Any]:
        return next(r for r in self.results if " ".join(r["args"]).startswith(command))


def _plan_case(name: str, pair: Pair) -> dict[str, Any]:
    env = {
        "PEERLOG_HOME": str(pair.sam.root),
        "PEERLOG_CACHE_DIR": str(pair.sam.cache_root),
        "PEERLOG_NOW": NOW_ENV,
        "TMPDIR": str(pair.tmp),
    }
    return {
        "name": name,
        "env": env,
        "commands": commands(pair),
        "allowed": [str(pair.sam.root), str(pair.sam.cache_root), str(pair.space), str(pair.tmp)],
        "space": str(pair.space),
    }


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    with fast_scratch(tmp_path_factory.mktemp("hostile"), "hostile") as root:
        built: dict[str, tuple[Pair, list[Path]]] = {}
        for case in CASES:
            folder = root / case.name
            folder.mkdir()
            pair = make_pair(folder)
            built[case.name] = (pair, case.build(pair))
        plans = [_plan_case(name, pair) for name, (pair, _bad) in built.items()]
        processes = []
        for n in range(DRIVERS):
            plan_file = root / f"plan-{n}.json"
            (root / f"warmup-{n}").mkdir()
            warmup = _plan_case("warmup", make_pair(root / f"warmup-{n}"))
            plan = {"warmup": warmup, "cases": plans[n::DRIVERS]}
            plan_file.write_text(json.dumps(plan), encoding="utf-8")
            results_file = root / f"results-{n}.jsonl"
            results_file.touch()
            process = subprocess.Popen(
                [sys.executable, str(DRIVER), str(plan_file), str(results_file)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=clean_environ(),
            )
            processes.append((process, results_file))
        lines: list[dict[str, Any]] = []
        failures = []
        for process, results_file in processes:
            try:
                _out, err = process.communicate(timeout=600)
            except subprocess.TimeoutExpired:
                process.kill()
                _out, err = process.communicate()
            if process.returncode != 0:
                failures.append(err)
            lines += [json.loads(x) for x in results_file.read_text("utf-8").splitlines()]
        found = {line["name"]: line for line in lines}
        missing = [name for name in built if name not in found]
        assert not missing and not failures, (missing, failures)
        yield {
            name: Outcome(pair, bad, found[name]["results"], found[name]["violations"])
            for name, (pair, bad) in built.items()
        }


# --- what must hold for every case ------------------------------------------------------------


def warnings_about(stderr: str, path: Path) -> list[str]:
    return [line for line in stderr.splitlines() if "warning" in line and f"{path}:" in line]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file_is_shrugged_off(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.name]
    pair = outcome.pair
    assert len(outcome.results) == len(commands(pair))
    problems: list[str] = []
    for result in outcome.results:
        command = " ".join(result["args"])
        out, err, code = result["stdout"], result["stderr"], result["code"]
        allowed = (0, 8) if result["args"][0] == "doctor" else (0,)
        if code not in allowed:
            problems.append(f"`{command}` exited {code}: {err.strip()[:300]}")
        for stream in (out, err):
            if "Traceback" in stream or 'File "' in stream:
                problems.append(f"`{command}` printed a traceback: {stream[-300:]}")
            if PASSWD_LINE and PASSWD_LINE in stream:
                problems.append(f"`{command}` showed the content of /etc/passwd")
            for text in (OUTSIDE_SECRET, *case.forbidden):
                if text in stream:
                    problems.append(f"`{command}` showed {text!r}, from a file it must skip")
        for bad in outcome.bad:
            count = len(warnings_about(err, bad))
            if count > 1:
                problems.append(f"`{command}` warned {count} times about {bad.name}")
            if case.expect == "quiet" and count:
                problems.append(f"`{command}` warned about {bad.name}, which is not a record")
            if case.expect == "warn" and command.startswith("list --space") and count != 1:
                problems.append(f"`{command}` did not warn about {bad.name}")
    assert not problems, "\n".join(problems)
    assert not outcome.violations, "\n".join(outcome.violations)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_good_records_still_shown(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.name]
    pair = outcome.pair

    def out(command: str) -> str:
        result = outcome.result(command)
        assert result["code"] in (0, 8), (command, result["stderr"][-500:])
        text: str = result["stdout"]
        return text

    listed = json.loads(out("list --space"))
    assert {pair.sam_entry, pair.alex_entry} <= {e["id"] for e in listed}
    assert next(e for e in listed if e["id"] == pair.sam_entry)["text"] == "goodword from sam"
    assert "goodword from sam" in out("search") and "goodword from alex" in out("search")
    assert "goodtag" in out("tags")
    assert "goodword from sam" in out("show")
    assert "Goodgoal walk" in out("goal list")
    assert "goodwin sam" in out("checkins") and "goodwin alex" in out("checkins")
    summary = json.loads(out("summary"))
    assert "Goodgoal walk" in json.dumps(summary)
    report = json.loads(out("doctor"))
    for bad in outcome.bad:
        named = [f for f in report["findings"] if f["path"] == str(bad)]
        assert len(named) <= 1, named
        if case.expect == "warn":
            assert len(named) == 1, (bad, report["findings"])
    assert "Alex checked in" in out("due")
    assert "goodword from sam" in out("list --all") and "goodword from alex" in out("list --all")


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


def test_storage_docs_state_the_record_size_limit() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "storage.md"
    text = docs.read_text(encoding="utf-8")
    assert MAX_RECORD_BYTES == 1024 * 1024
    assert re.search(r"\b1\s*MiB\b", text), "docs/storage.md must state the 1 MiB record limit"
    assert re.search(r"512\s*KiB", text), "docs/storage.md must state the 512 KiB text limit"


def test_audit_hook_sees_reads_outside_what_is_allowed(tmp_path: Path) -> None:
    """The check above can fail: with the cache left out of `allowed`, its reads are reported."""
    with fast_scratch(tmp_path, "audit") as root:
        (root / "case").mkdir()
        pair = make_pair(root / "case")
        plan = _plan_case("self-test", pair)
        plan["commands"] = [["list", "--space", SPACE, "--json"]]
        plan["allowed"].remove(str(pair.sam.cache_root))
        (root / "plan.json").write_text(json.dumps({"cases": [plan]}), encoding="utf-8")
        results = root / "results.jsonl"
        subprocess.run(
            [sys.executable, str(DRIVER), str(root / "plan.json"), str(results)],
            check=True,
            timeout=120,
            env=clean_environ(),
        )
        line = json.loads(results.read_text("utf-8"))
        assert line["results"][0]["code"] == 0
        assert any(str(pair.sam.cache_root) in v for v in line["violations"]), line["violations"]


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Los_Angeles"])
def test_dates_at_the_ends_of_the_calendar_in_any_time_zone(tmp_path: Path, zone: str) -> None:
    """A partner's entry dated at the very start or end of the calendar, with a plain UTC
    offset, is shown (or skipped with a warning) wherever the reader lives."""
    with fast_scratch(tmp_path, "calendar") as root:
        pair = make_pair(root)
        for moment in ("9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00"):
            drop_fields(pair, created=moment, date=moment)
        sam = Person(root, "sam", "Sam", init=False)
        for args in (["list", "--all"], ["summary", "--space", SPACE], ["space", "show", SPACE]):
            completed = sam.run(*args, extra_env={"TZ": zone, "PEERLOG_NOW": NOW_ENV})
            assert completed.returncode == 0, (args, completed.stderr)
            assert "goodword from sam" in completed.stdout or args[0] != "list"


DOTTED_PROBE = """
import sys, time
from peerlog.store import MalformedRecord, decode_record
data = sys.stdin.buffer.read()
try:
    decode_record(data)
except MalformedRecord:
    pass
print("done")
"""


def test_a_record_of_deeply_dotted_keys_is_refused_quickly(tmp_path: Path) -> None:
    """One file under the 1 MiB limit must not stall every cold read: a front matter made of
    one key dotted ~60,000 levels deep (120 KB) is decided (accepted or refused) within 3 s."""
    with fast_scratch(tmp_path, "dotted") as root:
        pair = make_pair(root)
        lines = fields(pair)
        data = front(lines, tail="nest" + ".n" * 60_000 + " = 1\n")
        assert len(data) < MAX_RECORD_BYTES
        try:
            completed = subprocess.run(
                [sys.executable, "-c", DOTTED_PROBE],
                input=data,
                capture_output=True,
                timeout=3,
                env=clean_environ(),
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail("decode_record took more than 3 s on a 120 KB front matter")
        assert completed.stdout.strip() == b"done", completed.stderr[-2000:]
