"""Builders shared by the unit tests: valid records, record files on disk, a decode counter.

Plain functions (not fixtures) so hypothesis strategies can use them too.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from disk_time import age_tree
from peerlog.records import Deletion, Entry, Record, Revision, new_record_id
from peerlog.store import RecordStore, codec
from peerlog.store import scan as scan_module
from peerlog.store.codec import encode_record

T0 = datetime(2026, 11, 21, 10, 15, tzinfo=UTC)
SAM_DEVICE = "aaaaaaaaaaaaaaaa"
ALEX_DEVICE = "bbbbbbbbbbbbbbbb"
KIM_DEVICE = "cccccccccccccccc"
DEVICES = {"sam": SAM_DEVICE, "alex": ALEX_DEVICE, "kim": KIM_DEVICE}

_serial = itertools.count(1)


def fresh_id(at: datetime = T0) -> str:
    """A valid record id, different on every call, sorting by `at`."""
    return new_record_id(at, next(_serial).to_bytes(10, "big"))


def entry(
    body: str = "A day.",
    *,
    author: str = "sam",
    device: str | None = None,
    clock: int = 1,
    record_id: str | None = None,
    created: datetime = T0,
    when: datetime | None = None,
    tags: tuple[str, ...] = (),
    mood: int | None = None,
    extra: dict[str, Any] | None = None,
) -> Entry:
    return Entry(
        id=record_id or fresh_id(created),
        author=author,
        device=device or DEVICES.get(author, SAM_DEVICE),
        clock=clock,
        created=created,
        when=when or created,
        body=body,
        tags=tags,
        mood=mood,
        extra=extra or {},
    )


def revision(
    target: Entry | str,
    body: str = "A better day.",
    *,
    author: str = "sam",
    device: str | None = None,
    clock: int = 2,
    record_id: str | None = None,
    created: datetime = T0,
    tags: tuple[str, ...] = (),
    mood: int | None = None,
) -> Revision:
    return Revision(
        id=record_id or fresh_id(created),
        author=author,
        device=device or DEVICES.get(author, SAM_DEVICE),
        clock=clock,
        created=created,
        target=target if isinstance(target, str) else target.id,
        body=body,
        tags=tags,
        mood=mood,
    )


def deletion(
    target: Entry | str,
    *,
    author: str = "sam",
    device: str | None = None,
    clock: int = 3,
    record_id: str | None = None,
    created: datetime = T0,
) -> Deletion:
    return Deletion(
        id=record_id or fresh_id(created),
        author=author,
        device=device or DEVICES.get(author, SAM_DEVICE),
        clock=clock,
        created=created,
        target=target if isinstance(target, str) else target.id,
    )


def record_path(root: Path, record: Record) -> Path:
    """Where a record belongs under a record root (DESIGN §2.1)."""
    created = record.created.astimezone(UTC)
    return (
        root
        / "members"
        / record.author
        / record.device
        / f"{created.year:04d}"
        / f"{created.month:02d}"
        / f"{record.id}.md"
    )


def place(root: Path, record: Record, *, path: Path | None = None) -> Path:
    """Write a record file directly (no publish, no clock): how a synced file arrives."""
    target = path or record_path(root, record)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(encode_record(record))
    return target


def many_entries(count: int, *, start: datetime = T0, author: str = "sam") -> list[Entry]:
    """`count` entries, one an hour back from `start`, with clocks 1..count."""
    return [
        entry(
            f"Entry number {i}.",
            author=author,
            clock=i + 1,
            created=start - timedelta(hours=i),
        )
        for i in range(count)
    ]


@dataclass
class DecodeCounter:
    """Counts calls to `decode_record` made while scanning (patched where scan looks it up)."""

    calls: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.calls)

    def reset(self) -> None:
        self.calls.clear()


def count_decodes(monkeypatch: pytest.MonkeyPatch) -> DecodeCounter:
    counter = DecodeCounter()
    real: Callable[[bytes], Record] = codec.decode_record

    def counting(data: bytes) -> Record:
        counter.calls.append(len(data))
        return real(data)

    monkeypatch.setattr(scan_module, "decode_record", counting)
    return counter


def make_store(tmp_path: Path) -> RecordStore:
    """A fresh store object each time, as each command run makes one."""
    return RecordStore(tmp_path / "root", tmp_path / "cache", private=True)


def settled_root(tmp_path: Path) -> tuple[Path, list[Record]]:
    """A record root under `tmp_path` with 40 records over two months, settled on disk."""
    records: list[Record] = [*many_entries(20), *many_entries(20, start=T0.replace(month=9))]
    for record in records:
        place(tmp_path / "root", record)
    age_tree(tmp_path / "root")
    return tmp_path, records
