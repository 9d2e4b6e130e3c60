"""The TimeTrack Enterprise face of the engine, mounted at ``/api/v2/ext/``.

Every request must carry an API key and secret (``X-TimeTrack-Api-Key`` /
``X-TimeTrack-Api-Secret``) created by ``tracktray-server load``; the key acts for the
``username`` each request names. Engine calls block, so they run in the thread pool.
Failures always answer the contract's errors body.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from tracktray.engine import EngineError, NotAllowed, NotFound, ValidationError
from tracktray.engine.timetrack import Changes, Gps, TimeTrack
from tracktray.server.body import BodyTooLarge, BodyTooSlow, read_body
from tracktray.server.inputs import UnsafeInput, ascii_id, json_object, xml_safe
from tracktray.server.limits import SignInGuard, client_address
from tracktray.server.timetrack_io import (
    BadRequest,
    Params,
    attendance_json,
    client_json,
    entry_json,
    error_response,
    project_json,
    timer_json,
    work_day_json,
)

__all__ = ["TIMETRACK_PREFIX", "is_timetrack", "timetrack_routes"]

#: where the engine's server mounts this face
TIMETRACK_PREFIX = "/api/v2/ext"

Handler = Callable[[TimeTrack, Request, Params], Any]
#: an attendance entry is a few hundred bytes; anything far larger is not one
MAX_BODY_BYTES = 64 * 1024
_GPS = ("latitudeStart", "longitudeStart", "latitudeEnd", "longitudeEnd")
_GPS_FIELDS = dict(
    zip(_GPS, ("latitude_start", "longitude_start", "latitude_end", "longitude_end"), strict=True)
)


async def _params(request: Request) -> Params:
    values: dict[str, Any] = dict(request.query_params)
    body = await read_body(request, MAX_BODY_BYTES)
    if body.strip():
        try:
            values.update(json_object(body))
        except UnsafeInput as exc:
            raise BadRequest(str(exc)) from None
    return Params(values)


def _endpoint(handler: Handler, *, status: int = 200) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        tt: TimeTrack = request.app.state.timetrack
        key = request.headers.get("X-TimeTrack-Api-Key", "")
        secret = request.headers.get("X-TimeTrack-Api-Secret", "")
        refusal = await _check_key(request, tt, key, secret)
        if refusal is not None:
            return refusal
        try:
            params = await _params(request)
            result = await run_in_threadpool(handler, tt, request, params)
        except BodyTooSlow:
            return error_response(408, "The request body came too slowly.")
        except BodyTooLarge:
            return error_response(413, f"The request is larger than {MAX_BODY_BYTES // 1024} KiB.")
        except BadRequest as exc:
            return error_response(400, str(exc))
        except ValidationError as exc:
            return error_response(400, str(exc))
        except NotFound as exc:
            return error_response(404, str(exc))
        except NotAllowed as exc:
            return error_response(403, str(exc))
        except EngineError as exc:  # Refused: the state does not allow it
            return error_response(409, str(exc))
        if result is None:
            return Response(status_code=204)
        return JSONResponse(result, status_code=status)

    return endpoint


async def _check_key(request: Request, tt: TimeTrack, key: str, secret: str) -> Response | None:
    """None when the key and secret are right; else 401, or 429 while throttled."""
    guard: SignInGuard = request.app.state.guard
    address = client_address(request)
    wait = guard.wait_s("key:" + key, address)
    check = functools.partial(tt.check_api_key, key, secret, remembered_only=wait > 0)
    if await run_in_threadpool(check):
        guard.succeeded("key:" + key)
        return None
    if wait > 0:
        guard.refuse()
        detail = f"Too many failed sign-ins; try again in {wait} seconds."
        return error_response(429, detail, {"Retry-After": str(wait)})
    guard.failed("key:" + key, address)
    return error_response(401, "The API key or secret is missing or wrong.")


def _entry_id(request: Request) -> int:
    text = str(request.path_params["entry_id"])
    entry_id = ascii_id(text)
    if entry_id is None:
        raise BadRequest(f"“{xml_safe(text)[:40]}” is not an attendance id.")
    return entry_id


def _when(params: Params, name: str = "date") -> Any:
    return params.timestamp(name, required=True)


# -- timers ------------------------------------------------------------------------------


def project_timer(tt: TimeTrack, request: Request, p: Params) -> Any:
    user = p.text("username", required=True)
    return timer_json(user, tt.project_timer(user, p.timestamp("date")), project=True)


def project_start(tt: TimeTrack, request: Request, p: Params) -> Any:
    user = p.text("username", required=True)
    timer = tt.start_project_timer(
        user,
        _when(p),
        p.text("clientName", required=True),
        p.text("projectName", required=True),
        task=p.text("taskName"),
        note=p.text("notes"),
    )
    return timer_json(user, timer, project=True)


def project_pause(tt: TimeTrack, request: Request, p: Params) -> Any:
    user = p.text("username", required=True)
    return timer_json(user, tt.pause_project_timer(user, _when(p)), project=True)


def project_resume(tt: TimeTrack, request: Request, p: Params) -> Any:
    user = p.text("username", required=True)
    return timer_json(user, tt.resume_project_timer(user, _when(p)), project=True)


def project_stop(tt: TimeTrack, request: Request, p: Params) -> Any:
    user = p.text("username", required=True)
    entry_id = tt.stop_project_timer(user, _when(p))
    body = timer_json(user, tt.project_timer(user), project=True)
    body["timeEntryId"] = entry_id
    return body


def attendance_timer(tt: TimeTrack, request: Request, p: Params) -> Any:
    user = p.text("username", required=True)
    return timer_json(user, tt.attendance_timer(user, p.timestamp("date")), project=False)


def attendance_start(tt: TimeTrack, request: Request, p: Params) -> Any:
    user = p.text("username", required=True)
    return timer_json(user, tt.clock_in(user, _when(p)), project=False)


def attendance_stop(tt: TimeTrack, request: Request, p: Params) -> Any:
    user = p.text("username", required=True)
    entry = tt.clock_out(user, _when(p))
    body = timer_json(user, tt.attendance_timer(user), project=False)
    body["attendance"] = attendance_json(entry)
    return body


# -- attendances -------------------------------------------------------------------------


def attendances_list(tt: TimeTrack, request: Request, p: Params) -> Any:
    page, limit = p.page()
    entries = tt.attendances(
        p.text("username") or None,
        p.timestamp("from"),
        p.timestamp("to"),
        page=page,
        limit=limit,
    )
    return [attendance_json(e) for e in entries]


def attendance_get(tt: TimeTrack, request: Request, p: Params) -> Any:
    return attendance_json(tt.attendance(_entry_id(request)))


def _gps(p: Params) -> dict[str, float | None]:
    return {_GPS_FIELDS[name]: p.coordinate(name) for name in _GPS if p.has(name)}


def attendance_create(tt: TimeTrack, request: Request, p: Params) -> Any:
    start = p.timestamp("from", required=True)
    end = p.timestamp("to", required=True)
    assert start is not None and end is not None
    manual = p.flag("manual")
    entry = tt.add_attendance(
        p.text("username", required=True),
        start,
        end,
        break_minutes=p.number("breakMinutes") or 0,
        notes=p.text("notes"),
        manual=True if manual is None else manual,
        gps=Gps(**_gps(p)),
    )
    return attendance_json(entry)


def attendance_update(tt: TimeTrack, request: Request, p: Params) -> Any:
    if p.has("username"):
        raise BadRequest("The user of an attendance entry cannot be changed.")
    notes = p.raw("notes")
    changes = Changes(
        start=p.timestamp("from"),
        end=p.timestamp("to"),
        break_minutes=p.number("breakMinutes"),
        notes=p.text("notes") if notes is not None else None,
        manual=p.flag("manual"),
        gps=_gps(p) or None,
    )
    return attendance_json(tt.edit_attendance(_entry_id(request), changes))


def attendance_delete(tt: TimeTrack, request: Request, p: Params) -> Any:
    tt.delete_attendance(_entry_id(request))
    return None


# -- catalogue and reports -----------------------------------------------------------------


def clients_list(tt: TimeTrack, request: Request, p: Params) -> Any:
    page, limit = p.page()
    rows = tt.clients()[page * limit : (page + 1) * limit]
    return [client_json(c) for c in rows]


def projects_list(tt: TimeTrack, request: Request, p: Params) -> Any:
    page, limit = p.page()
    rows = tt.projects(p.text("clientName"), p.text("projectName"))
    return [project_json(r) for r in rows[page * limit : (page + 1) * limit]]


def entries_list(tt: TimeTrack, request: Request, p: Params) -> Any:
    page, limit = p.page()
    entries = tt.project_entries(
        p.text("username") or None,
        p.timestamp("from"),
        p.timestamp("to"),
        client=p.text("clientName"),
        project=p.text("projectName"),
        page=page,
        limit=limit,
    )
    return [entry_json(e) for e in entries]


def work_reports(tt: TimeTrack, request: Request, p: Params) -> Any:
    start = p.timestamp("from", required=True)
    end = p.timestamp("to", required=True)
    assert start is not None and end is not None
    page, limit = p.page()
    days = tt.work_reports(p.text("username", required=True), start, end)
    return [work_day_json(d) for d in days[page * limit : (page + 1) * limit]]


def _routes() -> list[Route]:
    routes: list[Route] = []

    def add(path: str, handler: Handler, method: str, status: int = 200) -> None:
        endpoint = _endpoint(handler, status=status)
        for variant in (path, path + "/"):
            routes.append(Route(variant, endpoint, methods=[method]))

    for base in ("/timers/project_timer", "/project_timer"):  # the vendor's older path too
        add(base, project_timer, "GET")
        add(base + "/start", project_start, "POST")
        add(base + "/pause", project_pause, "POST")
        add(base + "/resume", project_resume, "POST")
        add(base + "/stop", project_stop, "POST")
    add("/attendance_timer", attendance_timer, "GET")
    add("/attendance_timer/start", attendance_start, "POST")
    add("/attendance_timer/stop", attendance_stop, "POST")
    add("/attendances", attendances_list, "GET")
    add("/attendances", attendance_create, "POST", status=201)
    add("/attendances/{entry_id}", attendance_get, "GET")
    add("/attendances/{entry_id}", attendance_update, "PUT")
    add("/attendances/{entry_id}", attendance_delete, "DELETE")
    add("/clients", clients_list, "GET")
    add("/projects", projects_list, "GET")
    add("/project_time_entries", entries_list, "GET")
    add("/work_reports", work_reports, "GET")
    return routes


def timetrack_routes() -> list[BaseRoute]:
    """The face's routes, for a ``Mount`` at ``/api/v2/ext`` of the engine's one app (whose
    error handlers answer this face's errors body, see :func:`is_timetrack`)."""
    return list(_routes())


def is_timetrack(request: Request) -> bool:
    path: str = request.scope.get("path", "")
    return path == TIMETRACK_PREFIX or path.startswith(TIMETRACK_PREFIX + "/")
