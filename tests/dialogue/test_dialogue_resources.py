"""The shared library of what helped: newest first, who it helped per member, never ranked."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from dialogue_support import FIXED_NOW, Person, Script, of_type, path_of, records_under

from peerlog.fold.resources import fold_resources
from peerlog.records.dialogue import Helped, Resource
from peerlog.store import decode_record

KEYS = {"id", "author", "standing", "created", "space", "title", "url", "tags", "note", "helped_by"}


def at(minute: int) -> datetime:
    return FIXED_NOW + timedelta(minutes=minute)


def test_add_in_a_space_writes_one_record_in_my_device_folder(
    duo: tuple[Person, Person], shared: Path
) -> None:
    sam, _ = duo
    result = sam.ok(
        "resource",
        "add",
        "Box   breathing",
        "--url",
        "https://example.org/box",
        "--note",
        "4 in, 4 hold, 4 out, 4 hold",
        "--tag",
        "coping",
        "--tag",
        "#Breath",
        "--space",
        "pair",
    )
    assert "in space pair" in result.stdout
    [record] = of_type(shared, Resource)
    assert path_of(shared, record.id).is_relative_to(sam.device_folder(shared))
    assert record.title == "Box breathing"  # white space folded
    assert record.url == "https://example.org/box"
    assert record.body == "4 in, 4 hold, 4 out, 4 hold"
    assert record.tags == ("coping", "Breath")
    assert of_type(sam.journal_folder(), Resource) == []

    [listed] = sam.json("resource", "list", "--space", "pair")
    assert set(listed) == KEYS
    assert listed == {
        "id": record.id,
        "author": "sam",
        "standing": None,
        "created": record.created.isoformat(),
        "space": "pair",
        "title": "Box breathing",
        "url": "https://example.org/box",
        "tags": ["coping", "Breath"],
        "note": "4 in, 4 hold, 4 out, 4 hold",
        "helped_by": [],
    }


def test_private_resource_stays_home(duo: tuple[Person, Person], shared: Path) -> None:
    sam, _ = duo
    resource = sam.resource("Warm bath")
    assert of_type(shared, Resource) == []
    [record] = of_type(sam.journal_folder(), Resource)
    assert record.id == resource
    assert [r["id"] for r in sam.json("resource", "list")] == [resource]
    assert sam.json("resource", "list", "--space", "pair") == []


def test_list_is_newest_first_and_filters_by_tag(duo: tuple[Person, Person]) -> None:
    sam, alex = duo
    first = sam.resource("Box breathing", "--tag", "coping", "--space", "pair", now=at(1))
    second = alex.resource("A podcast", "--tag", "sleep", "--space", "pair", now=at(2))
    third = sam.resource(
        "Cold water", "--tag", "Coping", "--tag", "body", "--space", "pair", now=at(3)
    )

    for person in (sam, alex):
        listed = person.json("resource", "list", "--space", "pair")
        assert [r["id"] for r in listed] == [third, second, first]
    coping = sam.json("resource", "list", "--space", "pair", "--tag", "coping")
    assert [r["id"] for r in coping] == [third, first]
    both = sam.json("resource", "list", "--space", "pair", "--tag", "#coping", "--tag", "body")
    assert [r["id"] for r in both] == [third]
    assert sam.json("resource", "list", "--space", "pair", "--tag", "nothing") == []

    human = sam.ok("resource", "list", "--space", "pair").stdout
    assert human.index("Cold water") < human.index("A podcast") < human.index("Box breathing")
    assert "#coping" in human


def test_helped_by_each_member_never_reorders_the_list(
    duo: tuple[Person, Person], shared: Path
) -> None:
    sam, alex = duo
    old = sam.resource("Box breathing", "--space", "pair", now=at(1))
    new = alex.resource("Walk at lunch", "--space", "pair", now=at(2))

    assert "helped you" in alex.ok("resource", "helped", old[:10], now=at(3)).stdout
    sam.ok("resource", "helped", old, now=at(4))

    listed = sam.json("resource", "list", "--space", "pair")
    assert [r["id"] for r in listed] == [new, old]  # by time, not by how many it helped
    assert listed[1]["helped_by"] == ["alex", "sam"]
    assert listed[0]["helped_by"] == []

    marks = of_type(shared, Helped)
    assert sorted((m.author, m.target) for m in marks) == [("alex", old), ("sam", old)]
    for mark in marks:
        person = sam if mark.author == "sam" else alex
        assert path_of(shared, mark.id).is_relative_to(person.device_folder(shared))

    human = alex.ok("resource", "list", "--space", "pair").stdout
    assert "\n  helped: Alex, Sam\n" in human  # under the resource, indented as its other lines


def test_marking_twice_saves_nothing(duo: tuple[Person, Person], shared: Path) -> None:
    sam, alex = duo
    resource = sam.resource("Box breathing", "--space", "pair", now=at(1))
    alex.ok("resource", "helped", resource, now=at(2))
    before = records_under(shared)

    again = alex("resource", "helped", resource, now=at(3))

    assert again.exit_code == 1, (again.stdout, again.stderr)
    assert "already marked" in again.stderr
    assert records_under(shared) == before


def test_helped_with_an_unknown_id_is_not_found(duo: tuple[Person, Person], shared: Path) -> None:
    sam, _ = duo
    sam.resource("Box breathing", "--space", "pair")
    result = sam("resource", "helped", "zzzzzz")
    assert result.exit_code == 4, (result.stdout, result.stderr)
    assert of_type(shared, Helped) == []


def test_bad_resources_are_refused(duo: tuple[Person, Person], shared: Path) -> None:
    sam, _ = duo
    for args in (
        ("   ",),
        ("x" * 201,),
        ("ok", "--tag", "not a tag!"),
        ("ok", "--url", "u" * 2001),
    ):
        result = sam("resource", "add", *args, "--space", "pair")
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
    assert of_type(shared, Resource) == []


def test_list_all_is_newest_first_across_journal_and_spaces(duo: tuple[Person, Person]) -> None:
    """Each store has its own logical clock; `--all` must still be newest first."""
    sam, _ = duo
    first = sam.resource("Shared one", "--space", "pair", now=at(1))
    second = sam.resource("Shared two", "--space", "pair", now=at(2))
    private = sam.resource("Mine", now=at(3))
    assert [r["id"] for r in sam.json("resource", "list", "--all")] == [private, second, first]


def test_a_resource_from_a_member_who_has_not_read_lately_is_still_newest(
    duo: tuple[Person, Person],
) -> None:
    """Alex's device last read the space before Sam added three; Alex's is the newest."""
    sam, alex = duo
    sams = [sam.resource(f"Sam's {n}", "--space", "pair", now=at(n)) for n in (1, 2, 3)]
    alexs = alex.resource("Alex's", "--space", "pair", now=at(4))
    listed = sam.json("resource", "list", "--space", "pair")
    assert [r["id"] for r in listed] == [alexs, *reversed(sams)]


# --- the pure fold ------------------------------------------------------------------------------


def test_fold_resources_never_ranks_and_honours_the_authors_deletion() -> None:
    script = Script()
    a = script.resource("sam", "A", tags=("coping",))
    b = script.resource("alex", "B")
    for member in ("sam", "alex", "kim", "kim"):  # kim twice: counted once
        script.helped(member, a)
    views = fold_resources(script.records, "pair")
    assert [v.id for v in views] == [b.id, a.id]
    assert views[1].helped_by == ("alex", "kim", "sam")
    assert views[0].helped_by == ()

    script.delete("kim", a)  # not kim's to delete
    assert [v.id for v in fold_resources(script.records)] == [b.id, a.id]
    script.delete("sam", a)
    assert [v.id for v in fold_resources(reversed(script.records))] == [b.id]


def test_stored_resource_decodes_exactly(duo: tuple[Person, Person], shared: Path) -> None:
    sam, _ = duo
    resource = sam.resource("Tea", "--note", "line one\n\nline two", "--space", "pair")
    record = decode_record(path_of(shared, resource).read_bytes())
    assert isinstance(record, Resource)
    assert record.body == "line one\n\nline two"
