"""Decoding TimeTrack answers into typed values, tolerating the vendor's variants.

The vendor's pages disagree with themselves (``ID`` in one table, ``id`` in the
answers; ``minutesBreak`` in an example, ``breakMinutes`` in the field list; numbers as
strings), so every reader here looks a field up by all of its spellings and accepts
numeric strings. Anything else becomes :class:`ProtocolError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from tracktray.api._parse import as_bool, as_int, as_mapping, as_text, is_nothing
from tracktray.contracts.errors import ProtocolError
from tracktray.domain.timetrack import (
    Attendance,
    BadTimestamp,
    Project,
    ProjectEntry,
    Timer,
    WorkDay,
    parse_wall_clock,
    to_aware,
)
from tracktray.i18n import _

__all__ = [
    "decode_attendance",
    "decode_entry",
    "decode_project",
    "decode_timer",
    "decode_work_day",
    "field",
    "list_items",
    "one_item",
]

#: each field's spellings, the contract's first
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "ID", "Id"),
    "user": ("user", "username", "userName"),
    "notes": ("notes", "details", "note"),
    "breakMinutes": ("breakMinutes", "minutesBreak"),
}


def field(record: Mapping[str, Any], name: str, default: object = None) -> object:
    """``record[name]`` under any of its known spellings."""
    for key in ALIASES.get(name, (name,)):
        if key in record:
            return record[key]
    return default


def list_items(body: object, resource: str) -> Sequence[Mapping[str, Any]]:
    """The records of a list answer: a bare array, or one wrapped in an object."""
    if isinstance(body, Mapping):
        for key in (resource, "data", "items", "results"):
            if isinstance(body.get(key), list):
                body = body[key]
                break
        else:
            if not body:
                return []
            raise ProtocolError(
                _("The server's list of {resource} is not a list.").format(resource=resource)
            )
    if not isinstance(body, list):
        raise ProtocolError(
            _("The server's list of {resource} is not a list.").format(resource=resource)
        )
    return [
        as_mapping(item, _("an entry of {resource}").format(resource=resource)) for item in body
    ]


def one_item(body: object, what: str) -> Mapping[str, Any]:
    """A single record, bare or wrapped in ``{"data": {...}}``."""
    record = as_mapping(body, what)
    inner = record.get("data")
    return as_mapping(inner, what) if isinstance(inner, Mapping) else record


def _wall(value: object, what: str, zone: dt.tzinfo) -> dt.datetime:
    if not isinstance(value, str):
        raise ProtocolError(_("The server sent no usable {what}.").format(what=what))
    try:
        return parse_wall_clock(value, zone)
    except BadTimestamp:
        raise ProtocolError(
            _("The server sent “{value}” as {what}.").format(value=value, what=what)
        ) from None


def _opt_float(value: object, what: str) -> float | None:
    if is_nothing(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            pass
    raise ProtocolError(_("The server sent {value!r} as {what}.").format(value=value, what=what))


def _count(value: object, what: str) -> int:
    return 0 if is_nothing(value) else as_int(value, what)


def decode_timer(body: object, zone: dt.tzinfo, fetched_at: dt.datetime) -> Timer:
    record = one_item(body, "a timer")
    playing = as_bool(record.get("playing"), "playing")
    paused = as_bool(record.get("paused"), "paused")
    started: dt.datetime | None = None
    if (playing or paused) and not is_nothing(record.get("startedAt")):
        started = to_aware(_wall(record.get("startedAt"), _("the timer's start"), zone), zone)
    return Timer(
        playing=playing,
        paused=paused and not playing,
        started_at=started,
        worked_s=_count(record.get("workedSeconds"), "workedSeconds"),
        break_s=_count(record.get("breakSeconds"), "breakSeconds"),
        fetched_at=fetched_at,
        client_name=as_text(record.get("clientName"), "clientName"),
        project_name=as_text(record.get("projectName"), "projectName"),
        task_name=as_text(record.get("taskName"), "taskName"),
        note=as_text(field(record, "notes"), "note"),
    )


def decode_attendance(record: Mapping[str, Any], zone: dt.tzinfo) -> Attendance:
    start = _wall(record.get("from"), _("an attendance's start"), zone)
    end = _wall(record.get("to"), _("an attendance's end"), zone)
    break_minutes = _count(field(record, "breakMinutes"), "breakMinutes")
    worked = record.get("workedMinutes")
    if is_nothing(worked):  # derive it rather than show 0 h for a real day
        seconds = (to_aware(end, zone) - to_aware(start, zone)).total_seconds()
        worked = max(0, int(seconds // 60) - break_minutes)
    return Attendance(
        id=as_int(field(record, "id"), _("an attendance id")),
        user=as_text(field(record, "user"), "user"),
        start=start,
        end=end,
        notes=as_text(field(record, "notes"), "notes"),
        manual=as_bool(record.get("manual", True), "manual"),
        worked_minutes=as_int(worked, "workedMinutes"),
        break_minutes=break_minutes,
        latitude_start=_opt_float(record.get("latitudeStart"), "latitudeStart"),
        longitude_start=_opt_float(record.get("longitudeStart"), "longitudeStart"),
        latitude_end=_opt_float(record.get("latitudeEnd"), "latitudeEnd"),
        longitude_end=_opt_float(record.get("longitudeEnd"), "longitudeEnd"),
    )


def decode_project(record: Mapping[str, Any]) -> Project:
    enabled = record.get("projectEnabled", record.get("enabled", True))
    return Project(
        id=as_int(field(record, "id"), _("a project id")),
        client_name=as_text(record.get("clientName"), "clientName"),
        project_name=as_text(record.get("projectName", record.get("name")), "projectName"),
        enabled=as_bool(enabled, "projectEnabled"),
    )


def decode_entry(record: Mapping[str, Any], zone: dt.tzinfo) -> ProjectEntry:
    end_value = record.get("to")
    return ProjectEntry(
        id=as_int(field(record, "id"), _("a time entry id")),
        user=as_text(field(record, "user"), "user"),
        client_name=as_text(record.get("clientName"), "clientName"),
        project_name=as_text(record.get("projectName"), "projectName"),
        start=_wall(record.get("from"), _("a time entry's start"), zone),
        end=None if is_nothing(end_value) else _wall(end_value, _("a time entry's end"), zone),
        worked_minutes=_count(record.get("workedMinutes"), "workedMinutes"),
        break_minutes=_count(field(record, "breakMinutes"), "breakMinutes"),
        task=as_text(record.get("task", record.get("taskName")), "task"),
        details=as_text(field(record, "notes"), "details"),
        billable=as_bool(record.get("billable", False), "billable"),
    )


def decode_work_day(record: Mapping[str, Any], zone: dt.tzinfo) -> WorkDay:
    return WorkDay(
        username=as_text(field(record, "user"), "username"),
        work_date=_wall(record.get("workDate"), _("a work date"), zone).date(),
        worked_s=_count(record.get("workedSeconds"), "workedSeconds"),
        break_s=_count(record.get("breakSeconds"), "breakSeconds"),
        target_s=_count(record.get("targetSeconds"), "targetSeconds"),
    )
