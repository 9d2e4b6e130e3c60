"""The values a widget, a script or the engine exchange about tracked time.

Every layer speaks these: the engine returns them in-process (local mode), the API
clients build them from server answers, the desktop and the CLI only read them.
Times are timezone-aware; durations are whole seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tracktray.domain.worktime import break_seconds, elapsed_seconds, worked_seconds


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


@dataclass(frozen=True, slots=True)
class DayTotals:
    """The one rule for "today" (and any day): worked time and free time, apart.

    Worked time is the non-free blocks that *started* on the day, the open one counted
    up to now, breaks excluded; free time (leave, holiday) is never part of it.
    """

    worked_s: int
    free_s: int

    @classmethod
    def of(cls, blocks: Iterable[Block]) -> DayTotals:
        worked = free = 0
        for block in blocks:
            if block.free:
                free += block.total_s
            else:
                worked += block.total_s
        return cls(worked, free)


@dataclass(frozen=True, slots=True)
class Block:
    """A stretch of tracked (or free) time.

    ``time_in``/``time_out`` are wall-clock times in the profile's (or the report's)
    time zone, as the server states them; they are naive because the TrackMyPeople
    protocol sends no offset. ``time_out`` is None for the open block.
    """

    id: int
    profile_id: int
    tracker_id: int | None
    description: str
    time_in: dt.datetime
    time_out: dt.datetime | None
    total_s: int
    free: bool = False
    break_s: int = 0


@dataclass(frozen=True, slots=True)
class Profile:
    id: int
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    gsm: str = ""
    timezone: str = "UTC"
    culture: str = ""
    default_tracker_id: int | None = None
    username: str = ""

    @property
    def display_name(self) -> str:
        full = " ".join(p for p in (self.first_name, self.last_name) if p)
        return full or self.username or f"#{self.id}"


@dataclass(frozen=True, slots=True)
class UpdateCheck:
    """Answer of `checkVersion`: up to date, or where the newer release is."""

    up_to_date: bool
    url: str | None = None
    version: str | None = None
    #: where the signed release manifest lives (an extra key of ours; None = unknown)
    manifest_url: str | None = None


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """Filter of `report`; every field optional, as in the protocol."""

    profile_id: int | None = None
    tracker_id: int | None = None
    start: dt.datetime | None = None
    stop: dt.datetime | None = None
    timezone: str | None = None
    #: None = both kinds, True = only free time, False = only worked time
    free: bool | None = None
    include_open: bool = False
