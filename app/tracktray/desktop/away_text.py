"""The words of the idle prompts, the reminder and the long-block tooltip flag.

Pure functions (no Qt), times in the computer's local zone like the panel clock.
"""

from __future__ import annotations

import datetime as dt

from tracktray.desktop.text import format_duration
from tracktray.i18n import _, format_clock, format_weekday_date, ngettext

__all__ = [
    "away_text",
    "clock_text",
    "forgotten_text",
    "long_block_flag",
    "reminder_text",
]


def clock_text(moment: dt.datetime) -> str:
    return format_clock(moment.astimezone())


def away_text(since: dt.datetime, until: dt.datetime, tracker: str, reason: str) -> str:
    """``"You were away from 10:42 to 11:17 (35 min) while Website was running."``"""
    seconds = int((until - since).total_seconds())
    sentence = {
        "lock": _(
            "The screen was locked from {since} to {until} ({length}) while {tracker} was running."
        ),
        "sleep": _(
            "The computer was asleep from {since} to {until} ({length}) "
            "while {tracker} was running."
        ),
    }.get(reason) or _(
        "You were away from {since} to {until} ({length}) while {tracker} was running."
    )
    length = format_duration(seconds) if seconds >= 60 else _("under a minute")
    return sentence.format(
        since=clock_text(since), until=clock_text(until), length=length, tracker=tracker
    )


def forgotten_text(
    tracker: str, started_at: dt.datetime, last_activity: dt.datetime | None, now: dt.datetime
) -> str:
    started = started_at.astimezone()
    same_day = started.date() == now.astimezone().date()
    since = (
        clock_text(started_at)
        if same_day
        else f"{format_weekday_date(started.date())} {format_clock(started)}"
    )
    text = _("{tracker} has been running since {since} ({duration}).").format(
        tracker=tracker,
        since=since,
        duration=format_duration(int((now - started_at).total_seconds())),
    )
    if last_activity is not None:
        text += _(" Your last activity on this computer was at {last_activity}.").format(
            last_activity=clock_text(last_activity)
        )
    return text


def long_block_flag(started_at: dt.datetime, now: dt.datetime) -> str | None:
    """A warning for the tooltip when the running block crossed midnight or a weekend."""
    start_day, today = started_at.astimezone().date(), now.astimezone().date()
    if start_day >= today:
        return None
    days = (today - start_day).days
    # a weekend was crossed when a Saturday or a Monday began while the block ran
    crossed = (start_day + dt.timedelta(days=n) for n in range(1, days + 1))
    if any(day.isoweekday() in (6, 1) for day in crossed) and days > 1:
        return _("⚠ Running over the weekend — forgotten?")
    if days == 1:
        return _("⚠ Running since yesterday — forgotten?")
    return ngettext(
        "⚠ Running for {days} day — forgotten?", "⚠ Running for {days} days — forgotten?", days
    ).format(days=days)


def reminder_text(last_tracker: str | None, active_min: int) -> tuple[str, str]:
    """Title and body of the not-tracking reminder."""
    body = _("You have been working for {active_min} min and no timer is running.").format(
        active_min=active_min
    )
    if last_tracker is not None:
        body += _(" Start {last_tracker}?").format(last_tracker=last_tracker)
    return _("Nothing is being tracked"), body
