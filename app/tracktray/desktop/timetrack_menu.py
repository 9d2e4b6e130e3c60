"""The menu entries of accounts that pause timers and keep attendance.

The menu stays generic: it asks this module for two groups of entries — Pause/Resume
under the timer's own entries, and the attendance clock (with the day's time at work)
next to the day's total. What is offered depends on ``Capability.PAUSE`` and
``Capability.ATTENDANCE`` only, never on the kind of account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from tracktray.accounts import Capability
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.text import format_duration
from tracktray.domain import Status
from tracktray.i18n import _

__all__ = ["TimeTrackMenu", "add_clock_entries", "add_timer_entries", "timetrack_menu"]

Entry = Callable[[QMenu, str, Command, bool], QAction]


@dataclass(frozen=True, slots=True)
class TimeTrackMenu:
    """What the pause and attendance entries show."""

    can_pause: bool = False
    running: bool = False
    paused: bool = False
    keeps_attendance: bool = False
    clocked_in: bool = False
    #: "3 h 10 min" at work today, the running clock included
    at_work_today: str = ""


def timetrack_menu(
    caps: Capability, status: Status | None, now: dt.datetime
) -> TimeTrackMenu | None:
    """The entries' state, or None for an account with neither capability."""
    if not caps & (Capability.PAUSE | Capability.ATTENDANCE):
        return None
    running = status.running if status is not None else None
    return TimeTrackMenu(
        can_pause=Capability.PAUSE in caps,
        running=running is not None,
        paused=running is not None and running.paused,
        keeps_attendance=Capability.ATTENDANCE in caps,
        clocked_in=status is not None and status.attendance is not None,
        at_work_today=format_duration(status.attendance_day_at(now)) if status else "",
    )


def add_timer_entries(
    menu: QMenu, model: TimeTrackMenu | None, entry: Entry, enabled: bool
) -> None:
    """Pause or Resume while the timer runs."""
    if model is None or not (model.can_pause and model.running):
        return
    if model.paused:
        entry(menu, _("Resume"), Command(Kind.RESUME), enabled)
    else:
        entry(menu, _("Pause"), Command(Kind.PAUSE), enabled)


def add_clock_entries(
    menu: QMenu, model: TimeTrackMenu | None, entry: Entry, enabled: bool
) -> None:
    """Clock in or out, with the time at work today, and the Attendances window."""
    if model is None or not model.keeps_attendance:
        return
    if model.clocked_in:
        text = _("Clock out (at work {at_work_today})").format(at_work_today=model.at_work_today)
        entry(menu, text, Command(Kind.CLOCK_OUT), enabled)
    else:
        text = _("Clock in (at work today: {at_work_today})").format(
            at_work_today=model.at_work_today
        )
        entry(menu, text, Command(Kind.CLOCK_IN), enabled)
    entry(menu, _("Attendances…"), Command(Kind.ATTENDANCES), True)
