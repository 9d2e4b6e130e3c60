"""Open blocks: the one place that finds, opens and closes them, for both faces.

A TrackMyPeople block, the TimeTrack project timer (the same ``project`` block, so both
faces see one running block) and the TimeTrack attendance clock (kind ``attendance``) are
rows of ``blocks`` with no ``stop_utc``. At most one is open per person and kind: the
database's partial unique index settles two opens racing each other, and the loser gets
the caller's refusal. Closing folds a pause still open into the breaks
(:mod:`tracktray.domain.worktime`).

Driver SQL on a :class:`~.rulescope.RuleScope`, no SQLAlchemy: the engine's transactions
and local mode's plain ones run these same functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from tracktray.domain.worktime import break_seconds
from tracktray.engine.errors import Refused
from tracktray.engine.readpath import instant, sql_for, time_param
from tracktray.engine.rulescope import RuleScope

__all__ = ["PROJECT", "OpenBlock", "close", "insert_open", "open_block"]

PROJECT = "project"

# Driver SQL on the transaction's cursor (RuleScope.run, .insert, .write): every click runs
# these, and SQLAlchemy's execution cost more than the statements. Times are bound as
# the engine's tables store them (readpath.time_param: naive UTC).
_OPEN = (
    "SELECT id, tracker_id, start_utc, paused_at, break_s, description, task FROM blocks "
    "WHERE profile_id = ? AND kind = ? AND stop_utc IS NULL"
)
_INSERT = (
    "INSERT INTO blocks (profile_id, tracker_id, kind, start_utc, description, task, manual, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True, slots=True)
class OpenBlock:
    """The columns of an open block that the rules read."""

    id: int
    tracker_id: int | None
    start_utc: dt.datetime
    paused_at: dt.datetime | None
    break_s: int
    description: str
    task: str


def open_block(scope: RuleScope, profile_id: int, kind: str = PROJECT) -> OpenBlock | None:
    """The person's open block of ``kind``, if any."""
    rows = scope.run(sql_for(scope.dialect, _OPEN), (profile_id, kind))
    if not rows:
        return None
    block_id, tracker_id, start, paused, break_s, description, task = rows[0]
    return OpenBlock(
        id=int(block_id),
        tracker_id=None if tracker_id is None else int(tracker_id),
        start_utc=instant(start),
        paused_at=None if paused is None else instant(paused),
        break_s=int(break_s),
        description=str(description),
        task=str(task),
    )


def insert_open(
    scope: RuleScope,
    profile_id: int,
    start: dt.datetime,
    *,
    refusal: Callable[[], Refused],
    kind: str = PROJECT,
    tracker_id: int | None = None,
    description: str = "",
    task: str = "",
) -> int:
    """Open a block begun at ``start``; ``refusal()`` when one of ``kind`` is open already
    (a concurrent open that the caller's check did not see). Returns its id."""
    dialect = scope.dialect
    now = time_param(dialect, scope.now)
    params = (
        profile_id, tracker_id, kind, time_param(dialect, start), description, task, False,
        now, now,
    )  # fmt: skip
    try:
        return scope.insert(sql_for(dialect, _INSERT), params)
    except scope.integrity_error:
        raise refusal() from None


def close(scope: RuleScope, row: OpenBlock, end: dt.datetime, description: str = "") -> None:
    """End the open block ``row`` at ``end`` (never before its start); a pause still open
    becomes break; a ``description`` given replaces the block's."""
    dialect = scope.dialect
    columns = ["stop_utc = ?", "updated_at = ?"]
    params: list[object] = [
        time_param(dialect, max(end, row.start_utc)),
        time_param(dialect, scope.now),
    ]
    if row.paused_at is not None:
        columns += ["break_s = ?", "paused_at = NULL"]
        params.append(break_seconds(row.break_s, row.paused_at, end))
    if description:
        columns.append("description = ?")
        params.append(description)
    statement = f"UPDATE blocks SET {', '.join(columns)} WHERE id = ?"
    scope.write(sql_for(dialect, statement), (*params, row.id))
