"""Reading tracked time back: reportees, reports, and the widget update check."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from tracktray.domain import Block, Profile, ReportQuery, UpdateCheck
from tracktray.domain.localtime import local_to_utc, month_bounds, zone
from tracktray.domain.versions import parse_version_number, parse_widget_version
from tracktray.engine.errors import NotAllowed, ValidationError
from tracktray.engine.readpath import instant, time_param
from tracktray.engine.reportsql import (
    MARGIN,
    MARK,
    block_member,
    covering_stretches,
    member_select,
    row_select,
)
from tracktray.engine.scope import BLOCK_COLUMNS, Scope, block_from_values, profile_from_row
from tracktray.engine.tables import profiles, releases, roles

__all__ = ["check_version", "member_slices", "report", "reportees"]


def _reportee_ids(scope: Scope, profile_id: int) -> set[int]:
    """The caller and everyone holding a role on a tracker the caller sees reports for.

    A role on an ancestor of such a tracker counts too: it covers that tracker.
    """
    seen = scope.reporting(profile_id)
    roots = scope.reporting_roots(profile_id)
    out = {profile_id}
    if not seen:
        return out
    for other, tracker_id in scope.conn.execute(select(roles.c.profile_id, roles.c.tracker_id)):
        if tracker_id not in scope.index:
            continue
        if tracker_id in seen or any(r in scope.index.subtree(tracker_id) for r in roots):
            out.add(other)
    return out


def reportees(scope: Scope, profile_id: int) -> list[Profile]:
    scope.profile_row(profile_id)
    ids = _reportee_ids(scope, profile_id)
    rows = scope.conn.execute(select(profiles).where(profiles.c.id.in_(ids)))
    people = [profile_from_row(r) for r in rows]
    people.sort(key=lambda p: (p.last_name.casefold(), p.first_name.casefold(), p.username, p.id))
    return people


_MARGIN_S = int(MARGIN.total_seconds())
_LAST_SECOND = int(dt.datetime(9999, 12, 30, tzinfo=dt.UTC).timestamp())


@dataclass(frozen=True)
class _Selection:
    """What a report reads: the statement's filter (trackers shown included), the zone.

    ``where`` asks for starts in ``[params[1], params[2])``; :meth:`starting` narrows
    that to a piece of the report."""

    where: str
    params: list[object]
    tz: ZoneInfo

    def starting(self, first: object, upto: object) -> list[object]:
        """The parameters for the starts in ``[first, upto)`` (stored time values)."""
        return [self.params[0], first, upto, *self.params[3:]]


def _selection(scope: Scope, caller_id: int, query: ReportQuery) -> _Selection:
    """The checked query (NotAllowed / ValidationError with a sentence otherwise)."""
    scope.profile_row(caller_id)
    target = query.profile_id if query.profile_id is not None else caller_id
    visible: set[int] | None = None
    if target != caller_id:
        if target not in _reportee_ids(scope, caller_id):
            raise NotAllowed("not allowed")
        visible = scope.reporting(caller_id)
    scope.profile_row(target)
    try:
        tz = zone(query.timezone) if query.timezone else scope.zone_of(target)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    begin, end = month_bounds(scope.now, tz)
    try:
        if query.start is not None:
            begin = local_to_utc(query.start, tz)
        if query.stop is not None:
            end = local_to_utc(query.stop, tz)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if end <= begin:
        raise ValidationError("The report's start must be before its stop.")

    where = ["profile_id = ?", "kind = 'project'", "start_utc >= ?", "start_utc < ?"]
    params: list[object] = [
        target,
        time_param(scope.dialect, begin),
        time_param(scope.dialect, end),
    ]
    if query.tracker_id is not None:
        if query.tracker_id not in scope.index:
            raise ValidationError(f"There is no tracker {query.tracker_id}.")
        wanted = scope.index.subtree(query.tracker_id)
        visible = wanted if visible is None else visible & wanted
    if query.free is not None:
        where.append("free = ?")
        params.append(query.free)
    if not query.include_open:
        where.append("stop_utc IS NOT NULL")
    if visible is not None:  # tracker ids from the index: numbers, written inline
        where.append(f"tracker_id IN ({', '.join(str(int(t)) for t in sorted(visible))})")
        if not visible:
            where[-1] = "1 = 0"
    return _Selection(" AND ".join(where), params, tz)


def _sql(scope: Scope, statement: str) -> str:
    return statement if scope.dialect == "sqlite" else statement.replace("?", "%s")


@dataclass(frozen=True)
class _Converted:
    """The select list of a report's rows (:mod:`.reportsql`) and the span of their
    starts (UNIX seconds, whole)."""

    select_list: str
    first: int
    last: int


def _converted(scope: Scope, chosen: _Selection, columns: Callable[..., str]) -> _Converted | None:
    """``columns`` for the matching rows, None when nothing matches. The UTC offsets
    cover the matching starts and :data:`.reportsql.MARGIN` after the last one."""
    # the first and last start, each one step down the index (MIN and MAX together
    # would read every matching row)
    edge = f"SELECT start_utc FROM blocks WHERE {chosen.where} ORDER BY start_utc"
    span = scope.run(
        _sql(scope, f"SELECT ({edge} LIMIT 1), ({edge} DESC LIMIT 1)"),
        [*chosen.params, *chosen.params],
    )
    if not span or span[0][0] is None:
        return None
    first = math.floor(instant(span[0][0]).timestamp())
    last_start = math.floor(instant(span[0][1]).timestamp())
    # (a hand-written start near the end of year 9999 must not overflow the offsets)
    last = min(last_start + _MARGIN_S, _LAST_SECOND)
    stretches = covering_stretches(chosen.tz, first, last)
    now = math.floor(scope.now.timestamp())
    return _Converted(columns(scope.dialect, stretches, last + 1, now), first, last_start)


@contextmanager
def _cursor(scope: Scope, statement: str, params: list[object]) -> Iterator[Any]:
    """The driver's own cursor on ``statement``, in this transaction: SQLAlchemy's
    result rows cost ~0.5 µs each, a tenth of a year's report."""
    cursor = scope.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement, tuple(params))
        yield cursor
    finally:
        cursor.close()


