"""The rules of a click: start, stop, switch, and the status that answers them.

Driver SQL on a :class:`~.rulescope.RuleScope`, no SQLAlchemy: the same functions run in
the :class:`~tracktray.engine.Engine`'s transactions (the server, and everything local
mode does beyond a click) and on local mode's plain :mod:`sqlite3` connection
(:class:`~.plainwrite.PlainTracking`). Each runs inside the caller's single transaction,
so a refused request leaves nothing behind. The rest of the tracking rules (adding,
editing) are :mod:`.tracking`'s.
"""

from __future__ import annotations

import datetime as dt

from tracktray.domain.localtime import format_local, local_to_utc
from tracktray.domain.status import Status
from tracktray.engine import readpath
from tracktray.engine.errors import Refused, ValidationError
from tracktray.engine.openblocks import OpenBlock, close, insert_open, open_block
from tracktray.engine.rulescope import RuleScope

__all__ = [
    "FUTURE_SLACK",
    "already_running",
    "check_not_future",
    "day_total",
    "insert_open_block",
    "start",
    "status",
    "stop",
    "switch",
]

#: tolerated clock skew between a widget and the engine for "not in the future"
FUTURE_SLACK = dt.timedelta(seconds=60)


def day_total(scope: RuleScope, profile_id: int) -> int:
    """Today's worked seconds: the ``daytotal`` of :func:`status`, by the same rule."""
    return status(scope, profile_id).daytotal_s


def status(scope: RuleScope, profile_id: int) -> Status:
    """The one ``status`` rule (:func:`tracktray.engine.readpath.status`), in this
    transaction: a write answers with what it wrote."""
    who = scope.person(profile_id)
    return readpath.status(scope.run, scope.dialect, profile_id, scope.now, who, scope.index)


def already_running(scope: RuleScope, row: OpenBlock, profile_id: int) -> Refused:
    """The refusal of a second open block, naming the one that runs."""
    tracker = row.tracker_id
    name = (
        scope.index.display_path(tracker) if tracker is not None and tracker in scope.index else "?"
    )
    since = format_local(row.start_utc, scope.zone_of(profile_id))[11:16]
    return Refused(f"A block is already running on “{name}” since {since}; stop or switch instead.")


def insert_open_block(scope: RuleScope, profile_id: int, tracker_id: int, at: dt.datetime) -> int:
    """Open a project block on ``tracker_id`` from ``at``; its id."""
    return insert_open(
        scope,
        profile_id,
        at,
        tracker_id=tracker_id,
        refusal=lambda: Refused("A block is already running; stop or switch instead."),
    )


def start(scope: RuleScope, profile_id: int, tracker_id: int | None) -> Status:
    tracker = scope.tracker_to_track(profile_id, tracker_id)
    running = open_block(scope, profile_id)
    if running is not None:
        raise already_running(scope, running, profile_id)
    insert_open_block(scope, profile_id, tracker, scope.now)
    return status(scope, profile_id)


def _end_of(
    scope: RuleScope, profile_id: int, row: OpenBlock, at: dt.datetime | None
) -> dt.datetime:
    """When the open block ends: now, or ``at`` (our extension of stop/switch).

    ``at`` replays a click made while the server was unreachable, or cuts idle time off a
    block. It must lie between the block's start and now + the clock-skew slack; a time a
    few seconds ahead of the engine's clock (a widget's clock running fast) ends the block
    now, so no block ever ends in the future.
    """
    if at is None:
        return scope.now
    tz = scope.zone_of(profile_id)
    try:
        end = local_to_utc(at, tz).replace(microsecond=0)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    check_not_future(scope, end, "stop time")
    if end < row.start_utc:
        since = format_local(row.start_utc, tz)
        raise ValidationError(f"The stop time is before the running block began ({since}).")
    return min(end, scope.now)


def stop(scope: RuleScope, profile_id: int, description: str, at: dt.datetime | None = None) -> int:
    """Close the open block now or at ``at`` (naive: wall time in the profile's zone)."""
    scope.person(profile_id)
    row = open_block(scope, profile_id)
    if row is None:
        raise Refused("No block is running, so there is nothing to stop.")
    close(scope, row, _end_of(scope, profile_id, row, at), description)
    return int(row.id)


def switch(
    scope: RuleScope,
    profile_id: int,
    tracker_id: int | None,
    description: str,
    at: dt.datetime | None = None,
) -> Status:
    """Close the open block and open one on ``tracker_id``, both now or at ``at``."""
    tracker = scope.tracker_to_track(profile_id, tracker_id)
    row = open_block(scope, profile_id)
    if row is None:
        raise Refused("No block is running, so there is nothing to switch from; start instead.")
    end = _end_of(scope, profile_id, row, at)
    close(scope, row, end, description)
    insert_open_block(scope, profile_id, tracker, end)
    return status(scope, profile_id)


def check_not_future(scope: RuleScope, instant: dt.datetime, what: str) -> None:
    if instant > scope.now + FUTURE_SLACK:
        raise ValidationError(f"The {what} is in the future.")
