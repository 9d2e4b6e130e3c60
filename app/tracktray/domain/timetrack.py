"""TimeTrack Enterprise rules that need no I/O: the ``date`` format, worked time, entries.

The vendor asks every timer call for the caller's *local wall-clock* time but writes it
with a ``Z`` (``2020-10-23T16:00:00.000Z``): the ``Z`` is decoration, not UTC. Both the
engine and the client therefore turn such a string into a naive wall-clock time and place
it in a named time zone themselves. Durations are computed between aware instants, so a
timer that runs over midnight or across a DST change counts the hours that really passed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tracktray.domain.worktime import break_seconds, elapsed_seconds
from tracktray.i18n import _

__all__ = [
    "Attendance",
    "BadTimestamp",
    "Project",
    "ProjectEntry",
    "Timer",
    "WorkDay",
    "format_wall_clock",
    "parse_timestamp",
    "parse_wall_clock",
    "to_aware",
]

_TIMESTAMP = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)


class BadTimestamp(ValueError):
    """A timestamp that is not ``YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]``."""

    def __init__(self, text: str) -> None:
        super().__init__(
            _("“{text}” is not a date and time like 2020-10-20T09:00:00.000Z.").format(text=text)
        )
        self.text = text


def format_wall_clock(moment: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """The vendor's ``date``: ``moment`` as wall-clock time in ``zone``, with a literal Z.

    An aware ``moment`` is first converted to ``zone`` (the machine's zone when None);
    a naive one is taken as already being wall-clock time.
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone) if zone is not None else moment.astimezone()
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def parse_timestamp(text: str) -> dt.datetime:
    """A timestamp as the API carries it: naive (wall-clock) unless it names an offset.

    ``Z`` (and no suffix) means "already wall-clock" per the vendor's rule; an explicit
    numeric offset such as ``+02:00`` gives an aware instant, because a client that
    sends one clearly means that instant.
    """
    m = _TIMESTAMP.match(text)
    if m is None:
        raise BadTimestamp(text)
    year, month, day, hour, minute, second, frac, suffix = m.groups()
    try:
        naive = dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((frac or "0").ljust(6, "0")),
        )
    except ValueError as exc:
        raise BadTimestamp(text) from exc
    if suffix and suffix != "Z":
        sign = 1 if suffix[0] == "+" else -1
        digits = suffix[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return naive.replace(tzinfo=dt.timezone(sign * offset))
    return naive


def parse_wall_clock(text: str, zone: dt.tzinfo) -> dt.datetime:
    """A naive wall-clock time in ``zone`` from any timestamp the API may carry."""
    moment = parse_timestamp(text)
    if moment.tzinfo is not None:
        return moment.astimezone(zone).replace(tzinfo=None)
    return moment


def to_aware(wall_clock: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """Place a naive wall-clock time in ``zone``.

    In the repeated hour of a DST fall-back the first occurrence is chosen (``fold=0``);
    a time that does not exist (spring-forward gap) is moved forward by the gap, which is
    what a clock on the wall would have shown a moment later.
    """
    aware = wall_clock.replace(tzinfo=zone)
    roundtrip = aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    if roundtrip != wall_clock:  # inside a gap: take the instant of the shifted reading
        aware = (aware.astimezone(dt.UTC)).astimezone(zone)
    return aware


@dataclass(frozen=True, slots=True)
class Timer:
    """A TimeTrack timer (project or attendance) as of ``fetched_at``.

    ``worked_s``/``break_s`` are the server's figures at the moment it answered; while
    the timer plays, worked time grows, while it is paused, break time grows.
    """

    playing: bool
    paused: bool
    started_at: dt.datetime | None
    worked_s: int
    break_s: int
    fetched_at: dt.datetime
    client_name: str = ""
    project_name: str = ""
    task_name: str = ""
    note: str = ""

    @property
    def running(self) -> bool:
        """Started and not yet stopped (playing or paused)."""
        return self.playing or self.paused

    def worked_at(self, now: dt.datetime) -> int:
        if not self.playing:
            return self.worked_s
        return self.worked_s + elapsed_seconds(self.fetched_at, now)

    def break_at(self, now: dt.datetime) -> int:
        return break_seconds(self.break_s, self.fetched_at if self.paused else None, now)


@dataclass(frozen=True, slots=True)
class Attendance:
    """An attendance entry: time at work without a project (the API's ``from``/``to``).

    ``start``/``end`` are the user's wall-clock times (naive), as the API states them.
    ``manual`` tells an entry typed in from one made by the clock (attendance timer).
    """

    id: int
    user: str
    start: dt.datetime
    end: dt.datetime
    notes: str = ""
    manual: bool = True
    worked_minutes: int = 0
    break_minutes: int = 0
    latitude_start: float | None = None
    longitude_start: float | None = None
    latitude_end: float | None = None
    longitude_end: float | None = None


@dataclass(frozen=True, slots=True)
class Project:
    """A TimeTrack project and the client it belongs to."""

    id: int
    client_name: str
    project_name: str
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class ProjectEntry:
    """A project time entry; ``start``/``end`` are the user's wall-clock times."""

    id: int
    user: str
    client_name: str
    project_name: str
    start: dt.datetime
    end: dt.datetime | None
    worked_minutes: int
    break_minutes: int = 0
    task: str = ""
    details: str = ""
    billable: bool = False


@dataclass(frozen=True, slots=True)
class WorkDay:
    """One day of ``work_reports``."""

    username: str
    work_date: dt.date
    worked_s: int
    break_s: int
    target_s: int
