"""The record file format: Markdown with TOML front matter between `+++` lines.

    +++
    format = 1
    id = "01jd…"
    type = "entry"
    …
    +++
    The body, exactly as written.

Owns encoding and decoding only; never touches files. The body is kept byte for byte: decoding
what `encode_record` produced gives back an equal record.
"""

from __future__ import annotations

import tomllib

from peerlog.records import Record, record_from_fields, record_to_fields
from peerlog.records.model import InvalidRecord

FENCE = "+++"


class MalformedRecord(ValueError):
    """A file that is not a readable record; the message says why, in plain words."""


def encode_record(record: Record) -> bytes:
    """The bytes of the file for `record`."""
    import tomli_w  # only the paths that write pay for it

    front = tomli_w.dumps(record_to_fields(record))
    return f"{FENCE}\n{front}{FENCE}\n{record.body}".encode()


def split_front_matter(text: str) -> tuple[str, str]:
    """Split a record's text into (front matter, body)."""
    if not text.startswith(FENCE + "\n"):
        raise MalformedRecord("it does not start with a '+++' front-matter line")
    end = text.find("\n" + FENCE + "\n", len(FENCE))
    if end == -1:
        if text.endswith("\n" + FENCE):
            end = len(text) - len(FENCE) - 1
        else:
            raise MalformedRecord("its front matter has no closing '+++' line")
    front = text[len(FENCE) + 1 : end + 1]
    body = text[end + len(FENCE) + 2 :]
    return front, body


def decode_record(data: bytes) -> Record:
    """Parse and validate a record file's bytes. Raises MalformedRecord."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRecord(f"it is not valid UTF-8 text (byte {exc.start})") from None
    front, body = split_front_matter(text)
    try:
        fields = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        raise MalformedRecord(f"its front matter is not valid TOML ({exc})") from None
    except RecursionError:
        raise MalformedRecord("its front matter is nested too deeply") from None
    try:
        return record_from_fields(fields, body)
    except InvalidRecord as exc:
        raise MalformedRecord(f"its front matter is not a valid record: {exc}") from None
