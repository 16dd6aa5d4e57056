"""Property: 10 KB of arbitrary Unicode in a check-in comes back exactly, on disk and in JSON."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from dialogue_support import Person, of_type, path_of, saved
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerlog.records.dialogue import ITEM_MAX, Checkin
from peerlog.store import decode_record

# Any code point but surrogates (UTF-8 cannot carry them); no white space at either end, so the
# stored text must be exactly the input.
_char = st.characters(exclude_categories=["Cs"])
_edge = _char.filter(lambda c: not c.isspace())


def _piece(size: int) -> st.SearchStrategy[str]:
    """`size` characters: a random seed text tiled to fill, between two non-space characters."""
    return st.tuples(_edge, st.text(_char, min_size=1, max_size=120), _edge).map(
        lambda parts: parts[0] + (parts[1] * (size // len(parts[1]) + 1))[: size - 2] + parts[2]
    )


# Five items of exactly the item limit: 10,000 characters, at least 10 KB of UTF-8.
items = st.lists(_piece(ITEM_MAX), min_size=5, max_size=5)

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def scratch() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="peerlog-dialogue-rt-", dir=_SCRATCH)


@SETTINGS
@given(pieces=items)
def test_a_10kb_note_round_trips_exactly(pieces: list[str]) -> None:
    note = "".join(pieces)
    assert len(note) == 10_000 and len(note.encode()) >= 10_000
    with scratch() as folder:
        sam = Person(Path(folder) / "machine-sam", "Sam", "sam")

        checkin_id = saved(sam("checkin", "--note", note, tty=True), "check-in")

        record = decode_record(path_of(sam.journal_folder(), checkin_id).read_bytes())
        assert isinstance(record, Checkin)
        assert record.body == note
        assert sam.json("show", checkin_id)["note"] == note
        [listed] = sam.json("checkins")
        assert listed["note"] == note


@SETTINGS
@given(pieces=items)
def test_items_up_to_the_limit_round_trip_exactly(pieces: list[str]) -> None:
    with scratch() as folder:
        sam = Person(Path(folder) / "machine-sam", "Sam", "sam")
        args: list[str] = []
        for piece in pieces[:3]:
            args += ["--win", piece]
        args += ["--struggle", pieces[3], "--need", pieces[4], "--offer", pieces[0]]

        checkin_id = saved(sam("checkin", *args), "check-in")

        [record] = of_type(sam.journal_folder(), Checkin)
        assert record.id == checkin_id
        assert record.wins == tuple(pieces[:3])
        assert record.struggles == (pieces[3],)
        assert (record.need, record.offer) == (pieces[4], pieces[0])
        for shown in (sam.json("show", checkin_id), sam.json("checkins")[0]):
            assert shown["wins"] == pieces[:3]
            assert shown["struggles"] == [pieces[3]]
            assert (shown["need"], shown["offer"]) == (pieces[4], pieces[0])


@SETTINGS
@given(pieces=st.lists(_piece(ITEM_MAX), min_size=1, max_size=1))
def test_one_character_over_the_limit_saves_nothing(pieces: list[str]) -> None:
    with scratch() as folder:
        sam = Person(Path(folder) / "machine-sam", "Sam", "sam")
        result = sam("checkin", "--win", pieces[0] + "x")
        assert result.exit_code == 2, (result.stdout, result.stderr)
        assert of_type(sam.journal_folder(), Checkin) == []
