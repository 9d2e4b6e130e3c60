"""The words the widget shows: durations, the menu header, the tooltip, change notices.

Pure functions over the domain values (no Qt), so the wording is tested on its own.
Times are shown in the computer's local time zone, like the clock on the panel.
"""

from __future__ import annotations

import datetime as dt

from tracktray.domain import Status

__all__ = [
    "change_notice",
    "format_duration",
    "header_text",
    "today_text",
    "tooltip_text",
]

APP_NAME = "TrackTray"


def format_duration(seconds: int) -> str:
    """``"45 min"``, ``"1 h 23 min"``, ``"5 h"`` (whole minutes, rounded down)."""
    minutes = max(0, seconds) // 60
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    if not minutes:
        return f"{hours} h"
    return f"{hours} h {minutes} min"


def _clock(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def header_text(status: Status | None, now: dt.datetime) -> str:
    """``"Website — since 09:12, 1 h 23 min"``, or what is (not) going on."""
    if status is None:
        return "Connecting…"
    running = status.running
    if running is None:
        return "Not tracking"
    paused = " (paused)" if running.paused else ""
    elapsed = status.running_worked_s(now)
    return (
        f"{running.tracker.name} — since {_clock(running.started_at)}, "
        f"{format_duration(elapsed)}{paused}"
    )


def today_text(status: Status | None, now: dt.datetime) -> str:
    """``"Today: 1 h 30 min"``, with free time apart when there is some: worked time is
    never mixed with leave (the rule of :class:`tracktray.domain.DayTotals`)."""
    if status is None:
        return "Today: —"
    worked = f"Today: {format_duration(status.daytotal_at(now))}"
    if status.free_today_s:
        return f"{worked} worked, {format_duration(status.free_today_s)} free"
    return worked


def tooltip_text(
    status: Status | None,
    now: dt.datetime,
    *,
    account_label: str = "",
    problem: str = "",
) -> str:
    """What runs, since when, and today's total; the problem first when there is one."""
    lines = [f"{APP_NAME} — {account_label}" if account_label else APP_NAME]
    if problem:
        lines.append(problem)
    if status is not None:
        running = status.running
        if running is None:
            lines.append("Not tracking")
        else:
            paused = " (paused)" if running.paused else ""
            lines.append(f"{running.tracker.name} since {_clock(running.started_at)}{paused}")
        lines.append(today_text(status, now))
    return "\n".join(lines)


def change_notice(before: Status | None, after: Status) -> str | None:
    """The sentence for a change this widget did not make, or None when nothing changed.

    Only a poll result is compared with the previous known state; the results of this
    widget's own actions replace the known state silently.
    """
    if before is None:
        return None
    old, new = before.running, after.running
    if old is None and new is None:
        return None
    if old is None and new is not None:
        return f"Started {new.tracker.name} on another device"
    if new is None and old is not None:
        return f"Stopped {old.tracker.name} on another device"
    assert old is not None and new is not None
    if old.tracker.id != new.tracker.id:
        return f"Switched to {new.tracker.name} on another device"
    if old.started_at != new.started_at:
        return f"Restarted {new.tracker.name} on another device"
    return None
