"""Signatures in the codec: over the file's exact bytes less the signature line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from peerlog.records import Entry, new_record_id
from peerlog.store.codec import MalformedRecord, TamperedRecord, decode_record, encode_record
from peerlog.store.keys import create_device_key

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def signed(tmp_path: Path, body: str = "Walked.", name: str = "a.key") -> bytes:
    key = create_device_key(tmp_path / name)
    record = Entry(
        id=new_record_id(NOW),
        author="sam",
        device="kk3ipcesk4r4ehj2",
        clock=1,
        created=NOW,
        when=NOW,
        body=body,
        key=key.public,
    )
    return encode_record(record, key.sign)


def test_a_signed_record_reads_back_with_its_key(tmp_path: Path) -> None:
    data = signed(tmp_path, "Walked.\n\n+++\nnot front matter\n")
    record = decode_record(data)
    assert record.body == "Walked.\n\n+++\nnot front matter\n"
    assert len(record.key) == 43
    lines = data.decode().split("\n")
    assert lines[lines.index("+++", 1) - 1].startswith('signature = "')


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.replace(b"Walked.", b"Walkeb."),
        lambda d: d.replace(b"clock = 1", b"clock = 2"),
        lambda d: d.replace(b'author = "sam"', b'author = "ria"').replace(b"/sam/", b"/ria/"),
        lambda d: d + b"\n",
        lambda d: d.replace(b"+++\nWalked", b"+++\n\nWalked"),
    ],
)
def test_any_changed_byte_is_refused(tmp_path: Path, change: object) -> None:
    data = signed(tmp_path)
    assert callable(change)
    with pytest.raises(TamperedRecord):
        decode_record(change(data))


def test_another_key_s_signature_is_refused(tmp_path: Path) -> None:
    mine, theirs = signed(tmp_path), signed(tmp_path, name="b.key")
    their_key = next(line for line in theirs.split(b"\n") if line.startswith(b"key = "))
    my_key = next(line for line in mine.split(b"\n") if line.startswith(b"key = "))
    with pytest.raises(TamperedRecord):
        decode_record(mine.replace(my_key, their_key))


def test_a_key_without_a_signature_or_a_misplaced_signature_is_refused(tmp_path: Path) -> None:
    data = signed(tmp_path)
    lines = data.split(b"\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(b"signature = "))
    without = b"\n".join(lines[:at] + lines[at + 1 :])
    with pytest.raises(TamperedRecord):
        decode_record(without)
    moved = b"\n".join([lines[0], lines[at], *lines[1:at], *lines[at + 1 :]])
    with pytest.raises(MalformedRecord, match="last line"):
        decode_record(moved)


def test_a_key_of_the_wrong_shape_is_malformed(tmp_path: Path) -> None:
    data = signed(tmp_path)
    key_line = next(line for line in data.split(b"\n") if line.startswith(b"key = "))
    with pytest.raises(MalformedRecord):
        decode_record(data.replace(key_line, b'key = "short"'))
