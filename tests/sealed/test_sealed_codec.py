"""The sealed record format: what is visible, what is bound to what, and that every damaged or
hostile variant is refused with a reason, never a crash."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from peerlog.records import Entry
from peerlog.records.ids import new_record_id
from peerlog.store.codec import (
    MalformedRecord,
    SealedRecord,
    TamperedRecord,
    Undecryptable,
    decode_record,
    encode_record,
)
from peerlog.store.keys import DeviceKey, create_device_key
from peerlog.store.seal import Seal, new_key

WHEN = datetime(2026, 11, 21, 10, 15, tzinfo=UTC)
EPOCH = new_record_id(WHEN)


@pytest.fixture
def signer(tmp_path: Path) -> DeviceKey:
    return create_device_key(tmp_path / "device.key")


def entry(signer: DeviceKey, text: str = "How I slept, in words nobody else reads") -> Entry:
    record = Entry(
        id=new_record_id(WHEN),
        author="sam",
        device="kk3ipcesk4r4ehj2",
        clock=1795253705000,
        created=WHEN,
        when=WHEN,
        tags=("sleep",),
        mood=2,
        body=text,
    )
    return replace(record, key=signer.public)


def resign(data: bytes, signer: DeviceKey) -> bytes:
    """The file with its signature made again over its (changed) bytes, as its device would."""
    text = data.decode()
    head, _, rest = text.rpartition('signature = "')
    unsigned = (head + rest.split("\n", 1)[1]).encode()
    return f'{head}signature = "{signer.sign(unsigned)}"\n{rest.split(chr(10), 1)[1]}'.encode()


def test_only_the_envelope_is_visible_and_it_opens_again(signer: DeviceKey) -> None:
    seal = Seal(new_key(), keys={EPOCH: new_key()})
    record = entry(signer)
    data = encode_record(record, signer.sign, seal)
    text = data.decode()
    for hidden in ("slept", "sleep", "mood", "entry", "created", "date", "tags"):
        assert hidden not in text
    front = text.split("+++\n")[1].splitlines()
    assert [line.split(" = ")[0] for line in front] == [
        "format", "id", "author", "device", "clock", "key", "epoch", "sealed", "signature",
    ]  # fmt: skip
    assert decode_record(data, seal) == record
    with pytest.raises(SealedRecord):
        decode_record(data)
    with pytest.raises(SealedRecord):
        decode_record(data, Seal(new_key(), keys={new_record_id(WHEN): new_key()}))
    with pytest.raises(Undecryptable):
        decode_record(data, Seal(new_key(), keys={EPOCH: new_key()}))


@pytest.mark.parametrize(
    ("old", "new"),
    [("clock = 1795253705000", "clock = 1795253705001"), ('author = "sam"', 'author = "ben"')],
)
def test_a_visible_field_changed_and_signed_again_does_not_open(
    signer: DeviceKey, old: str, new: str
) -> None:
    seal = Seal(new_key(), keys={EPOCH: new_key()})
    data = encode_record(entry(signer), signer.sign, seal)
    changed = resign(data.decode().replace(old, new).encode(), signer)
    with pytest.raises(Undecryptable):
        decode_record(changed, seal)
    unsigned = data.decode().replace(old, new).encode()  # without signing again: tampered
    with pytest.raises(TamperedRecord):
        decode_record(unsigned, seal)


def test_sealed_contents_moved_to_another_envelope_do_not_open(signer: DeviceKey) -> None:
    seal = Seal(new_key(), keys={EPOCH: new_key()})
    first = encode_record(entry(signer, "first"), signer.sign, seal).decode()
    second = encode_record(entry(signer, "second"), signer.sign, seal).decode()
    blob = first.split('sealed = "')[1].split('"')[0]
    target = second.split('sealed = "')[1].split('"')[0]
    moved = resign(second.replace(target, blob).encode(), signer)
    with pytest.raises(Undecryptable):
        decode_record(moved, seal)


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t.replace('sealed = "', 'sealed = "!!'),
        lambda t: t.replace('sealed = "', 'sealed = "AAAA'),
        lambda t: t + "a body after a sealed record\n",
        lambda t: t.replace('epoch = "', 'epoch = "x'),
        lambda t: t.replace("\nkey = ", "\nkeyx = "),
    ],
)
def test_damaged_sealed_files_are_refused_with_a_reason(
    signer: DeviceKey, damage: Callable[[str], str]
) -> None:
    seal = Seal(new_key(), keys={EPOCH: new_key()})
    text = encode_record(entry(signer), signer.sign, seal).decode()
    for data in (damage(text).encode(), resign(damage(text).encode(), signer)):
        with pytest.raises(MalformedRecord) as caught:
            decode_record(data, seal)
        assert str(caught.value)


def test_a_sealed_record_with_no_signature_is_refused(signer: DeviceKey) -> None:
    seal = Seal(new_key(), keys={EPOCH: new_key()})
    data = encode_record(entry(signer), None, seal)
    with pytest.raises(MalformedRecord, match="no signature"):
        decode_record(data, seal)


def test_text_that_looks_like_a_sealed_envelope_stays_text(signer: DeviceKey) -> None:
    body = 'Notes:\nepoch = "01m7y9k2q8c4v0yd3q3n5kd0ab"\nsealed = "AAAA"\n'
    record = entry(signer, body)
    for seal in (None, Seal(new_key(), keys={EPOCH: new_key()})):
        assert decode_record(encode_record(record, signer.sign), seal).body == body
