"""Encrypting an existing private journal: every record rewritten sealed, all or nothing.

The one place peerlog rewrites records it published, and only in the private journal (never
in a space): each record is written again, sealed and signed by this device, into a staging
tree beside the journal (`.journal-sealing`); the staging tree is read back and compared,
record by record, with what was read; only then is the new key file put in place and the
trees swapped (`journal` becomes `.journal-plain`, the staging tree becomes `journal`), and the
plain tree removed. A crash before the swap leaves the plain journal as it was (and the
staging tree, removed by the next try); after it, the sealed one. Never prints.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from peerlog.errors import StorageError
from peerlog.records import Record, record_to_fields
from peerlog.store.codec import encode_record
from peerlog.store.keys import DeviceKey
from peerlog.store.publish import publish_new
from peerlog.store.scan import read_tree
from peerlog.store.seal import Seal

STAGING = ".journal-sealing"
OLD = ".journal-plain"


def _same(a: Record, b: Record) -> bool:
    first, second = record_to_fields(a), record_to_fields(b)
    first.pop("key", None), second.pop("key", None)
    return (first, a.body) == (second, b.body)


def reseal_journal(
    journal: Path,
    records: Sequence[Record],
    path_for: dict[str, Path],
    *,
    within: Path,
    signer: DeviceKey,
    seal: Seal,
    key_file: tuple[Path, Path],
) -> None:
    """Rewrite `records` of `journal` sealed with `seal`; `path_for` maps each id to its place
    under `journal`; `key_file` is (the new journal key, where it goes) once all is checked."""
    staging, old = journal.parent / STAGING, journal.parent / OLD
    shutil.rmtree(staging, ignore_errors=True)  # left by a crash before the swap
    try:
        for record in records:
            resigned = replace(record, key=signer.public)
            data = encode_record(resigned, signer.sign, seal)
            target = staging / path_for[record.id].relative_to(journal)
            publish_new(target, data, within=within, file_mode=0o600, dir_mode=0o700)
        back, problems = read_tree(staging, seal=seal)
        by_id = {r.id: r for r in back}
        if problems or len(back) != len(records):
            raise StorageError("The sealed copy of the journal did not read back whole.")
        for record in records:
            if record.id not in by_id or not _same(record, by_id[record.id]):
                raise StorageError(f"The sealed copy of record {record.id} did not read back.")
        os.replace(*key_file)
        shutil.rmtree(old, ignore_errors=True)
        if journal.exists():
            os.replace(journal, old)
        os.replace(staging, journal)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise StorageError(f"Could not encrypt the journal: {exc}. Nothing was changed.") from None
    except StorageError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
