"""Storage: the only code that touches files.

Owns paths, the record file format, atomic create-only publishing, tolerant scanning and the
index (store/index.py). Knows nothing of Rich or Typer and never decides what records mean
(that is `fold`).
"""

from peerlog.store.codec import MalformedRecord, decode_record, encode_record
from peerlog.store.home import Home, Identity, initialise, load_identity, resolve_home
from peerlog.store.record_store import RecordStore
from peerlog.store.scan import Problem

__all__ = [
    "Home",
    "Identity",
    "MalformedRecord",
    "Problem",
    "RecordStore",
    "decode_record",
    "encode_record",
    "initialise",
    "load_identity",
    "resolve_home",
]
