"""How a record becomes a row of the index (store/index.py), and a row the same record again.

A row keeps a record's own fields as JSON (its `extra`, unknown keys of any TOML type, in a
tagged form) and is built back by the record's own class, so reading the index never parses a
file's TOML again. Rows are written only from records a file gave; a row that does not build is
damage (`IndexDamaged`), and the index is rebuilt. Pure: no I/O, no SQL.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from datetime import time as clock_time
from typing import Any

from peerlog.records import Record, UnknownRecord, is_record_id
from peerlog.records.tags import folded, inline_tags, merge_tags

COLUMNS = "type, known, fields, body"  # what `records_of` builds a record back from
TEXT_TYPES = ("entry", "revision")  # the records whose text `search` looks in
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class IndexDamaged(Exception):
    """The database holds something a scan would never have written: it is rebuilt."""


def micros(moment: datetime) -> int:
    """A moment as whole microseconds since 1970 (UTC): the `at` column, sortable as instants."""
    return (moment - _EPOCH) // _MICROSECOND


_MICROSECOND = datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=UTC) - _EPOCH


def _refers(record: Record) -> str | None:
    """The id of the record this one is about (a revision's entry, a log's goal), if any."""
    for name in ("goal", "target"):
        value = getattr(record, name, None)
        if isinstance(value, str) and is_record_id(value):
            return value
    return None


def _tagged(value: Any) -> Any:
    """TOML values as JSON: dates and times become one-key tables {"dt": …}, {"d": …},
    {"t": …}, and every key of a real table is written with a "k" before it."""
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, clock_time):
        return {"t": value.isoformat()}
    if isinstance(value, dict):
        return {"k" + k: _tagged(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_tagged(v) for v in value]
    return value


_UNTAG = {"dt": datetime.fromisoformat, "d": date.fromisoformat, "t": clock_time.fromisoformat}


def _untagged(value: Any) -> Any:
    """What `_tagged` made, as TOML values again."""
    if isinstance(value, list):
        return [_untagged(v) for v in value]
    if not isinstance(value, dict):
        return value
    if all(key[:1] == "k" for key in value):
        return {key[1:]: _untagged(item) for key, item in value.items()}
    if len(value) == 1:
        ((tag, item),) = value.items()
        if tag in _UNTAG and isinstance(item, str):
            return _UNTAG[tag](item)
    raise IndexDamaged("a table the index never writes")


def _isoformat(value: Any) -> str:
    """What JSON cannot hold of a record's own fields: its times, as ISO text (tuples are
    written as lists by the encoder itself)."""
    if isinstance(value, datetime | date | clock_time):
        return value.isoformat()
    raise TypeError(f"a {type(value).__name__} in a record's fields")


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_isoformat)


def _row_fields(record: Record) -> str:
    """The JSON of a record's fields for the `fields` column (its body has a column of its own)."""
    kept = {name: getattr(record, name) for name in _plan(type(record))[0] if name != "body"}
    kept["extra"] = _tagged(dict(record.extra)) if record.extra else None
    return _ENCODER.encode(kept)


# Per class: its field names, and (field, function rebuilding it from JSON) for each field that
# JSON cannot hold as is.
_PLANS: dict[type[Record], tuple[tuple[str, ...], tuple[tuple[str, Any], ...]]] = {}


def _plan(cls: type[Record]) -> tuple[tuple[str, ...], tuple[tuple[str, Any], ...]]:
    plan = _PLANS.get(cls)
    if plan is None:
        import dataclasses

        fields = dataclasses.fields(cls)
        rebuild: list[tuple[str, Any]] = []
        for f in fields:
            kind = str(f.type)
            if "datetime" in kind:  # None stays None (records_of)
                rebuild.append((f.name, datetime.fromisoformat))
            elif kind.startswith("date"):
                rebuild.append((f.name, date.fromisoformat))
            elif kind.startswith("tuple"):
                rebuild.append((f.name, tuple))
        plan = _PLANS[cls] = (tuple(f.name for f in fields), tuple(rebuild))
    return plan


def _type_named(type_name: str) -> type[Record]:
    """The class of a row's type ("" for an unknown one): the modules of goals, check-ins and
    membership load only when a row needs them (4 ms that listing entries never pays)."""
    from peerlog.records.model import _TYPES, _extension_type

    cls = _TYPES.get(type_name) if type_name else UnknownRecord
    cls = cls or _extension_type(type_name)
    if cls is None:
        raise KeyError(type_name)
    return cls


def records_of(rows: list[tuple[str, int, str, str]]) -> list[Record]:
    """Rows back into their records (their fields decoded by one JSON call)."""
    try:
        every = json.loads("[" + ",".join(row[2] for row in rows) + "]")
        built = []
        plans: dict[tuple[str, int], tuple[type[Record], tuple[tuple[str, Any], ...]]] = {}
        for (type_name, known, _, body), kept in zip(rows, every, strict=True):
            plan = plans.get((type_name, known))
            if plan is None:
                cls = _type_named(type_name if known else "")
                plan = plans[(type_name, known)] = (cls, _plan(cls)[1])
            cls, rebuilds = plan
            for name, rebuild in rebuilds:
                value = kept[name]
                if value is not None:
                    kept[name] = rebuild(value)
            extra = kept["extra"]
            kept["extra"] = _untagged(extra) if extra else {}
            built.append(cls(body=body, **kept))
        return built
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise IndexDamaged(str(exc)) from None


def row_of(record: Record) -> tuple[tuple[object, ...], tuple[str, ...], str | None]:
    """(id, type, known, author, clock, at, refers, fields, body) of a record's row, and for
    an entry or a revision, its tags (given, and #inline) and the text `search` looks in: its
    text and tags, folded (else no tags, and None)."""
    moment = getattr(record, "when", None)
    at = micros(moment if isinstance(moment, datetime) else record.created)
    row = (
        record.id,
        record.type,
        not isinstance(record, UnknownRecord),
        record.author,
        record.clock,
        at,
        _refers(record),
        _row_fields(record),
        record.body,
    )
    tags: tuple[str, ...] = ()
    text = None
    if record.type in TEXT_TYPES:
        tags = merge_tags(getattr(record, "tags", ()), inline_tags(record.body))
        text = folded(record.body + "\n" + " ".join(tags))
    return row, tags, text
