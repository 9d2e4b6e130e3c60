"""Tolerant readers for the loosely typed values servers send.

The TrackMyPeople protocol (and, later, TimeTrack) sends numbers as strings, booleans as
``"1"``/``1``/``true``, durations as seconds or ``"H:MM[:SS]"``. Each reader here accepts
every spelling the protocol tolerates and raises :class:`ProtocolError` for anything else,
so that a decoder built from them can only ever fail with the client's own error.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

from tracktray.contracts.errors import ProtocolError
from tracktray.i18n import _

__all__ = [
    "Field",
    "What",
    "as_bool",
    "as_duration_s",
    "as_int",
    "as_mapping",
    "as_opt_int",
    "as_text",
    "as_timestamp",
    "as_wall_time",
    "is_nothing",
]

_DURATION = re.compile(r"^\s*(-?\d+):([0-5]?\d)(?::([0-5]?\d))?\s*$")
_TRUE = frozenset({"1", "true", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "no", "n", "off", ""})


class Field:
    """A field of a record, named for an error sentence and worded only if one is made.

    A year's report decodes nine fields of some 50,000 blocks: translating and formatting
    every field's name up front, for sentences that are almost never needed, took more
    than half of the decoding. ``str.format`` words it when a sentence uses it.
    """

    __slots__ = ("_pattern", "_what")

    def __init__(self, pattern: str, what: str) -> None:
        self._pattern, self._what = pattern, what  # pattern: marked with N_, untranslated

    def __str__(self) -> str:
        return _(self._pattern).format(what=self._what)


#: what a reader's error sentence names: words, or a field worded on demand
What = str | Field


def is_nothing(value: object) -> bool:
    """True for the spellings of "nothing": absent/None, false, "", [] and {}."""
    return value is None or value is False or value == "" or value == [] or value == {}


def as_int(value: object, what: What) -> int:
    """An integer given as a JSON number or a string of digits ("42", "42.0")."""
    if isinstance(value, bool):
        raise ProtocolError(
            _("The server sent a yes/no value where {what} should be a number.").format(what=what)
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if math.isfinite(number) and number == int(number):
            return int(number)
    raise ProtocolError(
        _("The server sent {value} where {what} should be a number.").format(
            value=_show(value), what=what
        )
    )


def as_opt_int(value: object, what: What) -> int | None:
    """Like :func:`as_int`, with the "nothing" spellings (and 0) meaning None."""
    if is_nothing(value):
        return None
    number = as_int(value, what)
    return number or None


def as_bool(value: object, what: What) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if value is None:
        return False
    if isinstance(value, str) and value.strip().casefold() in _TRUE | _FALSE:
        return value.strip().casefold() in _TRUE
    raise ProtocolError(
        _("The server sent {value} where {what} should be yes or no.").format(
            value=_show(value), what=what
        )
    )


def as_text(value: object, what: What) -> str:
    """A string; numbers are accepted (a tracker may be called 2024), None is empty."""
    if value is None or value is False:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ProtocolError(
        _("The server sent {value} where {what} should be text.").format(
            value=_show(value), what=what
        )
    )


def as_duration_s(value: object, what: What) -> int:
    """Whole seconds from a number, a numeric string, or "H:MM" / "H:MM:SS"."""
    if is_nothing(value):
        return 0
    if isinstance(value, float) and math.isfinite(value):
        return max(0, round(value))
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            hours, minutes, seconds = match.groups()
            sign = -1 if hours.startswith("-") else 1
            total = abs(int(hours)) * 3600 + int(minutes) * 60 + int(seconds or 0)
            return max(0, sign * total)
        try:
            number = float(value.strip())
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return max(0, round(number))
    return max(0, as_int(value, what))


def as_timestamp(value: object, what: What) -> dt.datetime:
    """An aware UTC datetime from a UNIX timestamp (number or string)."""
    seconds: float
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        try:
            seconds = float(value.strip())
        except ValueError:
            raise ProtocolError(
                _("The server sent {value} where {what} should be a time.").format(
                    value=_show(value), what=what
                )
            ) from None
    else:
        raise ProtocolError(
            _("The server sent {value} where {what} should be a time.").format(
                value=_show(value), what=what
            )
        )
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise ProtocolError(
            _("The server sent an impossible time for {what}.").format(what=what)
        ) from None


def as_wall_time(value: object, what: What) -> dt.datetime:
    """A wall-clock time "YYYY-MM-DD HH:MM[:SS]" as the server states it (naive)."""
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed
    raise ProtocolError(
        _("The server sent {value} where {what} should be a date and time.").format(
            value=_show(value), what=what
        )
    )


def as_mapping(value: object, what: What) -> Mapping[str, Any]:
    """A JSON object; PHP servers send ``[]`` for an empty one, so that is accepted too."""
    if isinstance(value, Mapping):
        return value
    if value == []:
        return {}
    raise ProtocolError(
        _("The server sent {value} where {what} should be a record.").format(
            value=_show(value), what=what
        )
    )


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
