"""A backup's record files read back from disk (`file_of`): exact bytes, or nothing at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from unit_support import entry, make_store, place

from peerlog.records import Entry
from peerlog.store import RecordStore
from peerlog.store.restore import file_of
from peerlog.store.scan import MAX_RECORD_BYTES


def _placed(tmp_path: Path, body: str = "A day.") -> tuple[RecordStore, Entry, str]:
    store = make_store(tmp_path)
    record = entry(body)
    path = place(store.root, record)
    return store, record, path.relative_to(store.root).as_posix()


def test_the_file_of_a_record_is_its_exact_bytes(tmp_path: Path) -> None:
    store, record, path = _placed(tmp_path, "Crossed out 'id = \"x\"' and then\r\nmore.")
    on_disk = (store.root / path).read_bytes()
    assert file_of(store, path, record) == on_disk
    assert file_of(store, path, record, {}) == on_disk  # with folders remembered: the same


def test_a_file_that_names_another_record_is_not_its_file(tmp_path: Path) -> None:
    store, record, path = _placed(tmp_path)
    other = entry("Someone else's day.", author="alex")
    (store.root / path).write_bytes(place(tmp_path / "x", other).read_bytes())
    assert file_of(store, path, record) is None


def test_names_count_only_in_the_front_matter(tmp_path: Path) -> None:
    store, record, path = _placed(tmp_path)
    other = entry("Another.", author="alex")
    crafted = place(tmp_path / "x", other).read_bytes() + (
        f'\nid = "{record.id}"\nauthor = "sam"\ndevice = "{record.device}"\n'.encode()
    )
    (store.root / path).write_bytes(crafted)
    assert file_of(store, path, record) is None
    # with no end to its front matter, the whole file is its front matter (as before)
    (store.root / path).write_bytes(
        f'x\nid = "{record.id}"\nauthor = "sam"\ndevice = "{record.device}"'.encode()
    )
    assert file_of(store, path, record) is not None


def test_a_missing_or_oversized_file_is_no_file(tmp_path: Path) -> None:
    store, record, path = _placed(tmp_path)
    on_disk = (store.root / path).read_bytes()
    (store.root / path).write_bytes(on_disk + b"x" * (MAX_RECORD_BYTES + 1 - len(on_disk)))
    assert file_of(store, path, record) is None
    (store.root / path).write_bytes(on_disk + b"x" * (MAX_RECORD_BYTES - len(on_disk)))
    assert file_of(store, path, record) is not None  # the largest file a record may be
    (store.root / path).unlink()
    assert file_of(store, path, record) is None


def test_a_link_is_never_followed(tmp_path: Path) -> None:
    store, record, path = _placed(tmp_path)
    real = store.root / path
    moved = tmp_path / "elsewhere.md"
    moved.write_bytes(real.read_bytes())
    real.unlink()
    real.symlink_to(moved)
    assert file_of(store, path, record) is None


@pytest.mark.parametrize("remembered", [False, True])
def test_a_folder_on_the_way_that_is_a_link_is_never_followed(
    tmp_path: Path, remembered: bool
) -> None:
    store, record, path = _placed(tmp_path)
    month = (store.root / path).parent
    moved = tmp_path / "month"
    month.rename(moved)
    month.symlink_to(moved, target_is_directory=True)
    linked: dict[str, bool] = {}
    assert file_of(store, path, record, linked) is None
    if remembered:  # the folder is judged once, then remembered
        assert linked == {path.rpartition("/")[0]: True}
        assert file_of(store, path, record, linked) is None
