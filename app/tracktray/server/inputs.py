"""Bounded readers for what clients send, shared by both API faces.

Every reader either returns a value the engine and the database can take as it is or
raises :class:`UnsafeInput` with one sentence: JSON is depth-checked before it is parsed
(a thousand nested brackets would exhaust Python's recursion), text must be valid
Unicode that XML can carry (no lone surrogates, no control characters), ids are ASCII
digits that fit the database's integer column, and years stay within 1970–2200.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

__all__ = [
    "MAX_ID",
    "MAX_JSON_DEPTH",
    "MAX_YEAR",
    "MIN_YEAR",
    "UnsafeInput",
    "ascii_id",
    "check_instant",
    "check_text",
    "json_object",
    "xml_safe",
]

#: a widget's or TimeTrack client's body is a flat object; a little nesting is tolerated
MAX_JSON_DEPTH = 8
#: ids are PostgreSQL ``integer`` columns
MAX_ID = 2**31 - 1
MIN_YEAR, MAX_YEAR = 1970, 2200

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
#: characters XML 1.0 cannot carry (tab, newline and carriage return can), and surrogates
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class UnsafeInput(ValueError):
    """Input refused before it reaches the engine; ``str()`` is the sentence to answer."""


def json_object(body: bytes) -> dict[str, Any]:
    """A JSON object body, refused when malformed, too deeply nested or not valid text."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsafeInput("The request body is not valid UTF-8.") from None
    if _depth(text) > MAX_JSON_DEPTH:
        raise UnsafeInput(f"The request body is nested more than {MAX_JSON_DEPTH} levels deep.")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise UnsafeInput("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise UnsafeInput("The request body must be a JSON object.")
    _check_strings(data)
    return data


def _depth(text: str) -> int:
    """The deepest bracket nesting, brackets inside strings not counted (no recursion)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _check_strings(value: object) -> None:
    if isinstance(value, str):
        check_text(value, "request body")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, "request body")
            _check_strings(item)
    elif isinstance(value, list):
        for item in value:
            _check_strings(item)


def check_text(value: str, name: str) -> str:
    """``value`` if every character can be stored and written out as XML, else refused."""
    found = _NOT_XML.search(value)
    if found is None:
        return value
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        raise UnsafeInput(f"The {name} contains a lone surrogate, which is not valid Unicode.")
    raise UnsafeInput(f"The {name} contains the control character U+{ord(char):04X}.")


def xml_safe(value: str) -> str:
    """``value`` without the characters XML cannot carry (for text stored before the check)."""
    return _NOT_XML.sub("", value)


def ascii_id(text: str) -> int | None:
    """A database id written in ASCII digits, or None (``²``, ``٣`` and 20 digits are not)."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def check_instant(moment: dt.datetime, name: str) -> dt.datetime:
    """``moment`` when it lies within 1970–2200 (also once converted to UTC)."""
    try:
        utc_year = moment.astimezone(dt.UTC).year if moment.tzinfo is not None else moment.year
    except (OverflowError, ValueError):
        utc_year = 0
    if not (MIN_YEAR <= moment.year <= MAX_YEAR and MIN_YEAR <= utc_year <= MAX_YEAR):
        raise UnsafeInput(f"The {name} must lie between {MIN_YEAR} and {MAX_YEAR}.")
    return moment
