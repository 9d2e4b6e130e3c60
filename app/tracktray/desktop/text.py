"""The words the widget shows: durations, the menu header, the tooltip, change notices.

Pure functions over the domain values (no Qt), so the wording is tested on its own.
Times are shown in the computer's local time zone, like the clock on the panel.
"""

from __future__ import annotations

import datetime as dt

from tracktray.domain import Status
from tracktray.i18n import _, format_clock

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
        return _("{minutes} min").format(minutes=minutes)
    if not minutes:
        return _("{hours} h").format(hours=hours)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)


def _clock(moment: dt.datetime) -> str:
    return format_clock(moment.astimezone())


def header_text(status: Status | None, now: dt.datetime) -> str:
    """``"Website — since 09:12, 1 h 23 min"``, or what is (not) going on."""
    if status is None:
        return _("Connecting…")
    running = status.running
    if running is None:
        return _("Not tracking")
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
        return _("Today: —")
    worked = format_duration(status.daytotal_at(now))
    if status.free_today_s:
        return _("Today: {worked} worked, {free} free").format(
            worked=worked, free=format_duration(status.free_today_s)
        )
    return _("Today: {worked}").format(worked=worked)


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
            lines.append(_("Not tracking"))
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
        return _("Started {name} on another device").format(name=new.tracker.name)
    if new is None and old is not None:
        return _("Stopped {name} on another device").format(name=old.tracker.name)
    assert old is not None and new is not None
    if old.tracker.id != new.tracker.id:
        return _("Switched to {name} on another device").format(name=new.tracker.name)
    if old.started_at != new.started_at:
        return _("Restarted {name} on another device").format(name=new.tracker.name)
    return None
