"""Reading tracked time back: reportees, reports, and the widget update check."""

from __future__ import annotations

from sqlalchemy import Connection, select

from tracktray.domain import Block, Profile, ReportQuery, UpdateCheck
from tracktray.domain.localtime import local_to_utc, month_bounds, zone
from tracktray.domain.parsing import parse_version_number, parse_widget_version
from tracktray.engine.errors import NotAllowed, ValidationError
from tracktray.engine.readpath import time_param
from tracktray.engine.scope import BLOCK_COLUMNS, Scope, block_from_values, profile_from_row
from tracktray.engine.tables import profiles, releases, roles

__all__ = ["check_version", "report", "reportees"]


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


def report(scope: Scope, caller_id: int, query: ReportQuery) -> list[Block]:
    """Blocks of one profile that start in ``[start, stop)``.

    Times are read and written in ``query.timezone``, else the reported profile's zone.
    Someone else's blocks need canSeeReporting, and only show on trackers it covers.
    """
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
    # Driver SQL and one conversion per time: a year of a busy person is 50,000 rows.
    statement = (
        f"SELECT {BLOCK_COLUMNS} FROM blocks WHERE {' AND '.join(where)} ORDER BY start_utc, id"
    )
    if scope.dialect != "sqlite":
        statement = statement.replace("?", "%s")
    now = scope.now
    return [
        block_from_values(r, tz, now)
        for r in scope.run(statement, params)
        if visible is None or r[2] in visible
    ]


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
