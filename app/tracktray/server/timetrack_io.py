"""Reading TimeTrack requests and writing TimeTrack answers (no routing, no engine calls).

Requests are read leniently, as the vendor's own examples vary: ``user``/``username``,
``details``/``notes``, ``minutesBreak``/``breakMinutes``, numbers as strings. Answers
are written one way only, the contract's: lowercase ``id``, wall-clock timestamps in the
user's zone with the vendor's literal ``Z``, and the errors body on every failure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from starlette.responses import JSONResponse

from tracktray.domain.timetrack import (
    Attendance,
    BadTimestamp,
    Project,
    ProjectEntry,
    Timer,
    WorkDay,
    format_wall_clock,
    parse_timestamp,
)
from tracktray.engine.timetrack import Client
from tracktray.server.inputs import UnsafeInput, check_instant, check_text

__all__ = [
    "BadRequest",
    "Params",
    "attendance_json",
    "client_json",
    "entry_json",
    "error_response",
    "project_json",
    "timer_json",
    "work_day_json",
]

MAX_LIMIT = 1000
DEFAULT_LIMIT = 50
MAX_PAGE = 1_000_000
#: whole numbers (break minutes, paging) beyond this are no one's real input
MAX_NUMBER = 10**9
MAX_TEXT = 10_000

ALIASES: dict[str, tuple[str, ...]] = {
    "username": ("username", "user"),
    "notes": ("notes", "details", "note"),
    "breakMinutes": ("breakMinutes", "minutesBreak"),
}

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    409: "Conflict",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "timeout",
    409: "conflict",
    413: "too_large",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


class BadRequest(Exception):
    """A request the contract does not allow; the message names what to fix."""


def error_response(
    status: int, detail: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = {
        "errors": [
            {
                "title": _TITLES.get(status, "Error"),
                "status": status,
                "code": _CODES.get(status, "error"),
                "detail": detail,
            }
        ]
    }
    return JSONResponse(body, status_code=status, headers=headers)


class Params:
    """One request's parameters (query string merged under the JSON body)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def raw(self, name: str) -> Any:
        for key in ALIASES.get(name, (name,)):
            if key in self._values and self._values[key] is not None:
                return self._values[key]
        return None

    def has(self, name: str) -> bool:
        return self.raw(name) is not None

    def text(self, name: str, *, required: bool = False) -> str:
        value = self.raw(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise BadRequest(f"The field “{name}” is required.")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise BadRequest(f"The field “{name}” must be text.")
        text = str(value)
        if len(text) > MAX_TEXT:
            raise BadRequest(f"The field “{name}” is longer than {MAX_TEXT} characters.")
        try:
            return check_text(text, f"field “{name}”").strip()
        except UnsafeInput as exc:
            raise BadRequest(str(exc)) from None

    def timestamp(self, name: str, *, required: bool = False) -> dt.datetime | None:
        text = self.text(name, required=required)
        if not text:
            return None
        try:
            moment = parse_timestamp(text)
        except BadTimestamp as exc:
            raise BadRequest(f"The field “{name}”: {exc}") from None
        except (ValueError, OverflowError):  # e.g. an offset of +99:00
            raise BadRequest(f"The field “{name}” has an impossible time zone offset.") from None
        try:
            return check_instant(moment, f"field “{name}”")
        except UnsafeInput as exc:
            raise BadRequest(str(exc)) from None

    def number(self, name: str) -> int | None:
        """An integer given as a number or a numeric string (``"15"``, ``15.0``)."""
        value = self.raw(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise BadRequest(f"The field “{name}” must be a whole number.")
        try:
            number = float(str(value).strip())
        except ValueError:
            raise BadRequest(f"The field “{name}” must be a whole number.") from None
        if not math.isfinite(number) or number != int(number):
            raise BadRequest(f"The field “{name}” must be a whole number.")
        if abs(number) > MAX_NUMBER:
            raise BadRequest(f"The field “{name}” is out of range.")
        return int(number)

    def coordinate(self, name: str) -> float | None:
        value = self.raw(name)
        if value is None or value == "":
            return None
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            raise BadRequest(f"The field “{name}” must be a number.") from None
        limit = 90.0 if name.startswith("latitude") else 180.0
        if not math.isfinite(number) or abs(number) > limit:
            raise BadRequest(f"The field “{name}” is not a valid coordinate.")
        return number

    def flag(self, name: str) -> bool | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().casefold()
        if text in ("1", "true", "yes"):
            return True
        if text in ("0", "false", "no"):
            return False
        raise BadRequest(f"The field “{name}” must be true or false.")

    def page(self) -> tuple[int, int]:
        page = self.number("page_number")
        limit = self.number("limit")
        page = 0 if page is None else page
        limit = DEFAULT_LIMIT if limit is None else limit
        if not 0 <= page <= MAX_PAGE:
            raise BadRequest(f"page_number must be between 0 and {MAX_PAGE}.")
        if not 1 <= limit <= MAX_LIMIT:
            raise BadRequest(f"limit must be between 1 and {MAX_LIMIT}.")
        return page, limit


def _stamp(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return format_wall_clock(moment, moment.tzinfo)


def timer_json(username: str, timer: Timer, *, project: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "username": username,
        "startedAt": _stamp(timer.started_at),
        "workedSeconds": timer.worked_s,
        "breakSeconds": timer.break_s,
        "playing": timer.playing,
        "paused": timer.paused,
        "stopped": not timer.running,
    }
    if project:
        body.update(
            clientName=timer.client_name or None,
            projectName=timer.project_name or None,
            taskName=timer.task_name or None,
            note=timer.note or None,
        )
    return body


def attendance_json(entry: Attendance) -> dict[str, Any]:
    return {
        "id": entry.id,
        "user": entry.user,
        "from": _stamp(entry.start),
        "to": _stamp(entry.end),
        "notes": entry.notes,
        "manual": entry.manual,
        "workedMinutes": entry.worked_minutes,
        "breakMinutes": entry.break_minutes,
        "latitudeStart": entry.latitude_start,
        "longitudeStart": entry.longitude_start,
        "latitudeEnd": entry.latitude_end,
        "longitudeEnd": entry.longitude_end,
    }


def client_json(client: Client) -> dict[str, Any]:
    return {
        "id": client.id,
        "name": client.name,
        "enabled": client.enabled,
        "color": None,
        "notes": "",
    }


def project_json(project: Project) -> dict[str, Any]:
    return {
        "id": project.id,
        "projectName": project.project_name,
        "clientName": project.client_name,
        "projectEnabled": project.enabled,
        "notes": "",
    }


def entry_json(entry: ProjectEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "user": entry.user,
        "clientName": entry.client_name,
        "projectName": entry.project_name,
        "task": entry.task,
        "from": _stamp(entry.start),
        "to": _stamp(entry.end),
        "workedMinutes": entry.worked_minutes,
        "breakMinutes": entry.break_minutes,
        "details": entry.details,
        "billable": entry.billable,
    }


def work_day_json(day: WorkDay) -> dict[str, Any]:
    return {
        "username": day.username,
        "workDate": day.work_date.isoformat(),
        "workedSeconds": day.worked_s,
        "breakSeconds": day.break_s,
        "targetSeconds": day.target_s,
    }
