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

A signed record names its device's public key (`key = "…"`) and ends its front matter with
`signature = "…"`: the device's Ed25519 signature over the file's bytes (as peerlog wrote them,
with the conversions above undone) with that one line removed (docs/storage.md).
`decode_record` is the one place a file's bytes become a record, and it checks the signature
there, so whatever keeps parsed records keeps the check with them: a record with a key is one
that key signed. A file whose signature does not match raises `TamperedRecord`.
"""

from __future__ import annotations

from collections.abc import Callable

import tomli

from peerlog.records import Record, record_from_fields, record_to_fields
from peerlog.records.model import InvalidRecord

FENCE = "+++"
SIGNATURE_PREFIX = 'signature = "'


class MalformedRecord(ValueError):
    """A file that is not a readable record; the message says why, in plain words."""


class TamperedRecord(MalformedRecord):
    """A record whose signature does not match its bytes (changed after it was signed)."""


class ConflictMarkers(MalformedRecord):
    """A file that git left half-merged, with `<<<<<<<` … `>>>>>>>` lines."""


_BOM = "\ufeff"
_OURS, _THEIRS = "<<<<<<<", ">>>>>>>"


def encode_record(record: Record, sign: Callable[[bytes], str] | None = None) -> bytes:
    """The bytes of the file for `record`, signed with `sign` (which must belong to
    `record.key`) when given."""
    import tomli_w  # only the paths that write pay for it

    front = tomli_w.dumps(record_to_fields(record))
    unsigned = f"{FENCE}\n{front}{FENCE}\n{record.body}".encode()
    if sign is None:
        return unsigned
    signature = sign(unsigned)
    return f'{FENCE}\n{front}{SIGNATURE_PREFIX}{signature}"\n{FENCE}\n{record.body}'.encode()


def _split_signature(front: str) -> tuple[str, str | None]:
    """(front matter without the signature line, the signature), when its last line is one."""
    cut = front.rfind("\n", 0, len(front) - 1) + 1
    last = front[cut:]
    if last.startswith(SIGNATURE_PREFIX) and last.endswith('"\n'):
        return front[:cut], last[len(SIGNATURE_PREFIX) : -2]
    return front, None


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


def _check_shape(front: str) -> bool:
    """Refuse front matter that is huge or deeply nested before parsing it: TOML parsing time
    grows with the square of key depth, and deep values cannot be cached. Whether the parsed
    value may still nest too deeply (see `_depth`)."""
    if len(front) > MAX_FRONT_MATTER:
        raise MalformedRecord(f"its front matter is larger than {MAX_FRONT_MATTER // 1024} KiB")
    # Every level of nesting takes a '.', '[' or '{': with fewer than MAX_KEY_DEPTH of them
    # (every record peerlog writes), nothing can nest too deeply, and nothing is looked at.
    if front.count(".") + front.count("[") + front.count("{") < MAX_KEY_DEPTH:
        return False
    for line in front.splitlines():
        if _key_depth(line) > MAX_KEY_DEPTH:
            raise MalformedRecord("its front matter nests keys too deeply")
    return True


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
    may_nest = _check_shape(front)
    front, signature = _split_signature(front)
    try:
        fields = tomli.loads(front)
    except tomli.TOMLDecodeError as exc:
        raise MalformedRecord(f"its front matter is not valid TOML ({exc})") from None
    except RecursionError:
        raise MalformedRecord("its front matter is nested too deeply") from None
    if may_nest and not _depth(fields, MAX_KEY_DEPTH):
        raise MalformedRecord("its front matter is nested too deeply")
    if "signature" in fields:
        raise MalformedRecord("its signature is not the last line of its front matter")
    try:
        record = record_from_fields(fields, body)
    except InvalidRecord as exc:
        raise MalformedRecord(f"its front matter is not a valid record: {exc}") from None
    if signature is None and record.key:
        raise TamperedRecord(
            f"it names {record.author}'s key {record.key[:12]} but carries no signature"
        )
    if signature is not None:
        from peerlog.store.keys import signature_valid

        if not record.key:
            raise MalformedRecord("it carries a signature but names no key")
        signed = f"{FENCE}\n{front}{FENCE}\n{body}".encode()
        if not signature_valid(record.key, signed, signature):
            raise TamperedRecord(
                f"its bytes do not match the signature of the key it names ({record.key[:12]}, "
                f"claimed for {record.author}): it was changed after it was written, or forged"
            )
    return record
