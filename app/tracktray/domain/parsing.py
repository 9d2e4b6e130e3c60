"""Parsing what people and widgets send: date-times, dates, hours (versions: ``versions.py``).

Every parser raises ``ValueError`` whose message is one sentence fit to show as a
protocol ``error``; callers never need to rephrase.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "MAX_FREE_HOURS",
    "HoursOutOfRange",
    "check_hours",
    "parse_date",
    "parse_datetime",
    "parse_hours",
]

MAX_FREE_HOURS = Decimal(24)

_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")
_TIMESTAMP = re.compile(r"\d{1,12}")
# Earliest and latest instants we accept: older or later input is a typo, not a block.
_MIN_YEAR, _MAX_YEAR = 1970, 2200


def parse_datetime(text: str, name: str = "time") -> dt.datetime:
    """``YYYY-MM-DD HH:MM[:SS]`` as a *naive* wall time, or a UNIX timestamp as aware UTC.

    The naive result is to be read in the profile's (or the report's) time zone.
    """
    value = text.strip()
    if _TIMESTAMP.fullmatch(value):
        stamp = int(value)
        result = dt.datetime.fromtimestamp(stamp, dt.UTC)
        if not _MIN_YEAR <= result.year <= _MAX_YEAR:
            raise ValueError(f"The {name} {value} is not a plausible UNIX timestamp.")
        return result
    match = _DATETIME.fullmatch(value)
    if match is None:
        raise ValueError(
            f"The {name} “{_short(value)}” is not a date and time "
            "(use YYYY-MM-DD HH:MM[:SS] or a UNIX timestamp)."
        )
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        result = dt.datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise ValueError(f"The {name} “{value}” is not a real date and time.") from exc
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueError(f"The {name} “{value}” is out of range.")
    return result


def parse_date(text: str, name: str = "date") -> dt.date:
    """``YYYY-MM-DD``."""
    value = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"The {name} “{_short(value)}” is not a date (use YYYY-MM-DD).")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"The {name} “{value}” is not a real date.") from exc
    if not _MIN_YEAR <= day.year <= _MAX_YEAR:
        raise ValueError(f"The {name} “{value}” is out of range.")
    return day


def parse_hours(text: str) -> Decimal:
    """A number of hours, ``7.5`` or ``7,5``; 0 < hours ≤ 24."""
    value = text.strip().replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", value):
        raise ValueError(f"“{_short(text.strip())}” is not a number of hours (e.g. 7.5 or 7,5).")
    try:
        hours = Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise ValueError(f"“{text}” is not a number of hours.") from exc
    check_hours(hours)
    return hours


def read_hours(text: str) -> Decimal:
    """Hours as a person types them: ``7.5``, ``7,5`` or ``7:30``; 0 < hours ≤ 24.

    ``H:MM`` is converted to hours rounded to the hundredth (7:20 → 7.33).
    """
    clock = re.fullmatch(r"\s*(\d{1,2}):([0-5]\d)\s*", text)
    if clock is None:
        if not re.fullmatch(r"\s*(\d+([.,]\d+)?|[.,]\d+)\s*", text):
            raise ValueError(
                f"“{_short(text.strip())}” is not a number of hours (e.g. 7.5, 7,5 or 7:30)."
            )
        return parse_hours(text)
    hours = (Decimal(int(clock.group(1))) + Decimal(int(clock.group(2))) / 60).quantize(
        Decimal("0.01")
    )
    check_hours(hours)
    return hours


class HoursOutOfRange(ValueError):
    """A number of hours, but not more than 0 and at most 24."""


def check_hours(hours: Decimal) -> None:
    if not hours.is_finite() or hours <= 0 or hours > MAX_FREE_HOURS:
        raise HoursOutOfRange("Hours must be more than 0 and at most 24.")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
