"""Record types: the immutable facts peerlog stores, one file each.

Owns the frozen dataclasses for every record type, their validation, and the rules for ids, member
ids and tags. Pure: no I/O, no clock reads, no Rich, no Typer. Storage (how a record becomes a
file) lives in `peerlog.store`; what records add up to lives in `peerlog.fold`.
"""

from peerlog.records.ids import is_record_id, new_record_id
from peerlog.records.model import (
    FORMAT,
    Deletion,
    Entry,
    Profile,
    Record,
    Reply,
    Revision,
    UnknownRecord,
    record_from_fields,
    record_to_fields,
)
from peerlog.records.names import check_member_id, is_device_id, is_member_id, new_device_id
from peerlog.records.tags import check_tag, inline_tags, tag_key

__all__ = [
    "FORMAT",
    "Deletion",
    "Entry",
    "Profile",
    "Record",
    "Reply",
    "Revision",
    "UnknownRecord",
    "check_member_id",
    "check_tag",
    "inline_tags",
    "is_device_id",
    "is_member_id",
    "is_record_id",
    "new_device_id",
    "new_record_id",
    "record_from_fields",
    "record_to_fields",
    "tag_key",
]
