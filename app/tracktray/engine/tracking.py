"""Tracking rules: status, start/stop/switch, day totals, adding and editing blocks.

Each function runs inside the caller's single transaction (a :class:`Scope`), so a
refused request leaves nothing behind. The rules of a click (status, start, stop,
switch, the day total) are :mod:`.clicks`' (driver SQL, no SQLAlchemy: local mode runs
them on a plain connection too); adding and editing blocks are here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from tracktray.domain import Block
from tracktray.domain.localtime import day_bounds, local_to_utc, today
from tracktray.domain.parsing import check_hours
from tracktray.engine.clicks import (
    already_running,
    check_not_future,
    day_total,
    insert_open_block,
    start,
    status,
    stop,
    switch,
)
from tracktray.engine.errors import Overlap, Refused, ValidationError
from tracktray.engine.openblocks import PROJECT, open_block
from tracktray.engine.scope import Scope, block_from_row
from tracktray.engine.tables import blocks

__all__ = [
    "add",
    "add_free",
    "day_total",
    "edit",
    "start",
    "status",
    "stop",
    "switch",
]


def _overlapping(
    scope: Scope, profile_id: int, begin: dt.datetime, end: dt.datetime | None, skip: int | None
) -> int | None:
    query = select(blocks.c.id).where(
        blocks.c.profile_id == profile_id,
        blocks.c.kind == PROJECT,
        blocks.c.free.is_(False),
        (blocks.c.stop_utc.is_(None)) | (blocks.c.stop_utc > begin),
    )
    if end is not None:
        query = query.where(blocks.c.start_utc < end)
    if skip is not None:
        query = query.where(blocks.c.id != skip)
    found = scope.conn.execute(query.order_by(blocks.c.start_utc).limit(1)).scalar()
    return int(found) if found is not None else None


def _times(
    scope: Scope, profile_id: int, start_at: dt.datetime, stop_at: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime | None]:
    tz = scope.zone_of(profile_id)
    try:
        begin = local_to_utc(start_at, tz).replace(microsecond=0)
        end = local_to_utc(stop_at, tz).replace(microsecond=0) if stop_at is not None else None
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    check_not_future(scope, begin, "start")
    if end is not None:
        if end <= begin:
            raise ValidationError("The start must be before the stop.")
        check_not_future(scope, end, "stop")
    return begin, end


def add(
    scope: Scope,
    profile_id: int,
    start_at: dt.datetime,
    stop_at: dt.datetime | None,
    tracker_id: int | None,
    description: str,
) -> Block:
    """A block in the past; without ``stop_at`` an open block that began at ``start_at``."""
    tracker = scope.tracker_to_track(profile_id, tracker_id)
    begin, end = _times(scope, profile_id, start_at, stop_at)
    if end is None and (running := open_block(scope, profile_id)) is not None:
        raise already_running(scope, running, profile_id)
    clash = _overlapping(scope, profile_id, begin, end, None)
    if clash is not None:
        raise Overlap(clash)
    if end is None:
        block_id = insert_open_block(scope, profile_id, tracker, begin)
        scope.conn.execute(
            update(blocks).where(blocks.c.id == block_id).values(description=description)
        )
    else:
        block_id = _insert_closed(scope, profile_id, tracker, begin, end, description, free=False)
    return _block(scope, profile_id, block_id)


def _insert_closed(
    scope: Scope,
    profile_id: int,
    tracker_id: int,
    begin: dt.datetime,
    end: dt.datetime,
    description: str,
    *,
    free: bool,
) -> int:
    result = scope.conn.execute(
        insert(blocks).values(
            profile_id=profile_id,
            tracker_id=tracker_id,
            kind=PROJECT,
            start_utc=begin,
            stop_utc=end,
            description=description,
            free=free,
            manual=True,
            created_at=scope.now,
            updated_at=scope.now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def add_free(
    scope: Scope,
    profile_id: int,
    hours: Decimal,
    day: dt.date | None,
    tracker_id: int | None,
    description: str,
) -> Block:
    """Free time (leave, holiday): ``hours`` from local midnight of ``day``.

    Free blocks are never overlap-checked and do not count in the day total.
    """
    try:
        check_hours(hours)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    tracker = scope.tracker_to_track(profile_id, tracker_id)
    tz = scope.zone_of(profile_id)
    begin, _ = day_bounds(day or today(tz, scope.now), tz)
    end = begin + dt.timedelta(seconds=int(hours * 3600))
    block_id = _insert_closed(scope, profile_id, tracker, begin, end, description, free=True)
    return _block(scope, profile_id, block_id)


def edit(
    scope: Scope,
    profile_id: int,
    block_id: int,
    start_at: dt.datetime,
    stop_at: dt.datetime | None,
    tracker_id: int,
    description: str,
) -> Block:
    """Change a block of one's own under the rules of ``add`` (overlap excludes itself)."""
    row = scope.block_row(profile_id, block_id)
    if tracker_id != row.tracker_id:
        scope.tracker_to_track(profile_id, tracker_id)
    begin, end = _times(scope, profile_id, start_at, stop_at)
    if row.free and end is None:
        raise ValidationError("Free time needs a stop.")
    if not row.free:
        clash = _overlapping(scope, profile_id, begin, end, block_id)
        if clash is not None:
            raise Overlap(clash)
    if end is None and row.stop_utc is not None:
        running = open_block(scope, profile_id)
        if running is not None:
            raise already_running(scope, running, profile_id)
    try:
        scope.conn.execute(
            update(blocks)
            .where(blocks.c.id == block_id)
            .values(
                start_utc=begin,
                stop_utc=end,
                tracker_id=tracker_id,
                description=description,
                manual=True,
                updated_at=scope.now,
            )
        )
    except IntegrityError:
        raise Refused("A block is already running; stop it first.") from None
    return _block(scope, profile_id, block_id)


def _block(scope: Scope, profile_id: int, block_id: int) -> Block:
    row = scope.conn.execute(select(blocks).where(blocks.c.id == block_id)).one()
    return block_from_row(row, scope.zone_of(profile_id), scope.now)
