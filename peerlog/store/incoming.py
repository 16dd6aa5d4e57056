"""Reading a document the user hands to `peerlog import`: a file, or standard input (`-`).

Owns the bounded read and the decoding of the JSON text (UTF-8 with or without a BOM, UTF-16
and UTF-32 as Windows tools write them). Must never write anything, and never read more than
`limit` bytes: `/dev/zero` or an endless pipe is refused, not read forever.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from peerlog.errors import StorageError, UsageError

_CHUNK = 1024 * 1024


def read_document(source: str, stdin: IO[bytes], *, limit: int, what: str, hint: str) -> Any:
    """The JSON value in `source` (a path, or `-` for `stdin`). Raises UsageError naming
    `source` for anything that is not one JSON document of at most `limit` bytes."""
    name = "standard input" if source == "-" else source
    data = _read_bounded(source, stdin, limit=limit, name=name, what=what, hint=hint)
    try:
        return json.loads(data)  # finds UTF-8 (with or without a BOM), UTF-16 and UTF-32
    except RecursionError:
        raise UsageError(f"{name} nests its JSON too deeply to be {what}.", hint=hint) from None
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{name} is not text in UTF-8, UTF-16 or UTF-32 (byte {exc.start}).", hint=hint
        ) from None
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{name} is not {what}: {exc.msg} at line {exc.lineno}, column {exc.colno}.", hint=hint
        ) from None


def _read_bounded(
    source: str, stdin: IO[bytes], *, limit: int, name: str, what: str, hint: str
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        handle: IO[bytes] = stdin if source == "-" else Path(source).open("rb")  # noqa: SIM115
        try:
            while chunk := handle.read(_CHUNK):
                if not chunks and not _may_start_json_object(chunk):
                    raise UsageError(f"{name} is not {what}: it does not start with '{{'.", hint)
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise UsageError(
                        f"{name} is larger than {limit // 2**20} MiB, the most one import reads.",
                        hint="Export a part at a time (jrnl -from … -to … --format json).",
                    )
        finally:
            if handle is not stdin:
                handle.close()
    except FileNotFoundError:
        raise UsageError(f"There is no file {name}.") from None
    except IsADirectoryError:
        raise UsageError(f"{name} is a folder, not a file.", hint=hint) from None
    except OSError as exc:
        raise StorageError(f"Could not read {name}: {exc.strerror or exc}.") from None
    if not chunks:
        raise UsageError(f"{name} is empty.", hint=hint)
    return b"".join(chunks)


def _may_start_json_object(head: bytes) -> bool:
    """Whether the first bytes can begin a JSON object in an encoding JSON allows: caught
    here, a binary file or a stream of NULs is refused after one read."""
    try:
        encoding = json.detect_encoding(head)
        text = head[:256].decode(encoding, errors="ignore")
    except LookupError:
        return False
    return text.lstrip(" \t\r\n\ufeff").startswith("{") or not text.strip(" \t\r\n\ufeff")
