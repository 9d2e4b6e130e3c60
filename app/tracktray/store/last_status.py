"""An account's last confirmed status, as text the journal file keeps.

A widget that starts while its server is away still knows what was running when it last
heard from it, so a click then means what the person sees (stop the block, or start one)
and is journaled like any other; the replay rules settle it once the server is back.
Anything unreadable reads as "nothing known" (None), never as an error.
"""

from __future__ import annotations

import datetime as dt

# the status values alone (not the whole model): the widget's first stage reads this
from tracktray.domain.status import AttendanceClock, RunningBlock, Status, TrackerRef
from tracktray.domain.values import Value

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["status_from_data", "status_to_data"]


def status_to_data(status: Status) -> dict[str, Any]:
    """A JSON-ready copy of ``status`` (times as ISO 8601)."""
    plain: dict[str, Any] = _plain(status)
    return plain


def status_from_data(data: object) -> Status | None:
    """The status written by :func:`status_to_data`, or None if it cannot be read."""
    try:
        assert isinstance(data, dict)
        running = data.get("running")
        attendance = data.get("attendance")
        return Status(
            daytotal_s=int(data["daytotal_s"]),
            running=None
            if running is None
            else RunningBlock(
                tracker=_tracker(running["tracker"]),
                started_at=_when(running["started_at"]),
                tracker_total_s=int(running["tracker_total_s"]),
                paused=bool(running["paused"]),
                break_s=int(running["break_s"]),
                note=str(running["note"]),
            ),
            default_tracker=_tracker(data["default_tracker"])
            if data.get("default_tracker")
            else None,
            fetched_at=_when(data["fetched_at"]),
            attendance=None
            if attendance is None
            else AttendanceClock(_when(attendance["started_at"]), int(attendance["break_s"])),
            attendance_day_s=int(data.get("attendance_day_s", 0)),
            free_today_s=None if data.get("free_today_s") is None else int(data["free_today_s"]),
        )
    except (AssertionError, KeyError, TypeError, ValueError):
        return None


def _tracker(data: dict[str, Any]) -> TrackerRef:
    return TrackerRef(
        int(data["id"]), str(data["name"]), str(data["abbreviation"]), bool(data["trackable"])
    )


def _when(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a time without its zone")  # not translated: never shown
    return moment


def _plain(value: Any) -> Any:
    if isinstance(value, Value):
        return {k: _plain(v) for k, v in value.as_dict().items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value
