"""Times and dates as people type them on a command line, read in this computer's zone.

``09:30``, ``2026-11-23 09:30``, ``yesterday 17:00``, ``now``, ``-90m`` / ``-1h30m``
(that long ago); dates ``today``, ``yesterday``, ``2026-11-23``. Results are aware
datetimes, so the client can send unambiguous UNIX timestamps.
"""

from __future__ import annotations

import datetime as dt
import re

from tracktray.cli.errors import UsageError
from tracktray.i18n import _, pgettext

TYPE_CHECKING = False  # decimal loads with the one command that reads hours
if TYPE_CHECKING:
    from decimal import Decimal

__all__ = [
    "local_now",
    "parse_day",
    "parse_hours",
    "parse_moment",
    "profile_midnight",
    "start_of_day",
]

# Patterns, compiled by ``re`` on first use (and cached there): ``status`` only asks
# for the time now.
_CLOCK = r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$"
_AGO = r"^-\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$"


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def _localize(wall: dt.datetime) -> dt.datetime:
    # A naive datetime's astimezone() reads it as local time with the offset in force
    # on that date (DST included), unlike attaching today's offset.
    return wall.astimezone()


def start_of_day(day: dt.date) -> dt.datetime:
    return _localize(dt.datetime.combine(day, dt.time()))


def profile_midnight(day: dt.date) -> dt.datetime:
    """Midnight starting ``day`` in the account's own time zone (a naive wall time).

    Reports cover the profile's days, as the server states its blocks; a naive time
    tells the backend to read it in the profile's zone rather than this computer's.
    """
    return dt.datetime.combine(day, dt.time())


def parse_day(text: str, *, today: dt.date, what: str | None = None) -> dt.date:
    what = what or _("date")
    value = text.strip().casefold()
    # the English words always work (scripts); the person's language's too
    # Translators: words a person may type for a day or a time: keep them lowercase
    if value in ("today", pgettext("typed", "today")):
        return today
    if value in ("yesterday", pgettext("typed", "yesterday")):
        return today - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            _("The {what} “{text}” is not a date; use YYYY-MM-DD, today or yesterday.").format(
                what=what, text=text
            )
        ) from None


def parse_moment(text: str, *, now: dt.datetime, what: str | None = None) -> dt.datetime:
    """An aware datetime from what a person typed; ``now`` must be aware."""
    what = what or _("time")
    value = " ".join(text.strip().casefold().split())
    if value in ("now", pgettext("typed", "now")):
        return now
    ago = re.match(_AGO, value)
    if ago and (ago.group(1) or ago.group(2)):
        hours, minutes = int(ago.group(1) or 0), int(ago.group(2) or 0)
        return now - dt.timedelta(hours=hours, minutes=minutes)
    day_text, _space, clock_text = value.rpartition(" ")
    if not day_text and "t" in value and value[:1].isdigit():
        day_text, _space, clock_text = value.partition("t")
    day = parse_day(day_text, today=now.date(), what=what) if day_text else now.date()
    clock = re.match(_CLOCK, clock_text)
    if clock is None:
        raise UsageError(
            _(
                "The {what} “{text}” is not a time; use HH:MM, YYYY-MM-DD HH:MM, "
                "yesterday HH:MM or -1h30m."
            ).format(what=what, text=text)
        )
    hour, minute, second = (int(g) if g else 0 for g in clock.groups())
    try:
        wall = dt.datetime.combine(day, dt.time(hour, minute, second))
    except ValueError:
        raise UsageError(
            _("The {what} “{text}” is not a real time of day.").format(what=what, text=text)
        ) from None
    return _localize(wall)


def parse_hours(text: str) -> Decimal:
    """``7.5``, ``7,5`` or ``7:30`` hours; more than 0 and at most 24."""
    from decimal import Decimal, InvalidOperation

    value = text.strip().replace(",", ".")
    clock = re.match(_CLOCK, value)
    try:
        if clock:
            hours = Decimal(int(clock.group(1))) + Decimal(int(clock.group(2))) / 60
            hours = hours.quantize(Decimal("0.01"))
        else:
            hours = Decimal(value)
    except InvalidOperation:
        hours = Decimal("NaN")
    if not hours.is_finite() or not Decimal(0) < hours <= Decimal(24):
        raise UsageError(
            _("“{text}” is not a number of hours between 0 and 24 (e.g. 7.5, 7,5 or 7:30).").format(
                text=text
            )
        )
    return hours
