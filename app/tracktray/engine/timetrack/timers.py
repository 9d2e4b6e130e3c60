"""The project timer (pause/resume keeps its breaks) and the attendance clock.

Both timers are open blocks of the shared ``blocks`` table: kind ``project`` for the
project timer (so the TrackMyPeople face sees the same running block), kind
``attendance`` for the clock. Every event carries the caller's ``when`` (the vendor's
local ``date`` placed in the user's zone): a pause stores ``paused_at``, a resume adds
the pause to ``break_s``, a stop closes the block, folding a pause still open into it.
Opening and closing are those of every block (:mod:`tracktray.engine.openblocks`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from tracktray.domain.timetrack import Timer
from tracktray.domain.worktime import break_seconds, worked_seconds
from tracktray.engine.errors import Refused, ValidationError
from tracktray.engine.openblocks import OpenBlock, close, insert_open, open_block
from tracktray.engine.scope import Scope
from tracktray.engine.tables import blocks

__all__ = ["pause", "resume", "start", "stop", "timer_of"]

Kind = str  # 'project' | 'attendance'
_NAMES = {"project": "project timer", "attendance": "attendance clock"}


def timer_of(
    scope: Scope, profile_id: int, kind: Kind, at: dt.datetime
) -> tuple[Timer, OpenBlock | None]:
    """The timer as of ``at`` (worked and break seconds computed up to then)."""
    row = open_block(scope, profile_id, kind)
    if row is None:
        return Timer(False, False, None, 0, 0, at), None
    start: dt.datetime = row.start_utc
    paused_at: dt.datetime | None = row.paused_at
    breaks = break_seconds(int(row.break_s), paused_at, at)
    worked = worked_seconds(start, at, int(row.break_s), paused_at)
    timer = Timer(
        playing=paused_at is None,
        paused=paused_at is not None,
        started_at=start,
        worked_s=worked,
        break_s=breaks,
        fetched_at=at,
        note=str(row.description),
    )
    return timer, row


def start(
    scope: Scope,
    profile_id: int,
    kind: Kind,
    when: dt.datetime,
    *,
    tracker_id: int | None = None,
    task: str = "",
    note: str = "",
) -> None:
    def refusal() -> Refused:
        return Refused(f"The {_NAMES[kind]} is already running; stop it first.")

    if open_block(scope, profile_id, kind) is not None:
        raise refusal()
    insert_open(
        scope,
        profile_id,
        when,
        refusal=refusal,
        kind=kind,
        tracker_id=tracker_id,
        description=note,
        task=task,
    )


def _running(scope: Scope, profile_id: int, kind: Kind) -> OpenBlock:
    row = open_block(scope, profile_id, kind)
    if row is None:
        raise Refused(f"The {_NAMES[kind]} is not running.")
    return row


def _not_before(row: OpenBlock, when: dt.datetime, what: str) -> None:
    later_of = row.paused_at or row.start_utc
    assert isinstance(later_of, dt.datetime)
    if when < later_of:
        raise ValidationError(
            f"The {what} time is before the timer's last change; check the computer's clock."
        )


def pause(scope: Scope, profile_id: int, when: dt.datetime) -> None:
    row = _running(scope, profile_id, "project")
    if row.paused_at is not None:
        raise Refused("The project timer is already paused.")
    _not_before(row, when, "pause")
    scope.conn.execute(
        update(blocks).where(blocks.c.id == row.id).values(paused_at=when, updated_at=scope.now)
    )


def resume(scope: Scope, profile_id: int, when: dt.datetime) -> None:
    row = _running(scope, profile_id, "project")
    if row.paused_at is None:
        raise Refused("The project timer is not paused.")
    _not_before(row, when, "resume")
    breaks = break_seconds(int(row.break_s), row.paused_at, when)
    scope.conn.execute(
        update(blocks)
        .where(blocks.c.id == row.id)
        .values(paused_at=None, break_s=breaks, updated_at=scope.now)
    )


def stop(scope: Scope, profile_id: int, kind: Kind, when: dt.datetime) -> int:
    """Close the timer; the closed block is the new time entry. Returns its id."""
    row = _running(scope, profile_id, kind)
    _not_before(row, when, "stop")
    close(scope, row, when)
    return int(row.id)
