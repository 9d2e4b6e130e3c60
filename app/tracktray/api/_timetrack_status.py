"""One :class:`Status` from the TimeTrack answers a widget needs (pure, no I/O).

TimeTrack has no ``status`` call: the project timer, the attendance timer, today's
project time entries and today's work report together say what the widget shows. The
figures are those of the moment the timers were fetched; :class:`Status` extrapolates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tracktray.domain import RunningBlock, Status, TrackerRef
from tracktray.domain.model import AttendanceClock
from tracktray.domain.timetrack import ProjectEntry, Timer, WorkDay
from tracktray.domain.worktime import elapsed_seconds

__all__ = ["build_status"]


def build_status(
    timer: Timer,
    clock: Timer,
    entries: Sequence[ProjectEntry],
    days: Sequence[WorkDay],
    *,
    today: dt.date,
    running_ref: TrackerRef | None,
) -> Status:
    """``running_ref`` names the project the timer runs on (None when it is stopped)."""
    now = timer.fetched_at
    daytotal = sum(e.worked_minutes for e in entries) * 60
    running: RunningBlock | None = None
    if timer.running and running_ref is not None:
        started = timer.started_at or now - dt.timedelta(seconds=timer.worked_s + timer.break_s)
        elapsed = elapsed_seconds(started, now)
        same_project = sum(
            e.worked_minutes * 60
            for e in entries
            if (e.client_name, e.project_name) == (timer.client_name, timer.project_name)
        )
        running = RunningBlock(
            tracker=running_ref,
            started_at=started,
            tracker_total_s=same_project + timer.worked_s,
            paused=timer.paused,
            # whatever of the elapsed time was not worked was break, so that
            # RunningBlock.elapsed_s() shows the worked time whichever way the server counts
            break_s=max(0, elapsed - timer.worked_s),
            note=timer.note,
        )
        daytotal += timer.worked_s
    at_work = sum(d.worked_s for d in days if d.work_date == today)
    attendance: AttendanceClock | None = None
    if clock.running:
        started = clock.started_at or now - dt.timedelta(seconds=clock.worked_s)
        attendance = AttendanceClock(started_at=started, break_s=clock.break_s)
        at_work += clock.worked_s
    return Status(
        daytotal_s=daytotal,
        running=running,
        default_tracker=None,
        fetched_at=now,
        attendance=attendance,
        attendance_day_s=at_work,
    )
