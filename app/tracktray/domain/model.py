"""The values a widget, a script or the engine exchange about tracked time.

Every layer speaks these: the engine returns them in-process (local mode), the API
clients build them from server answers, the desktop and the CLI only read them.
Times are timezone-aware; durations are whole seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tracktray.domain.status import AttendanceClock, RunningBlock, Status, TrackerRef

__all__ = [
    "AttendanceClock",
    "Block",
    "DayTotals",
    "Profile",
    "ReportQuery",
    "RunningBlock",
    "Status",
    "TrackerRef",
    "UpdateCheck",
]


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
    """A person on the server, as reports and reportees name them."""

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
