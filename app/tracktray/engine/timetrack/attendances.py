"""Attendance entries: closed ``attendance`` blocks, listed, read, added, edited, deleted.

An entry's ``from``/``to`` are instants in the database and wall-clock times in the
user's zone on the way out. The rules the contract fixes: ``from`` < ``to``, and
0 ≤ break < duration. The open attendance block is the clock, not an entry, so it is
never listed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Row, delete, insert, select, update

from tracktray.domain.timetrack import Attendance
from tracktray.domain.worktime import worked_seconds
from tracktray.engine.errors import NotFound, ValidationError
from tracktray.engine.scope import Scope
from tracktray.engine.tables import blocks, profiles

__all__ = ["Changes", "Gps", "add", "edit", "get", "listing", "remove"]

KIND = "attendance"


@dataclass(frozen=True, slots=True)
class Gps:
    """Where an attendance began and ended, when the client said so."""

    latitude_start: float | None = None
    longitude_start: float | None = None
    latitude_end: float | None = None
    longitude_end: float | None = None


@dataclass(frozen=True, slots=True)
class Changes:
    """Fields of an edit; None leaves a field as it is."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    break_minutes: int | None = None
    notes: str | None = None
    manual: bool | None = None
    gps: dict[str, float | None] | None = None


_GPS_COLUMNS = {
    "latitude_start": "lat_start",
    "longitude_start": "lon_start",
    "latitude_end": "lat_end",
    "longitude_end": "lon_end",
}


def _check(start: dt.datetime, end: dt.datetime, break_minutes: int) -> None:
    if start >= end:
        raise ValidationError("The start of an attendance must be before its end.")
    if break_minutes < 0:
        raise ValidationError("The break cannot be negative.")
    if break_minutes * 60 >= (end - start).total_seconds():
        raise ValidationError("The break must be shorter than the attendance itself.")


def entry_from_row(scope: Scope, row: Row[tuple[object, ...]], username: str) -> Attendance:
    zone = scope.zone_of(int(row.profile_id))
    start: dt.datetime = row.start_utc
    end: dt.datetime = row.stop_utc
    break_s = int(row.break_s)
    return Attendance(
        id=int(row.id),
        user=username,
        start=start.astimezone(zone).replace(tzinfo=None),
        end=end.astimezone(zone).replace(tzinfo=None),
        notes=str(row.notes),
        manual=bool(row.manual),
        worked_minutes=worked_seconds(start, end, break_s) // 60,
        break_minutes=break_s // 60,
        latitude_start=row.lat_start,
        longitude_start=row.lon_start,
        latitude_end=row.lat_end,
        longitude_end=row.lon_end,
    )


def _username(scope: Scope, profile_id: int) -> str:
    return str(scope.profile_row(profile_id).username)


def entry_row(scope: Scope, entry_id: int) -> Row[tuple[object, ...]]:
    row = scope.conn.execute(
        select(blocks).where(
            blocks.c.id == entry_id, blocks.c.kind == KIND, blocks.c.stop_utc.is_not(None)
        )
    ).first()
    if row is None:
        raise NotFound(f"There is no attendance entry {entry_id}.")
    return row


def get(scope: Scope, entry_id: int) -> Attendance:
    row = entry_row(scope, entry_id)
    return entry_from_row(scope, row, _username(scope, int(row.profile_id)))


def listing(
    scope: Scope,
    profile_id: int | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
    *,
    offset: int,
    limit: int,
) -> list[Attendance]:
    """Closed entries starting within [start, end], oldest first, one page."""
    query = (
        select(blocks, profiles.c.username.label("username"))
        .join(profiles, profiles.c.id == blocks.c.profile_id)
        .where(blocks.c.kind == KIND, blocks.c.stop_utc.is_not(None))
    )
    if profile_id is not None:
        query = query.where(blocks.c.profile_id == profile_id)
    if start is not None:
        query = query.where(blocks.c.start_utc >= start)
    if end is not None:
        query = query.where(blocks.c.start_utc <= end)
    query = query.order_by(blocks.c.start_utc, blocks.c.id).offset(offset).limit(limit)
    return [entry_from_row(scope, row, str(row.username)) for row in scope.conn.execute(query)]


def add(
    scope: Scope,
    profile_id: int,
    start: dt.datetime,
    end: dt.datetime,
    *,
    break_minutes: int = 0,
    notes: str = "",
    manual: bool = True,
    gps: Gps | None = None,
) -> Attendance:
    _check(start, end, break_minutes)
    gps = gps or Gps()
    result = scope.conn.execute(
        insert(blocks).values(
            profile_id=profile_id,
            kind=KIND,
            start_utc=start,
            stop_utc=end,
            break_s=break_minutes * 60,
            notes=notes,
            manual=manual,
            lat_start=gps.latitude_start,
            lon_start=gps.longitude_start,
            lat_end=gps.latitude_end,
            lon_end=gps.longitude_end,
            created_at=scope.now,
            updated_at=scope.now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return get(scope, int(key[0]))


def edit(scope: Scope, entry_id: int, changes: Changes) -> Attendance:
    row = entry_row(scope, entry_id)
    start = changes.start or row.start_utc
    end = changes.end or row.stop_utc
    break_minutes = (
        changes.break_minutes if changes.break_minutes is not None else int(row.break_s) // 60
    )
    assert isinstance(start, dt.datetime) and isinstance(end, dt.datetime)
    _check(start, end, break_minutes)
    values: dict[str, object] = {
        "start_utc": start,
        "stop_utc": end,
        "break_s": break_minutes * 60,
        "updated_at": scope.now,
    }
    if changes.notes is not None:
        values["notes"] = changes.notes
    if changes.manual is not None:
        values["manual"] = changes.manual
    for name, value in (changes.gps or {}).items():
        values[_GPS_COLUMNS[name]] = value
    scope.conn.execute(update(blocks).where(blocks.c.id == entry_id).values(**values))
    return get(scope, entry_id)


def remove(scope: Scope, entry_id: int) -> None:
    entry_row(scope, entry_id)
    scope.conn.execute(delete(blocks).where(blocks.c.id == entry_id))