def _by_python(scope: Scope, ids: list[int], tz: ZoneInfo) -> dict[int, Block]:
    """Blocks the database could not convert, by the rule it replaces."""
    out: dict[int, Block] = {}
    for first in range(0, len(ids), 500):  # old SQLite allows 999 parameters
        some = ids[first : first + 500]
        marks = ", ".join("?" * len(some))
        statement = f"SELECT {BLOCK_COLUMNS} FROM blocks WHERE id IN ({marks})"
        for row in scope.run(_sql(scope, statement), some):
            out[int(row[0])] = block_from_values(row, tz, scope.now)
    return out


def report(scope: Scope, caller_id: int, query: ReportQuery) -> list[Block]:
    """Blocks of one profile that start in ``[start, stop)``.

    Times are read and written in ``query.timezone``, else the reported profile's zone.
    Someone else's blocks need canSeeReporting, and only show on trackers it covers.
    """
    chosen = _selection(scope, caller_id, query)
    converted = _converted(scope, chosen, row_select)
    if converted is None:
        return []
    statement = _sql(
        scope,
        f"SELECT {converted.select_list} FROM blocks WHERE {chosen.where} ORDER BY start_utc, id",
    )
    with _cursor(scope, statement, chosen.params) as cursor:
        rows = cursor.fetchall()
    unconverted = [int(r[0]) for r in rows if not r[9]]
    fallback = _by_python(scope, unconverted, chosen.tz) if unconverted else {}
    parse = dt.datetime.fromisoformat
    return [
        fallback.get(r[0])
        or Block(
            id=r[0],
            profile_id=r[1],
            tracker_id=r[2],
            description=r[3],
            time_in=parse(r[4]),
            time_out=parse(r[5]) if r[5] else None,
            total_s=int(r[6]),
            free=bool(r[7]),
            break_s=int(r[8]),
        )
        for r in rows
    ]


