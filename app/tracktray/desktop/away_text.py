"""The words of the idle prompts, the reminder and the long-block tooltip flag.

Pure functions (no Qt), times in the computer's local zone like the panel clock.
"""

from __future__ import annotations

import datetime as dt

from tracktray.desktop.text import format_duration

__all__ = [
    "away_text",
    "clock_text",
    "forgotten_text",
    "long_block_flag",
    "reminder_text",
]


def clock_text(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def away_text(since: dt.datetime, until: dt.datetime, tracker: str, reason: str) -> str:
    """``"You were away from 10:42 to 11:17 (35 min) while Website was running."``"""
    seconds = int((until - since).total_seconds())
    how = {"lock": "The screen was locked", "sleep": "The computer was asleep"}.get(
        reason, "You were away"
    )
    length = format_duration(seconds) if seconds >= 60 else "under a minute"
    return (
        f"{how} from {clock_text(since)} to {clock_text(until)} "
        f"({length}) while {tracker} was running."
    )


def forgotten_text(
    tracker: str, started_at: dt.datetime, last_activity: dt.datetime | None, now: dt.datetime
) -> str:
    started = started_at.astimezone()
    same_day = started.date() == now.astimezone().date()
    since = clock_text(started_at) if same_day else started.strftime("%a %d %b %H:%M")
    text = (
        f"{tracker} has been running since {since} "
        f"({format_duration(int((now - started_at).total_seconds()))})."
    )
    if last_activity is not None:
        text += f" Your last activity on this computer was at {clock_text(last_activity)}."
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
        return "⚠ Running over the weekend — forgotten?"
    if days == 1:
        return "⚠ Running since yesterday — forgotten?"
    return f"⚠ Running for {days} days — forgotten?"


def reminder_text(last_tracker: str | None, active_min: int) -> tuple[str, str]:
    """Title and body of the not-tracking reminder."""
    body = f"You have been working for {active_min} min and no timer is running."
    if last_tracker is not None:
        body += f" Start {last_tracker}?"
    return "Nothing is being tracked", body
