"""Files on disk: create-only publishing, private modes, the path layout, tolerant scanning."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from unit_support import (
    ALEX_DEVICE,
    SAM_DEVICE,
    T0,
    count_decodes,
    deletion,
    entry,
    place,
    record_path,
    revision,
)

from peerlog.errors import StorageError
from peerlog.records import Entry, Record
from peerlog.store import RecordStore, encode_record
from peerlog.store.publish import (
    TEMP_PREFIX,
    TEMP_SUFFIX,
    LinkRefused,
    NotARegularFile,
    is_temp_name,
    publish_new,
    read_plain_file,
    replace_private,
)
from peerlog.store.scan import MAX_RECORD_BYTES


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def make_store(tmp_path: Path, *, private: bool = True) -> RecordStore:
    return RecordStore(tmp_path / "root", tmp_path / "cache", private=private)


def stray_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(".~")]


# --- publish_new -------------------------------------------------------------------------------


def test_publish_new_writes_the_bytes_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "record.md"
    publish_new(target, b"hello\n", within=tmp_path)
    assert target.read_bytes() == b"hello\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["record.md"]


def test_publish_new_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "record.md"
    publish_new(target, b"first", within=tmp_path)
    with pytest.raises(FileExistsError):
        publish_new(target, b"second", within=tmp_path)
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.md"]


def test_publish_new_does_not_replace_a_file_someone_else_made(tmp_path: Path) -> None:
    target = tmp_path / "record.md"
    target.write_bytes(b"synced in from a peer")
    with pytest.raises(FileExistsError):
        publish_new(target, b"mine", within=tmp_path)
    assert target.read_bytes() == b"synced in from a peer"
    assert stray_files(tmp_path) == []


def test_publish_new_does_not_write_through_a_dangling_symlink(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    target = tmp_path / "dir" / "record.md"
    target.parent.mkdir()
    target.symlink_to(elsewhere)
    with pytest.raises(FileExistsError):
        publish_new(target, b"mine", within=tmp_path)
    assert not elsewhere.exists()


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_publish_new_never_writes_through_a_linked_folder(tmp_path: Path, depth: int) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    parts = ["a", "b", "c"]
    real = root.joinpath(*parts[:depth])
    real.mkdir(parents=True)
    (real / parts[depth]).symlink_to(outside, target_is_directory=True)
    target = root.joinpath(*parts) / "x" / "record.md"
    with pytest.raises(LinkRefused, match="symbolic link"):
        publish_new(target, b"mine", within=root)
    with pytest.raises(LinkRefused):
        replace_private(target, b"mine", within=root)
    assert list(outside.iterdir()) == []


def test_publish_new_refuses_a_path_outside_its_folder(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="outside"):
        publish_new(tmp_path / "elsewhere" / "x.md", b"x", within=tmp_path / "root")
    assert not (tmp_path / "elsewhere").exists()


def test_publish_new_modes(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "record.md"
    publish_new(target, b"x", within=tmp_path, file_mode=0o600, dir_mode=0o700)
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700
    assert mode(target.parent.parent) == 0o700


def test_temp_names_are_dot_names_that_readers_skip() -> None:
    name = f"{TEMP_PREFIX}0123456789abcdef{TEMP_SUFFIX}"
    assert name.startswith(".")
    assert is_temp_name(name)
    assert not is_temp_name("01m7y9pk7gjq5hrdz55hjtnb04.md")


# --- RecordStore: layout and modes -------------------------------------------------------------


def test_a_small_file_is_read_only_when_it_is_a_plain_file(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.write_bytes(b"0123456789")
    assert read_plain_file(plain, 4) == b"0123"
    assert read_plain_file(plain, 100) == b"0123456789"
    os.symlink(plain, tmp_path / "link")
    with pytest.raises(OSError) as raised:
        read_plain_file(tmp_path / "link", 100)  # never followed
    assert not isinstance(raised.value, NotARegularFile)
    os.mkfifo(tmp_path / "fifo")  # no writer: a blocking open would wait forever
    with pytest.raises(NotARegularFile, match="not a plain file"):
        read_plain_file(tmp_path / "fifo", 100)
    with pytest.raises(FileNotFoundError):
        read_plain_file(tmp_path / "missing", 100)


def test_a_record_is_published_at_members_member_device_year_month_id(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    created = datetime(2026, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=2)))  # Feb in UTC
    record = store.publish(lambda clock: entry("x", clock=clock, created=created))
    path = store.root / "members" / "sam" / SAM_DEVICE / "2026" / "02" / f"{record.id}.md"
    assert store.path_for(record) == path
    assert path.is_file()
    assert [p for p in store.root.rglob("*") if p.is_file()] == [path]
    assert len(str(path.relative_to(store.root))) < 100


def test_private_store_files_are_0600_and_folders_0700(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        store = make_store(tmp_path, private=True)
        record = store.publish(lambda clock: entry("secret", clock=clock))
    finally:
        os.umask(old_umask)
    path = store.path_for(record)
    assert mode(path) == 0o600
    folder = path.parent
    while folder != tmp_path:
        assert mode(folder) == 0o700, folder
        folder = folder.parent
    cache_files = list((tmp_path / "cache").rglob("*"))
    assert cache_files
    for item in cache_files:
        assert mode(item) == (0o700 if item.is_dir() else 0o600), item


def test_shared_store_files_are_readable_by_the_group(tmp_path: Path) -> None:
    store = make_store(tmp_path, private=False)
    record = store.publish(lambda clock: entry("shared", clock=clock))
    assert mode(store.path_for(record)) == 0o644
    assert mode(store.path_for(record).parent) == 0o755


def test_publishing_a_second_record_with_the_same_id_is_refused(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    fixed = entry("first", clock=1)
    store.publish(lambda clock: fixed)
    with pytest.raises(StorageError, match="already exists"):
        store.publish(lambda clock: Entry(**{**_fields(fixed), "body": "second"}))
    assert store.path_for(fixed).read_bytes() == encode_record(fixed)
    assert stray_files(store.root) == []


def _fields(record: Entry) -> dict[str, object]:
    return {
        name: getattr(record, name)
        for name in ("id", "author", "device", "clock", "created", "when", "body", "tags", "mood")
    }


def test_published_records_load_back_equal(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    first = store.publish(lambda clock: entry("one #tag", clock=clock, tags=("x",), mood=2))
    second = store.publish(lambda clock: revision(first.id, "two", clock=clock))
    third = store.publish(lambda clock: deletion(first.id, clock=clock))
    loaded = make_store(tmp_path).load()
    assert loaded.problems == []
    assert sorted(loaded.records, key=lambda r: r.id) == sorted(
        [first, second, third], key=lambda r: r.id
    )


# --- scanning ----------------------------------------------------------------------------------


def month_folder(root: Path, member: str = "sam", device: str = SAM_DEVICE) -> Path:
    return root / "members" / member / device / "2026" / "11"


def not_a_record() -> bytes:
    return b"+++\nthis would be a Problem if anyone parsed it\n"


def conflict_and_junk_names(record_id: str) -> list[str]:
    return [
        f"{TEMP_PREFIX}0123456789abcdef{TEMP_SUFFIX}",
        f"{record_id}.sync-conflict-20261121-101010-ABCDEFG.md",
        f"{record_id} (Sam's conflicted copy 2026-11-21).md",
        f"{record_id} (conflicted copy 2026-11-21 101010).md",
        f"{record_id}_conflict-20261121-101010.md",
        f"{record_id}.md~",
        f".{record_id}.md.swp",
        f"{record_id}.md.orig",
        f"{record_id.upper()}.md",
        f"{record_id}.MD",
        f"{record_id}.txt",
        "notes.md",
        "README",
        ".DS_Store",
        "desktop.ini",
    ]


def test_scanning_skips_temp_files_conflict_copies_and_backups_without_opening_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(tmp_path)
    good = entry("good", created=T0)
    good_path = place(store.root, good)
    for name in conflict_and_junk_names(good.id):
        (good_path.parent / name).write_bytes(not_a_record())
    decodes = count_decodes(monkeypatch)
    loaded = store.load()
    assert loaded.records == [good]
    assert loaded.problems == []
    assert decodes.count == 1


def test_scanning_skips_folders_with_invalid_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(tmp_path)
    good = entry("good")
    place(store.root, good)
    members = store.root / "members"
    bad_folders = [
        members / "Sam" / SAM_DEVICE / "2026" / "11",
        members / "con" / SAM_DEVICE / "2026" / "11",
        members / "sam_x" / SAM_DEVICE / "2026" / "11",
        members / "sam" / "NOT-A-DEVICE" / "2026" / "11",
        members / "sam" / SAM_DEVICE.upper() / "2026" / "11",
        members / "sam" / SAM_DEVICE / "26" / "11",
        members / "sam" / SAM_DEVICE / "2026" / "13",
        members / "sam" / SAM_DEVICE / "2026" / "1",
        members / "sam" / SAM_DEVICE / "2026" / "11.sync-conflict-20261121-101010-ABCDEFG",
        members / "sam" / SAM_DEVICE / "2026 (conflicted copy)" / "11",
        store.root / "other" / "sam" / SAM_DEVICE / "2026" / "11",
    ]
    for folder in bad_folders:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{good.id}.md").write_bytes(not_a_record())
    decodes = count_decodes(monkeypatch)
    loaded = store.load()
    assert loaded.records == [good]
    assert loaded.problems == []
    assert decodes.count == 1


def test_a_symlinked_record_file_is_not_followed(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outside = entry("lives outside the store")
    real = elsewhere / f"{outside.id}.md"
    real.write_bytes(encode_record(outside))
    good = entry("good")
    link = place(store.root, good).parent / f"{outside.id}.md"
    link.symlink_to(real)
    loaded = store.load()
    assert loaded.records == [good]
    assert all(p.path.endswith(f"{outside.id}.md") for p in loaded.problems)


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    good = entry("good", author="sam")
    place(store.root, good)
    outside = tmp_path / "outside"
    alex_outside = place(outside, entry("alex, outside", author="alex"))
    sam_outside = place(outside, entry("sam, outside", created=T0 - timedelta(days=60)))
    members = store.root / "members"
    # a member folder, a month folder and a device folder, each a symlink
    (members / "alex").symlink_to(outside / "members" / "alex", target_is_directory=True)
    (month_folder(store.root).parent / "09").symlink_to(sam_outside.parent)
    (members / "sam" / ALEX_DEVICE).symlink_to(members / "sam" / SAM_DEVICE)
    assert (members / "alex").is_dir() and alex_outside.exists()
    loaded = store.load()
    assert loaded.records == [good]
    assert loaded.problems == []


def test_a_record_claiming_another_author_is_a_problem(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    good = entry("good", author="sam")
    place(store.root, good)
    forged = entry("I am alex, honest", author="alex", device=SAM_DEVICE)
    place(store.root, forged, path=month_folder(store.root) / f"{forged.id}.md")
    loaded = store.load()
    assert loaded.records == [good]
    [problem] = loaded.problems
    assert problem.path == f"members/sam/{SAM_DEVICE}/2026/11/{forged.id}.md"
    assert "alex" in problem.reason


def test_a_record_claiming_another_device_is_a_problem(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    forged = entry("from another machine", author="sam", device=ALEX_DEVICE)
    place(store.root, forged, path=month_folder(store.root) / f"{forged.id}.md")
    loaded = store.load()
    assert loaded.records == []
    [problem] = loaded.problems
    assert ALEX_DEVICE in problem.reason


def test_a_record_whose_id_differs_from_its_file_name_is_a_problem(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    one, other = entry("one"), entry("other")
    place(store.root, one, path=month_folder(store.root) / f"{other.id}.md")
    loaded = store.load()
    assert loaded.records == []
    [problem] = loaded.problems
    assert problem.path.endswith(f"{other.id}.md")
    assert one.id in problem.reason


def test_a_file_above_the_size_limit_is_a_problem_and_never_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(tmp_path)
    big = entry("x" * MAX_RECORD_BYTES)
    path = place(store.root, big)
    assert path.stat().st_size > MAX_RECORD_BYTES
    decodes = count_decodes(monkeypatch)
    loaded = store.load()
    assert loaded.records == []
    [problem] = loaded.problems
    assert problem.path.endswith(f"{big.id}.md")
    assert "KiB" in problem.reason
    assert decodes.count == 0


def test_a_file_just_under_the_size_limit_is_read(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    probe = len(encode_record(entry("", record_id="0" * 26)))
    fits = entry("y" * (MAX_RECORD_BYTES - probe))
    assert len(encode_record(fits)) == MAX_RECORD_BYTES
    place(store.root, fits)
    assert store.load().records == [fits]


def test_malformed_files_become_problems_naming_the_file_and_good_records_survive(
    tmp_path: Path,
) -> None:
    store = make_store(tmp_path)
    goods: list[Record] = [entry(f"good {i}") for i in range(3)]
    for record in goods:
        place(store.root, record)
    folder = month_folder(store.root)
    bad_contents = {
        entry("a").id: b"no front matter at all",
        entry("b").id: b"+++\nid = \n+++\n",
        entry("c").id: b"\xff\xfe\x00garbage",
        entry("d").id: b"",
    }
    for record_id, data in bad_contents.items():
        (folder / f"{record_id}.md").write_bytes(data)
    loaded = store.load()
    assert sorted(r.id for r in loaded.records) == sorted(r.id for r in goods)
    assert sorted(p.path for p in loaded.problems) == sorted(
        f"members/sam/{SAM_DEVICE}/2026/11/{record_id}.md" for record_id in bad_contents
    )
    assert all(p.reason for p in loaded.problems)


def test_a_record_folder_that_is_a_file_is_ignored(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    good = entry("good")
    place(store.root, good)
    (store.root / "members" / "alex").write_bytes(b"not a folder")
    assert store.load().records == [good]


def test_loading_an_empty_or_missing_root_gives_nothing(tmp_path: Path) -> None:
    loaded = make_store(tmp_path).load()
    assert loaded.records == [] and loaded.problems == []


def test_record_path_of_the_store_matches_the_documented_layout(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    record = entry("x", created=datetime(2025, 12, 31, 23, 59, tzinfo=UTC))
    assert store.path_for(record) == record_path(store.root, record)
    assert store.path_for(record).parts[-3:-1] == ("2025", "12")