def member_slices(scope: Scope, caller_id: int, query: ReportQuery, size: int) -> Iterator[str]:
    """:func:`report` as the members of the TrackMyPeople ``report`` answer
    (``"block_<id>":{...}``, written by the database), in order, in slices of about
    ``size`` members joined by commas.

    A generator: the checks (a refusal raised) run at the first ``next``; each slice is
    read when it is asked for.
    """
    chosen = _selection(scope, caller_id, query)
    converted = _converted(scope, chosen, member_select)
    if converted is None:
        return
    if scope.dialect == "sqlite":
        # A slice is the blocks starting in one piece of the report's time, the pieces
        # of equal length, as many as make ``size`` members each on average: SQLite
        # joins a piece's members itself (one row, one string, for Python to fetch
        # instead of hundreds: a fifth of the statement's cost). Every statement of a
        # read transaction reads the same snapshot of the file.
        inner = (
            f"SELECT {converted.select_list} AS m FROM blocks WHERE {chosen.where} "
            "ORDER BY start_utc, id"
        )  # an aggregate takes the rows of a subquery in its order
        joined = f"SELECT group_concat(m, ',') FROM ({inner})"
        for first, upto in _pieces(scope, chosen, converted, size):
            (text,) = scope.run(joined, chosen.starting(first, upto))[0]
            if text:
                yield _with_fallback(scope, text, chosen.tz)
        return
    # PostgreSQL gives each statement a snapshot of its own (read committed): one
    # statement, so that a block moved meanwhile cannot show twice or not at all.
    statement = _sql(
        scope,
        f"SELECT {converted.select_list} FROM blocks WHERE {chosen.where} ORDER BY start_utc, id",
    )
    with _cursor(scope, statement, chosen.params) as cursor:
        while rows := cursor.fetchmany(size):
            yield _with_fallback(scope, ",".join(member for (member,) in rows), chosen.tz)


def _pieces(
    scope: Scope, chosen: _Selection, converted: _Converted, size: int
) -> Iterator[tuple[object, object]]:
    """``[first, upto)`` of each piece of the report's starts (SQLite's stored text)."""
    counted = scope.run(  # the index alone: a rough count, a few ms for a year
        "SELECT count(*) FROM blocks WHERE profile_id = ? AND start_utc >= ? AND start_utc < ?",
        chosen.params[:3],
    )[0][0]
    pieces = max(1, round(int(counted) / size))
    begin, end = converted.first, converted.last + 1
    step = max(1, -(-(end - begin) // pieces))
    bounds = [*range(begin, end, step), end]
    stored = [time_param(scope.dialect, dt.datetime.fromtimestamp(b, dt.UTC)) for b in bounds]
    stored[0], stored[-1] = chosen.params[1], chosen.params[2]  # the query's own bounds
    return itertools.pairwise(stored)


def _with_fallback(scope: Scope, text: str, tz: ZoneInfo) -> str:
    """A slice with each member the database could not convert (its id between two
    :data:`.reportsql.MARK`, a character JSON text holds only escaped) written by
    Python."""
    if MARK not in text:
        return text
    parts = text.split(MARK)  # members and commas, id, members and commas, id, ...
    fallback = _by_python(scope, [int(p) for p in parts[1::2]], tz)
    parts[1::2] = [block_member(fallback[int(p)]) for p in parts[1::2]]
    return "".join(parts)


def check_version(conn: Connection, version: str) -> UpdateCheck:
    """Up to date, or the URL of the newer release for the widget's platform."""
    try:
        sent = parse_widget_version(version)
    except ValueError:
        raise ValidationError(f"invalid version passed: {version}") from None
    keys = (f"{sent.platform}_{sent.edition}".casefold(), sent.platform.casefold())
    found: dict[str, tuple[str, str]] = {}
    for platform, latest, url in conn.execute(select(releases)):
        found[platform.casefold()] = (latest, url)
    match = next((found[k] for k in keys if k in found), None)
    if match is None:
        raise ValidationError(f"invalid version passed: {version}")
    latest, url = match
    if parse_version_number(latest) > sent.number:
        return UpdateCheck(up_to_date=False, url=url, version=latest)
    return UpdateCheck(up_to_date=True)
