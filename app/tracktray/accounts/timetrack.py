"""What a TimeTrack-like account offers beyond :class:`Backend`, as small protocols.

The widget and the CLI ask ``Capability.PAUSE`` / ``Capability.ATTENDANCE`` in
``backend.capabilities`` and then use :func:`pausable` / :func:`attendance_of` to get
the typed face: no ``if kind == "timetrack"`` anywhere in the UI.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

from tracktray.accounts.backend import Backend, Capability
from tracktray.domain import Status
from tracktray.domain.timetrack import Attendance

__all__ = ["AttendanceBackend", "PausableBackend", "attendance_of", "pausable"]


@runtime_checkable
class PausableBackend(Protocol):
    """A running timer can pause (break time starts) and resume."""

    def pause(self) -> Status: ...

    def resume(self) -> Status: ...


@runtime_checkable
class AttendanceBackend(Protocol):
    """The attendance clock and its entries (times are the user's wall-clock, naive)."""

    def clock_in(self) -> Status: ...

    def clock_out(self) -> Status: ...

    def attendances(self, start: dt.datetime, end: dt.datetime) -> list[Attendance]: ...

    def add_attendance(
        self,
        start: dt.datetime,
        end: dt.datetime,
        *,
        break_minutes: int = 0,
        notes: str = "",
    ) -> Attendance: ...

    def edit_attendance(
        self,
        attendance_id: int,
        *,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        break_minutes: int | None = None,
        notes: str | None = None,
    ) -> Attendance: ...

    def delete_attendance(self, attendance_id: int) -> None: ...


def pausable(backend: Backend) -> PausableBackend | None:
    """The pause/resume face when the account states it can pause."""
    if Capability.PAUSE in backend.capabilities and isinstance(backend, PausableBackend):
        return backend
    return None


def attendance_of(backend: Backend) -> AttendanceBackend | None:
    """The attendance face when the account states it keeps attendance."""
    if Capability.ATTENDANCE in backend.capabilities and isinstance(backend, AttendanceBackend):
        return backend
    return None
