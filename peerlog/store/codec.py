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

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from peerlog.records import Record, record_from_fields, record_to_fields
from peerlog.records.model import InvalidRecord
from peerlog.store.toml_subset import TOMLError, loads

if TYPE_CHECKING:
    from peerlog.store.seal import Seal

FENCE = "+++"
SIGNATURE_PREFIX = 'signature = "'
SEALED_PREFIX = 'sealed = "'
SEALED_ENVELOPE = ("format", "id", "author", "device", "clock", "key", "epoch")


class MalformedRecord(ValueError):
    """A file that is not a readable record; the message says why, in plain words."""


class TamperedRecord(MalformedRecord):
    """A record whose signature does not match its bytes (changed after it was signed)."""


class ConflictMarkers(MalformedRecord):
    """A file that git left half-merged, with `<<<<<<<` … `>>>>>>>` lines."""


class SealedRecord(MalformedRecord):
    """A sealed record whose key this device does not hold (yet)."""

    def __init__(self, epoch: str, seal: Seal | None) -> None:
        missing = seal.missing if seal is not None else "this device holds no key for it"
        super().__init__(f"it is sealed (key epoch {epoch}) and {missing}")
        self.epoch = epoch


class Undecryptable(MalformedRecord):
    """A sealed record that does not open with the key this device holds for its epoch."""


class NoKeyToSeal(ValueError):
    """A record that must be sealed, and no key to seal it with; the message says why."""


_BOM = "\ufeff"
_OURS, _THEIRS = "<<<<<<<", ">>>>>>>"


def encode_record(
    record: Record, sign: Callable[[bytes], str] | None = None, seal: Seal | None = None
) -> bytes:
    """The bytes of the file for `record`, signed with `sign` (which must belong to
    `record.key`) when given, and sealed when `seal` seals its type."""
    import tomli_w  # only the paths that write pay for it

    fields = record_to_fields(record)
    front = tomli_w.dumps(fields)
    unsigned = f"{FENCE}\n{front}{FENCE}\n{record.body}".encode()
    body = record.body
    if seal is not None and seal.seals(record.type):
        from peerlog.store.keys import encode_b64
        from peerlog.store.seal import seal_bytes

        writing = seal.writing()
        if writing is None:
            raise NoKeyToSeal(seal.missing)
        epoch, key = writing
        envelope: dict[str, Any] = {k: fields[k] for k in SEALED_ENVELOPE[:-1] if k in fields}
        envelope["epoch"] = epoch
        visible = tomli_w.dumps(envelope)
        sealed = encode_b64(seal_bytes(key, unsigned, visible.encode()))
        front, body = f'{visible}{SEALED_PREFIX}{sealed}"\n', ""
        unsigned = f"{FENCE}\n{front}{FENCE}\n".encode()
    if sign is None:
        return unsigned
    signature = sign(unsigned)
    return f'{FENCE}\n{front}{SIGNATURE_PREFIX}{signature}"\n{FENCE}\n{body}'.encode()


def _split_signature(front: str, prefix: str = SIGNATURE_PREFIX) -> tuple[str, str | None]:
    """(front matter without the signature line, the signature), when its last line is one
    (or another `prefix = "…"` line)."""
    cut = front.rfind("\n", 0, len(front) - 1) + 1
    last = front[cut:]
    if last.startswith(prefix) and last.endswith('"\n'):
        return front[:cut], last[len(prefix) : -2]
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
    return text[len(FENCE) + 1 : end + 1], text[end + len(FENCE) + 2 :]


MAX_FRONT_MATTER = 64 * 1024  # peerlog writes well under 2 KiB
MAX_KEY_DEPTH = 16  # dotted keys and table headers; peerlog writes 1


def _check_shape(front: str) -> bool:
    """Refuse front matter (already known not to be huge) that nests keys deeply, before
    parsing it: TOML parsing time grows with the square of key depth. Whether the parsed value
    may still nest too deeply (see `_depth`)."""
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


def _fields(text: str) -> tuple[dict[str, Any], str, str, str | None]:
    """(parsed front matter, front matter text without the signature line, body, signature)."""
    check_conflict_markers(text)
    front, body = split_front_matter(text)
    if len(front) > MAX_FRONT_MATTER:
        raise MalformedRecord(f"its front matter is larger than {MAX_FRONT_MATTER // 1024} KiB")
    front, signature = _split_signature(front)
    # A sealed record's long `sealed` line is taken as it is (TOML parses strings a character
    # at a time; it is base64url, checked when it is decoded), and its envelope line by line:
    # no TOML, so no depth to check.
    envelope, sealed = _split_signature(front, SEALED_PREFIX)
    if sealed is not None:
        return _sealed_envelope(envelope, sealed), front, body, signature
    may_nest = _check_shape(front)
    try:
        fields = loads(envelope)
    except TOMLError as exc:
        raise MalformedRecord(f"its front matter is not valid TOML ({exc})") from None
    except RecursionError:
        raise MalformedRecord("its front matter is nested too deeply") from None
    if may_nest and not _depth(fields, MAX_KEY_DEPTH):
        raise MalformedRecord("its front matter is nested too deeply")
    if "signature" in fields:
        raise MalformedRecord("its signature is not the last line of its front matter")
    return fields, front, body, signature


_ENVELOPE_LINE = re.compile(r'([a-z]+) = (?:"([0-9A-Za-z_-]{1,64})"|([0-9]{1,16}))')


