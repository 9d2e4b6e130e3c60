"""What ``status`` answers: the open block, today's total, the default tracker.

The values every poll of the widget and every ``tracktray status`` build, apart from the
rest of the model (:mod:`tracktray.domain.model` re-exports them), so that reading a
status does not pay for creating every value class of the domain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracktray.domain.worktime import break_seconds, elapsed_seconds, worked_seconds

__all__ = ["AttendanceClock", "RunningBlock", "Status", "TrackerRef"]


@dataclass(frozen=True, slots=True)
class TrackerRef:
    """A tracker as `status` names it (no tree position)."""

    id: int
    name: str
    abbreviation: str = ""
    trackable: bool = True


@dataclass(frozen=True, slots=True)
class RunningBlock:
    """The open block, as of ``Status.fetched_at``."""

    tracker: TrackerRef
    started_at: dt.datetime
    #: seconds tracked today on this tracker, the open block included, at ``fetched_at``
    tracker_total_s: int = 0
    #: TimeTrack timers can pause; break time does not count as worked time
    paused: bool = False
    break_s: int = 0
    note: str = ""

    def elapsed_s(self, now: dt.datetime) -> int:
        """Worked seconds from the start to ``now``, the breaks known excluded.

        Ignores a pause still open: :meth:`Status.running_worked_s` freezes a paused block.
        """
        return worked_seconds(self.started_at, now, self.break_s)


@dataclass(frozen=True, slots=True)
class AttendanceClock:
    """A clock-in (attendance) timer: who is at work since when."""

    started_at: dt.datetime
    break_s: int = 0


@dataclass(frozen=True, slots=True)
class Status:
    """What a widget needs to draw its buttons."""

    #: seconds tracked today, all trackers, the open block counted up to ``fetched_at``
    daytotal_s: int
    running: RunningBlock | None
    default_tracker: TrackerRef | None
    fetched_at: dt.datetime
    #: TimeTrack only: the attendance clock when clocked in
    attendance: AttendanceClock | None = None
    #: TimeTrack only: seconds at work today (attendance), the running clock counted
    #: up to ``fetched_at``
    attendance_day_s: int = 0
    #: free time (leave, holiday) on today's date, apart from ``daytotal_s``; None when
    #: the account does not say (the TrackMyPeople ``status`` has no such field)
    free_today_s: int | None = None

    def daytotal_at(self, now: dt.datetime) -> int:
        """Today's total extrapolated to ``now`` while a block runs unpaused."""
        if self.running is None or self.running.paused:
            return self.daytotal_s
        return self.daytotal_s + elapsed_seconds(self.fetched_at, now)

    def attendance_day_at(self, now: dt.datetime) -> int:
        """Today's attendance extrapolated to ``now`` while clocked in."""
        if self.attendance is None:
            return self.attendance_day_s
        return self.attendance_day_s + elapsed_seconds(self.fetched_at, now)

    def running_worked_s(self, now: dt.datetime) -> int:
        """Worked seconds of the open block at ``now`` (0 when none runs).

        A paused block was paused as of ``fetched_at`` at the latest: its worked time
        stands still from then on and its break grows (:func:`worked_seconds`).
        """
        running = self.running
        if running is None:
            return 0
        paused_at = self.fetched_at if running.paused else None
        return worked_seconds(running.started_at, now, running.break_s, paused_at)

    def running_break_s(self, now: dt.datetime) -> int:
        """Break seconds of the open block at ``now``: growing while it is paused."""
        running = self.running
        if running is None:
            return 0
        return break_seconds(running.break_s, self.fetched_at if running.paused else None, now)
