"""The record file format: Markdown with TOML front matter between `+++` lines.

    +++
    format = 1
    id = "01jd…"
    type = "entry"
    …
    +++
    The body, exactly as written.

Owns encoding and decoding only; never touches files. The body is kept byte for byte: decoding
what `encode_record` produced gives back an equal record. What tools add on the way is undone on
read: a UTF-8 byte-order mark, and CRLF line endings throughout a file whose first line ends in
CRLF (git `autocrlf`), so a converted record reads as the original. A file holding an unresolved
git merge (conflict-marker lines) is refused, never read as an entry's text.
"""

from __future__ import annotations

import tomllib

from peerlog.records import Record, record_from_fields, record_to_fields
from peerlog.records.model import InvalidRecord

FENCE = "+++"


class MalformedRecord(ValueError):
    """A file that is not a readable record; the message says why, in plain words."""


class ConflictMarkers(MalformedRecord):
    """A file that git left half-merged, with `<<<<<<<` … `>>>>>>>` lines."""


_BOM = "\ufeff"
_OURS, _THEIRS = "<<<<<<<", ">>>>>>>"


def encode_record(record: Record) -> bytes:
    """The bytes of the file for `record`."""
    import tomli_w  # only the paths that write pay for it

    front = tomli_w.dumps(record_to_fields(record))
    return f"{FENCE}\n{front}{FENCE}\n{record.body}".encode()


def undo_conversions(text: str) -> str:
    """`text` without a byte-order mark, and with LF line endings if a tool converted every
    line to CRLF (peerlog writes `+++` and LF, so a first line ending in CRLF tells)."""
    if text.startswith(_BOM):
        text = text[1:]
    if text.startswith(FENCE + "\r\n"):
        text = text.replace("\r\n", "\n")
    return text


def _is_marker(line: str, marker: str) -> bool:
    return line.startswith(marker) and (len(line) == len(marker) or line[len(marker)] == " ")


def check_conflict_markers(text: str) -> None:
    """Refuse text that still holds a git merge conflict: a `<<<<<<<` line and, after it, a
    `>>>>>>>` line (a lone `=======` is a Markdown heading underline, and stays)."""
    if _OURS not in text:
        return
    opened = False
    for line in text.split("\n"):
        if _is_marker(line, _OURS):
            opened = True
        elif opened and _is_marker(line, _THEIRS):
            raise ConflictMarkers(
                "it holds an unresolved git merge (<<<<<<< and >>>>>>> lines), so its text is "
                "not what anyone wrote"
            )


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


MAX_FRONT_MATTER = 64 * 1024  # peerlog writes well under 2 KiB
MAX_KEY_DEPTH = 16  # dotted keys and table headers; peerlog writes 1


def _check_shape(front: str) -> None:
    """Refuse front matter that is huge or deeply nested before parsing it: TOML parsing time
    grows with the square of key depth, and deep values cannot be cached."""
    if len(front) > MAX_FRONT_MATTER:
        raise MalformedRecord(f"its front matter is larger than {MAX_FRONT_MATTER // 1024} KiB")
    for line in front.splitlines():
        if _key_depth(line) > MAX_KEY_DEPTH:
            raise MalformedRecord("its front matter nests keys too deeply")


def _key_depth(line: str) -> int:
    """How many parts the key of a TOML line has (`a.b.c = 1`, `[a.b]`): dots outside quotes
    before the `=` or the closing `]`. One pass, no backtracking: lines can be long."""
    text = line.lstrip()
    header = text.startswith("[")
    dots, quote = 0, ""
    for char in text[1:] if header else text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == ".":
            dots += 1
        elif char == ("]" if header else "="):
            return dots + 1
    return 0  # not a key line (a value continuing from the line before)


def _depth(value: object, limit: int) -> bool:
    """Whether `value` nests no deeper than `limit` levels of tables and arrays."""
    if limit < 0:
        return False
    if isinstance(value, dict):
        return all(_depth(v, limit - 1) for v in value.values())
    if isinstance(value, list):
        return all(_depth(v, limit - 1) for v in value)
    return True


def decode_record(data: bytes) -> Record:
    """Parse and validate a record file's bytes. Raises MalformedRecord."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRecord(f"it is not valid UTF-8 text (byte {exc.start})") from None
    text = undo_conversions(text)
    check_conflict_markers(text)
    front, body = split_front_matter(text)
    _check_shape(front)
    try:
        fields = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        raise MalformedRecord(f"its front matter is not valid TOML ({exc})") from None
    except RecursionError:
        raise MalformedRecord("its front matter is nested too deeply") from None
    if not _depth(fields, MAX_KEY_DEPTH):
        raise MalformedRecord("its front matter is nested too deeply")
    try:
        return record_from_fields(fields, body)
    except InvalidRecord as exc:
        raise MalformedRecord(f"its front matter is not a valid record: {exc}") from None