def _sealed_envelope(envelope: str, sealed: str) -> dict[str, Any]:
    """The fields of a sealed record's envelope, which must be exactly the lines peerlog writes
    (`SEALED_ENVELOPE`, in order, plain values): read without a TOML parser, which would cost
    as much again as the record inside. Everything else belongs inside the seal."""
    lines = envelope.split("\n")
    fields: dict[str, Any] = {}
    for name, line in zip(SEALED_ENVELOPE, lines, strict=False):
        match = _ENVELOPE_LINE.fullmatch(line)
        if match is None or match.group(1) != name:
            break
        text, number = match.group(2), match.group(3)
        if (name in ("format", "clock")) != (number is not None):
            break
        fields[name] = int(number) if number is not None else text
    if len(fields) != len(SEALED_ENVELOPE) or lines[len(SEALED_ENVELOPE) :] != [""]:
        raise MalformedRecord(
            "it is not a well-formed sealed record (its visible lines must be "
            + ", ".join(SEALED_ENVELOPE)
            + ", then `sealed`, then the signature)"
        )
    fields["sealed"] = sealed
    return fields


def _record(fields: dict[str, Any], body: str) -> Record:
    try:
        return record_from_fields(fields, body)
    except InvalidRecord as exc:
        raise MalformedRecord(f"its front matter is not a valid record: {exc}") from None


def _check_signature(record_key: str, author: str, signed: bytes, signature: str) -> None:
    from peerlog.store.keys import signature_valid

    if not signature_valid(record_key, signed, signature):
        raise TamperedRecord(
            f"its bytes do not match the signature of the key it names ({record_key[:12]}, "
            f"claimed for {author}): it was changed after it was written, or forged"
        )


def decode_record(data: bytes, seal: Seal | None = None) -> Record:
    """Parse and validate a record file's bytes (opening it with `seal`'s keys, if it is
    sealed). Raises MalformedRecord."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRecord(f"it is not valid UTF-8 text (byte {exc.start})") from None
    text = undo_conversions(text)
    _without_key(text, seal)
    fields, front, body, signature = _fields(text)
    if "sealed" in fields:
        return _open_sealed(fields, front, body, signature, seal)
    record = _record(fields, body)
    if signature is None and record.key:
        raise TamperedRecord(
            f"it names {record.author}'s key {record.key[:12]} but carries no signature"
        )
    if signature is not None:
        if not record.key:
            raise MalformedRecord("it carries a signature but names no key")
        _check_signature(
            record.key, record.author, f"{FENCE}\n{front}{FENCE}\n{body}".encode(), signature
        )
    return record


def _without_key(text: str, seal: Seal | None) -> None:
    """Refuse at once, unparsed, a sealed file whose epoch this device holds no key for: it is
    read again, and checked in full, once a key arrives (a cold read meets every file so,
    before it has read the grants)."""
    fence = text.find("\n" + FENCE + "\n", len(FENCE), MAX_FRONT_MATTER)  # front matter only
    start = text.find("\n" + SEALED_PREFIX, 0, fence) if fence != -1 else -1
    at = text.rfind('\nepoch = "', 0, start) if start != -1 else -1
    if at == -1:
        return  # not sealed, or not well formed: parsed, and said why
    end = text.find('"', at + 10, start)
    epoch = text[at + 10 : end] if end != -1 else ""
    if epoch and (seal is None or seal.keys.get(epoch) is None):
        raise SealedRecord(epoch, seal)


def _open_sealed(
    fields: dict[str, Any], front: str, body: str, signature: str | None, seal: Seal | None
) -> Record:
    """The record inside a sealed file, after checking who signed it."""
    visible, sealed = _split_signature(front, SEALED_PREFIX)
    epoch, key, author = fields.get("epoch"), fields.get("key"), fields.get("author")
    if sealed is None or body or not isinstance(epoch, str) or not 0 < len(epoch) <= 64:
        raise MalformedRecord(
            "it is not a well-formed sealed record (its `sealed` line must come last, "
            "after `epoch`, with nothing after the front matter)"
        )
    if not isinstance(key, str) or not isinstance(author, str) or signature is None:
        raise MalformedRecord("it is sealed but names no key or carries no signature")
    secret = seal.keys.get(epoch) if seal is not None else None
    if secret is None:  # before the signature: cheap, and the file is read again with a key
        raise SealedRecord(epoch, seal)
    _check_signature(key, author, f"{FENCE}\n{front}{FENCE}\n".encode(), signature)
    import base64
    import binascii

    from peerlog.store.seal import open_bytes

    try:  # strict about its letters; no round trip: the seal's tag authenticates the bytes
        padded = sealed + "=" * (-len(sealed) % 4)
        raw: bytes | None = base64.b64decode(padded, altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raw = None
    inner = open_bytes(secret, raw, visible.encode()) if raw is not None else None
    if inner is None:
        raise Undecryptable(
            f"it does not open with this device's key for epoch {epoch}: it was sealed with "
            "another key, or damaged on the way"
        )
    try:
        inner_fields, _front, inner_body, inner_signature = _fields(inner.decode("utf-8"))
    except UnicodeDecodeError:
        raise MalformedRecord("its sealed contents are not UTF-8 text") from None
    if inner_signature is not None or "sealed" in inner_fields:
        raise MalformedRecord("its sealed contents are not one plain record")
    record = _record(inner_fields, inner_body)
    assert seal is not None  # it gave the key
    if record.type in seal.clear_types:  # every device must see who may speak: never sealed
        raise MalformedRecord(f"it seals a {record.type} record, which is always written plainly")
    for name in SEALED_ENVELOPE[:-1]:
        if inner_fields.get(name) != fields.get(name):
            raise TamperedRecord(
                f"its sealed contents name another {name} than its envelope: forged"
            )
    return record
