"""TOML as peerlog reads it: the lines peerlog writes, read by one regular expression each, and
anything else by tomli.

A record's front matter, a config or key file, is what tomli_w wrote: `key = value` lines of
plain strings, whole numbers, booleans, dates, date-times with an offset and arrays of plain
strings (one per line); `[table]` headers, comments and blank lines. Text made only of such
lines is read here, at half of tomli's cost (a cold read of a ten-year space parses 15,000
front matters); any other line (an escape, a float, an inline table, a dotted key, a key given
twice ...) sends the whole text to tomli, which reads it or says why it cannot. So the answer is
always tomli's: tests/unit/test_toml_subset.py checks that it is, for any text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any


class TOMLError(ValueError):
    """Text that is not valid TOML; the message is tomli's."""


def loads(text: str) -> dict[str, Any]:
    """The TOML document `text`. Raises TOMLError, or RecursionError for absurd nesting."""
    found = _plain(text)
    if found is not None:
        return found
    import tomli

    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise TOMLError(str(exc)) from None


_STRING = r'"([^"\\\x00-\x1f\x7f]*)"'  # a basic string without escapes, tabs or controls
_KEY = r"[A-Za-z0-9_-]+"
_LINE = re.compile(
    rf"({_KEY}) = (?:{_STRING}"
    r"|(-?(?:0|[1-9][0-9]{0,17}))"  # an integer (well within 64 bits)
    r"|(true|false)"
    r"|([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"  # a date ...
    r"(?: ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(?:\.([0-9]{1,6}))?"  # ... and time
    r"(?:(Z)|([+-])([01][0-9]|2[0-3]):([0-5][0-9])))?"  # ... with its offset
    r"|(\[\]?))"  # an empty array, or the first line of one
)
_ITEM = re.compile(rf"    {_STRING},")
_HEADER = re.compile(rf"\[({_KEY}(?:\.{_KEY})*)\]")
_COMMENT = re.compile(r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?")  # or a blank line


def _plain(text: str) -> dict[str, Any] | None:
    """`text` read line by line, if every line is one peerlog writes; else None."""
    if text and not text.endswith("\n"):
        return None
    document: dict[str, Any] = {}
    table = document
    lines = iter(text.split("\n")[:-1])
    for line in lines:
        match = _LINE.fullmatch(line)
        if match is None:
            header = _HEADER.fullmatch(line)
            if header is not None:
                *outer, name = header.group(1).split(".")
                table = document
                for part in outer:
                    table = table.setdefault(part, {})
                    if not isinstance(table, dict):
                        return None
                if name in table:  # a table given twice, or after one inside it: left to tomli
                    return None
                inner: dict[str, Any] = {}
                table[name] = inner
                table = inner
                continue
            if _COMMENT.fullmatch(line) is None:
                return None
            continue
        key = match.group(1)
        if key in table:
            return None
        if match.lastindex == 2:  # a string, the most common line
            table[key] = match.group(2)
            continue
        value = _value(match, lines)
        if value is None:
            return None
        table[key] = value
    return document


@functools.cache
def _zone(sign: str, hours: int, minutes: int) -> timezone:
    direction = 1 if sign == "+" else -1
    return timezone(timedelta(hours=direction * hours, minutes=direction * minutes))


def _value(match: re.Match[str], lines: Iterator[str]) -> Any:
    """The value of a matched `key = value` line other than a string (an array's items are
    the next lines); None if it is not one after all."""
    (integer, boolean, year, month, day, hour, minute, second, fraction, zulu, sign, zone_hours,
     zone_minutes, array) = match.groups()[2:]  # fmt: skip
    if integer is not None:
        return int(integer)
    if boolean is not None:
        return boolean == "true"
    if year is not None:
        try:
            if hour is None:
                return date(int(year), int(month), int(day))
            zone = UTC if zulu else _zone(sign, int(zone_hours), int(zone_minutes))
            micros = int(fraction.ljust(6, "0")) if fraction else 0
            return datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second), micros, zone
            )
        except ValueError:  # the 30th of February: tomli says so
            return None
    if array == "[]":
        return []
    items: list[str] = []
    for line in lines:
        if line == "]":
            return items
        item = _ITEM.fullmatch(line)
        if item is None:
            return None
        items.append(item.group(1))
    return None
