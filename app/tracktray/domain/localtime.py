"""Wall-clock time in a person's time zone: "today", month bounds, local formatting.

The engine stores instants in UTC; people think in their own zone. A day is from local
midnight to the next local midnight, which is 23 or 25 hours long on DST-change days, so
every bound here is computed in the zone and only then converted to UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.UTC

__all__ = [
    "UTC",
    "day_bounds",
    "format_local",
    "local_to_utc",
    "month_bounds",
    "today",
    "zone",
]


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; ``ValueError`` with a sentence when it is unknown."""
    try:
        if not name or name.strip() != name or ".." in name or name.startswith("/"):
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"“{name}” is not a known time zone (use an IANA name such as Europe/Brussels)."
        ) from exc


def today(tz: ZoneInfo, now: dt.datetime) -> dt.date:
    """The local date in ``tz`` at the instant ``now`` (aware)."""
    return now.astimezone(tz).date()


def day_bounds(day: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """UTC instants of local midnight starting ``day`` and the next local midnight."""
    return _midnight_utc(day, tz), _midnight_utc(day + dt.timedelta(days=1), tz)


def month_bounds(now: dt.datetime, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """UTC bounds of the local calendar month containing ``now``."""
    first = today(tz, now).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return _midnight_utc(first, tz), _midnight_utc(following, tz)


def local_to_utc(wall: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Interpret a naive wall-clock time in ``tz``; aware times are only converted.

    A wall time that does not exist (skipped by a DST change) is refused with
    ``ValueError``: guessing would silently shift a block by an hour. An ambiguous one
    (repeated hour) takes its first occurrence.
    """
    if wall.tzinfo is not None:
        return wall.astimezone(UTC)
    aware = wall.replace(tzinfo=tz)
    back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if back != wall:
        raise ValueError(
            f"{wall:%Y-%m-%d %H:%M} does not exist in {tz.key} (the clocks jumped forward)."
        )
    return aware.astimezone(UTC)


def format_local(instant: dt.datetime, tz: ZoneInfo) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in ``tz``, as the protocol writes TimeIn/TimeOut."""
    return instant.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def _midnight_utc(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    # Where midnight itself is skipped (a few zones change at 00:00), zoneinfo maps the
    # missing wall time onto the first instant of the day, which is what we want.
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(UTC)
