"""Clients, projects, project time entries and work reports, read from the shared tables.

The tracker tree doubles as TimeTrack's catalogue: a root tracker is a client, its
children are the client's projects, anything deeper is a task of that project. Archived
means disabled. Project time entries are the closed ``project`` blocks; a work report
sums the closed attendance entries of each day in the user's zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from tracktray.domain.localtime import day_bounds
from tracktray.domain.timetrack import Project, ProjectEntry, WorkDay
from tracktray.domain.worktime import worked_seconds
from tracktray.engine.errors import ValidationError
from tracktray.engine.scope import Scope
from tracktray.engine.tables import blocks, profiles

__all__ = ["Client", "clients", "find_project", "project_entries", "projects", "work_days"]

#: a working day's target when nothing else is configured: 8 h Monday to Friday
TARGET_S = 8 * 3600
MAX_REPORT_DAYS = 366


@dataclass(frozen=True, slots=True)
class Client:
    """A TimeTrack client (the customer projects belong to)."""

    id: int
    name: str
    enabled: bool


def clients(scope: Scope) -> list[Client]:
    index = scope.index
    return [
        Client(t, index.row(t).name, not index.archived(t)) for t in index if index.depth(t) == 0
    ]


def projects(scope: Scope, client_filter: str = "", project_filter: str = "") -> list[Project]:
    """Depth-one trackers; the filters are case-insensitive substrings."""
    index = scope.index
    out: list[Project] = []
    for tracker_id in index:
        if index.depth(tracker_id) != 1:
            continue
        client, project = index.path(tracker_id)
        if client_filter.casefold() not in client.casefold():
            continue
        if project_filter.casefold() not in project.casefold():
            continue
        out.append(Project(tracker_id, client, project, not index.archived(tracker_id)))
    return out


def find_project(scope: Scope, client: str, project: str, task: str = "") -> tuple[int, str]:
    """The tracker to run a timer on, and the task text to keep on the block.

    A task that names a sub-tracker of the project selects it; any other task is kept
    as text.
    """
    index = scope.index
    client_id = index.child_named(None, client.strip())
    project_id = index.child_named(client_id, project.strip()) if client_id is not None else None
    if project_id is None:
        raise ValidationError(f"There is no project “{project}” of client “{client}”.")
    if task.strip():
        task_id = index.child_named(project_id, task.strip())
        if task_id is not None:
            return task_id, ""
    return project_id, task.strip()


def names(scope: Scope, tracker_id: int | None, task: str) -> tuple[str, str, str]:
    if tracker_id is None or tracker_id not in scope.index:
        return "", "", task
    path = scope.index.path(tracker_id)
    deeper = " / ".join(path[2:])
    return path[0], path[1] if len(path) > 1 else "", task or deeper


def project_entries(
    scope: Scope,
    profile_id: int | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
    *,
    client: str = "",
    project: str = "",
    offset: int,
    limit: int,
) -> list[ProjectEntry]:
    """Closed, worked project blocks starting within [start, end]; names match exactly
    (case-insensitive) when given."""
    query = (
        select(blocks, profiles.c.username.label("username"))
        .join(profiles, profiles.c.id == blocks.c.profile_id)
        .where(blocks.c.kind == "project", blocks.c.stop_utc.is_not(None), blocks.c.free.is_(False))
        .order_by(blocks.c.start_utc, blocks.c.id)
    )
    if profile_id is not None:
        query = query.where(blocks.c.profile_id == profile_id)
    if start is not None:
        query = query.where(blocks.c.start_utc >= start)
    if end is not None:
        query = query.where(blocks.c.start_utc <= end)
    out: list[ProjectEntry] = []
    skipped = 0
    for row in scope.conn.execute(query):
        client_name, project_name, task = names(scope, row.tracker_id, str(row.task))
        if client and client_name.casefold() != client.strip().casefold():
            continue
        if project and project_name.casefold() != project.strip().casefold():
            continue
        if skipped < offset:  # filtering on names happens here, so paging does too
            skipped += 1
            continue
        zone = scope.zone_of(int(row.profile_id))
        begin: dt.datetime = row.start_utc
        stop: dt.datetime = row.stop_utc
        break_s = int(row.break_s)
        out.append(
            ProjectEntry(
                id=int(row.id),
                user=str(row.username),
                client_name=client_name,
                project_name=project_name,
                start=begin.astimezone(zone).replace(tzinfo=None),
                end=stop.astimezone(zone).replace(tzinfo=None),
                worked_minutes=worked_seconds(begin, stop, break_s) // 60,
                break_minutes=break_s // 60,
                task=task,
                details=str(row.description),
                billable=bool(row.billable),
            )
        )
        if len(out) >= limit:
            break
    return out


def work_days(scope: Scope, profile_id: int, first: dt.date, last: dt.date) -> list[WorkDay]:
    """One row per day from ``first`` to ``last`` (inclusive): closed attendance only."""
    if last < first:
        raise ValidationError("The end of a work report must not be before its start.")
    if (last - first).days >= MAX_REPORT_DAYS:
        raise ValidationError(f"A work report covers at most {MAX_REPORT_DAYS} days.")
    zone = scope.zone_of(profile_id)
    username = str(scope.profile_row(profile_id).username)
    begin, _ = day_bounds(first, zone)
    _, end = day_bounds(last, zone)
    worked: dict[dt.date, int] = {}
    breaks: dict[dt.date, int] = {}
    rows = scope.conn.execute(
        select(blocks.c.start_utc, blocks.c.stop_utc, blocks.c.break_s).where(
            blocks.c.profile_id == profile_id,
            blocks.c.kind == "attendance",
            blocks.c.stop_utc.is_not(None),
            blocks.c.start_utc >= begin,
            blocks.c.start_utc < end,
        )
    )
    for start_utc, stop_utc, break_s in rows:
        day = start_utc.astimezone(zone).date()
        worked[day] = worked.get(day, 0) + worked_seconds(start_utc, stop_utc, int(break_s))
        breaks[day] = breaks.get(day, 0) + int(break_s)
    out: list[WorkDay] = []
    day = first
    while day <= last:
        target = TARGET_S if day.weekday() < 5 else 0
        out.append(WorkDay(username, day, worked.get(day, 0), breaks.get(day, 0), target))
        day += dt.timedelta(days=1)
    return out
