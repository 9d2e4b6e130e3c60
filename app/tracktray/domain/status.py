"""What ``status`` answers: the open block, today's total, the default tracker.

The values every poll of the widget and every ``tracktray status`` build, apart from the
rest of the model (:mod:`tracktray.domain.model` re-exports them), so that reading a
status does not pay for creating every value class of the domain. They are
:class:`~tracktray.domain.values.Value` classes rather than frozen dataclasses (equal,
hashed and immutable alike; ``replace`` for ``dataclasses.replace``): a status read
imports no ``dataclasses``.
"""

from __future__ import annotations

from tracktray.domain.values import Value, set_field
from tracktray.domain.worktime import break_seconds, elapsed_seconds, worked_seconds

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    import datetime as dt

__all__ = ["AttendanceClock", "RunningBlock", "Status", "TrackerRef"]


class TrackerRef(Value):
    """A tracker as `status` names it (no tree position)."""

    __slots__ = ("abbreviation", "id", "name", "trackable")
    _fields = ("id", "name", "abbreviation", "trackable")
    id: int
    name: str
    abbreviation: str
    trackable: bool

    def __init__(
        self,
        id: int,
        name: str,
        abbreviation: str = "",
        trackable: bool = True,
    ) -> None:
        set_field(self, "id", id)
        set_field(self, "name", name)
        set_field(self, "abbreviation", abbreviation)
        set_field(self, "trackable", trackable)


class RunningBlock(Value):
    """The open block, as of ``Status.fetched_at``."""

    __slots__ = ("break_s", "note", "paused", "started_at", "tracker", "tracker_total_s")
    _fields = ("tracker", "started_at", "tracker_total_s", "paused", "break_s", "note")
    tracker: TrackerRef
    started_at: dt.datetime
    #: seconds tracked today on this tracker, the open block included, at ``fetched_at``
    tracker_total_s: int
    #: TimeTrack timers can pause; break time does not count as worked time
    paused: bool
    break_s: int
    note: str

    def __init__(
        self,
        tracker: TrackerRef,
        started_at: dt.datetime,
        tracker_total_s: int = 0,
        paused: bool = False,
        break_s: int = 0,
        note: str = "",
    ) -> None:
        set_field(self, "tracker", tracker)
        set_field(self, "started_at", started_at)
        set_field(self, "tracker_total_s", tracker_total_s)
        set_field(self, "paused", paused)
        set_field(self, "break_s", break_s)
        set_field(self, "note", note)

    def elapsed_s(self, now: dt.datetime) -> int:
        """Worked seconds from the start to ``now``, the breaks known excluded.

        Ignores a pause still open: :meth:`Status.running_worked_s` freezes a paused block.
        """
        return worked_seconds(self.started_at, now, self.break_s)


class AttendanceClock(Value):
    """A clock-in (attendance) timer: who is at work since when."""

    __slots__ = ("break_s", "started_at")
    _fields = ("started_at", "break_s")
    started_at: dt.datetime
    break_s: int

    def __init__(self, started_at: dt.datetime, break_s: int = 0) -> None:
        set_field(self, "started_at", started_at)
        set_field(self, "break_s", break_s)


class Status(Value):
    """What a widget needs to draw its buttons."""

    __slots__ = (
        "attendance",
        "attendance_day_s",
        "daytotal_s",
        "default_tracker",
        "fetched_at",
        "free_today_s",
        "running",
    )
    _fields = (
        "daytotal_s",
        "running",
        "default_tracker",
        "fetched_at",
        "attendance",
        "attendance_day_s",
        "free_today_s",
    )
    #: seconds tracked today, all trackers, the open block counted up to ``fetched_at``
    daytotal_s: int
    running: RunningBlock | None
    default_tracker: TrackerRef | None
    fetched_at: dt.datetime
    #: TimeTrack only: the attendance clock when clocked in
    attendance: AttendanceClock | None
    #: TimeTrack only: seconds at work today (attendance), the running clock counted
    #: up to ``fetched_at``
    attendance_day_s: int
    #: free time (leave, holiday) on today's date, apart from ``daytotal_s``; None when
    #: the account does not say (the TrackMyPeople ``status`` has no such field)
    free_today_s: int | None

    def __init__(
        self,
        daytotal_s: int,
        running: RunningBlock | None,
        default_tracker: TrackerRef | None,
        fetched_at: dt.datetime,
        attendance: AttendanceClock | None = None,
        attendance_day_s: int = 0,
        free_today_s: int | None = None,
    ) -> None:
        set_field(self, "daytotal_s", daytotal_s)
        set_field(self, "running", running)
        set_field(self, "default_tracker", default_tracker)
        set_field(self, "fetched_at", fetched_at)
        set_field(self, "attendance", attendance)
        set_field(self, "attendance_day_s", attendance_day_s)
        set_field(self, "free_today_s", free_today_s)

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
