"""A :class:`Status` as plain JSON values and back, for the widget answering the CLI.

``tracktray status`` asks a running widget over its single-instance socket (the widget
holds the account open already); both sides are this package, so the shape is ours:
the dataclass fields, times in ISO 8601 with their offset.
"""

from __future__ import annotations

import datetime as dt

from tracktray.domain.status import AttendanceClock, RunningBlock, Status, TrackerRef

TYPE_CHECKING = False  # typing is not imported at run time (``tracktray status`` reads this)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["status_from_json", "status_to_json"]


def _time(value: dt.datetime) -> str:
    return value.isoformat()


def status_to_json(status: Status) -> dict[str, Any]:
    running = status.running
    default = status.default_tracker
    attendance = status.attendance
    return {
        "daytotal_s": status.daytotal_s,
        "running": None
        if running is None
        else {
            "tracker": _tracker(running.tracker),
            "started_at": _time(running.started_at),
            "tracker_total_s": running.tracker_total_s,
            "paused": running.paused,
            "break_s": running.break_s,
            "note": running.note,
        },
        "default_tracker": None if default is None else _tracker(default),
        "fetched_at": _time(status.fetched_at),
        "attendance": None
        if attendance is None
        else {"started_at": _time(attendance.started_at), "break_s": attendance.break_s},
        "attendance_day_s": status.attendance_day_s,
        "free_today_s": status.free_today_s,
    }


def _tracker(ref: TrackerRef) -> dict[str, Any]:
    return {
        "id": ref.id,
        "name": ref.name,
        "abbreviation": ref.abbreviation,
        "trackable": ref.trackable,
    }


def status_from_json(data: dict[str, Any]) -> Status:
    """The :class:`Status` :func:`status_to_json` wrote (``KeyError``/``TypeError``/
    ``ValueError`` on anything else)."""
    running = data["running"]
    default = data["default_tracker"]
    attendance = data["attendance"]
    free = data["free_today_s"]
    return Status(
        daytotal_s=int(data["daytotal_s"]),
        running=None
        if running is None
        else RunningBlock(
            tracker=_tracker_from(running["tracker"]),
            started_at=dt.datetime.fromisoformat(running["started_at"]),
            tracker_total_s=int(running["tracker_total_s"]),
            paused=bool(running["paused"]),
            break_s=int(running["break_s"]),
            note=str(running["note"]),
        ),
        default_tracker=None if default is None else _tracker_from(default),
        fetched_at=dt.datetime.fromisoformat(data["fetched_at"]),
        attendance=None
        if attendance is None
        else AttendanceClock(
            started_at=dt.datetime.fromisoformat(attendance["started_at"]),
            break_s=int(attendance["break_s"]),
        ),
        attendance_day_s=int(data["attendance_day_s"]),
        free_today_s=None if free is None else int(free),
    )


def _tracker_from(data: dict[str, Any]) -> TrackerRef:
    return TrackerRef(
        id=int(data["id"]),
        name=str(data["name"]),
        abbreviation=str(data["abbreviation"]),
        trackable=bool(data["trackable"]),
    )
