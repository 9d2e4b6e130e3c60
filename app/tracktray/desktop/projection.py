"""What the person clicked, shown before the server has confirmed it.

The widget draws the last status the server confirmed with the journal's unsent clicks
applied on top, in click order: a stop clicked while the server is away shows "Not
tracking" at once, marked "not yet sent", instead of a block still running. Pure
functions over domain values, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracktray.domain import RunningBlock, Status, TrackerRef, TrackerTree
from tracktray.domain.model import AttendanceClock
from tracktray.i18n import _, ngettext
from tracktray.store.journal import JournalEntry

__all__ = ["project", "unsent_text"]


def project(
    status: Status | None, unsent: Sequence[JournalEntry], tree: TrackerTree
) -> Status | None:
    """``status`` as it will be once every entry of ``unsent`` has reached the server."""
    if status is None:
        return None
    for entry in unsent:
        status = _apply(status, entry, tree)
    return status


def _apply(status: Status, entry: JournalEntry, tree: TrackerTree) -> Status:
    kind, at, running = entry.kind, entry.clicked_at, status.running
    if kind == "stop":
        return status.replace(running=None)
    if kind in ("start", "switch"):
        tracker = _tracker(entry.args.get("tracker_id"), status, tree)
        if tracker is None:
            return status
        if running is not None and running.tracker.id == tracker.id and kind == "start":
            return status
        return status.replace(running=RunningBlock(tracker=tracker, started_at=at))
    if kind in ("pause", "resume") and running is not None:
        return status.replace(running=running.replace(paused=kind == "pause"))
    if kind == "clock_in" and status.attendance is None:
        return status.replace(attendance=AttendanceClock(started_at=at))
    if kind == "clock_out":
        return status.replace(attendance=None)
    return status


def _tracker(tracker_id: object, status: Status, tree: TrackerTree) -> TrackerRef | None:
    if not isinstance(tracker_id, int):
        return status.default_tracker
    node = tree.get(tracker_id)
    if node is None:
        return TrackerRef(id=tracker_id, name=f"tracker {tracker_id}")
    return TrackerRef(id=node.id, name=node.name)


def unsent_text(unsent: Sequence[JournalEntry]) -> str:
    """``"not yet sent"``, ``"3 clicks not yet sent"``, or "" when all is confirmed."""
    count = len(unsent)
    if count == 0:
        return ""
    return (
        _("not yet sent")
        if count == 1
        else ngettext("{count} click not yet sent", "{count} clicks not yet sent", count).format(
            count=count
        )
    )
