"""The HTTP faces of the engine: the TrackMyPeople API under ``/api/``, the TimeTrack API
under ``/api/v2/ext/`` and the block edit page under ``/blocks/<id>/edit`` (where ``add``
points on overlap).

The app holds no rules of its own: it reads the call, authenticates, runs the engine and
writes the envelope. Bad input gets a sentence and a 4xx status.

Where the engine runs: a caller whose credentials this process verified recently
(:meth:`Engine.remembered`, memory only) making a widget's everyday call (``status``,
``trackers``, ``daytotal``, ``start``, ``stop``, ``switch``) on a SQLite database is
answered on the event loop itself: a few statements on a local file, cheaper than the
trip to a worker thread and back (which, with the GIL handed over twice, cost more than
the call). Reads never wait in WAL mode; a write takes the write lock without waiting
(:meth:`Engine.without_waiting`) and, when another writer holds it, goes to a worker
thread to wait there. Everything else runs in a worker thread: the password hash,
reports and other long calls, and every call on PostgreSQL (a network round trip must
not stall the other connections).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Message

from tracktray.engine import Engine
from tracktray.engine.engine import WouldWait
from tracktray.engine.signin import Caller, StaleCredentials
from tracktray.engine.timetrack import TimeTrack
from tracktray.server import editpage
from tracktray.server.auth import challenge, credentials
from tracktray.server.body import BodyTooLarge, BodyTooSlow, read_body
from tracktray.server.envelope import render
from tracktray.server.headers import header
from tracktray.server.limits import Limits, SignInGuard, client_address
from tracktray.server.requestlog import RequestLog, logger
from tracktray.server.security import SecurityMiddleware
from tracktray.server.streamed import StreamedAnswer
from tracktray.server.timetrack import TIMETRACK_PREFIX, is_timetrack, timetrack_routes
from tracktray.server.timetrack_io import error_response
from tracktray.server.trackmypeople_functions import call
from tracktray.server.trackmypeople_request import (
    MAX_BODY_BYTES,
    MAX_PARAMS,
    BadCall,
    Call,
    parse_body,
    parse_path,
)

__all__ = ["API_PREFIX", "create_app"]

API_PREFIX = "/api/"
#: calls short enough to answer on the event loop (for a remembered caller, on SQLite)
_ON_THE_LOOP = frozenset({"status", "trackers", "daytotal", "start", "stop", "switch"})


def origin_of(request: Request) -> str:
    """``scheme://host[:port]`` as the client addressed us (what ``request.url`` says,
    without building the whole URL on every request)."""
    host = header(request.scope, b"host")
    if host:
        return f"{request.scope.get('scheme', 'http')}://{host}"
    return f"{request.url.scheme}://{request.url.netloc}"


async def trackmypeople(request: Request) -> Response:
    engine: Engine = request.app.state.engine
    raw = _raw_path(request)
    fmt = "xml"
    try:
        parsed = parse_path(raw[len(API_PREFIX) :], request.scope.get("query_string", b""))
        fmt = parsed.fmt
        request.state.function = parsed.function
        found = credentials(request)
        if found is None:
            return challenge()
        body = await read_body(request, MAX_BODY_BYTES)
        content_type = header(request.scope, b"content-type")
        if content_type.casefold().startswith("multipart/form-data"):
            parsed.params.update(await _multipart(request, body, parsed.fmt))
            body = b""
    except BadCall as exc:
        return render({"result": 0, "error": exc.message}, exc.fmt, exc.status_code)
    except BodyTooLarge:
        return render({"result": 0, "error": "The request is too large."}, fmt, 413)
    except BodyTooSlow:
        return render({"result": 0, "error": "The request body came too slowly."}, fmt, 408)
    guard: SignInGuard = request.app.state.guard
    caller = engine.remembered(*found)
    if caller is not None:
        # Verified recently: no hash, throttled or not (the owner's widget keeps working
        # during a guessing attack). Not a new sign-in either: a widget's poll does not
        # forgive the account's failed sign-ins, only a password checked anew does.
        origin = origin_of(request)
        quick = await _remembered_call(engine, caller, parsed, body, content_type, origin)
        if quick is not None:
            return _answer(*quick, parsed.fmt)
    address = client_address(request)
    wait = guard.wait_s(found[0], address)
    # One trip to a worker thread for the password check, the body and the engine call:
    # the body is parsed only for a caller who signed in.
    answer = await run_in_threadpool(
        _authenticated_call, engine, found, wait > 0, parsed, body, content_type, origin_of(request)
    )
    if answer is None:
        if wait > 0:
            guard.refuse()
            error = f"Too many failed sign-ins; try again in {wait} seconds."
            return render({"result": 0, "error": error}, fmt, 429, **{"Retry-After": str(wait)})
        guard.failed(found[0], address)
        return challenge()
    guard.succeeded(found[0])
    return _answer(*answer, parsed.fmt)


def _answer(payload: dict[str, Any] | StreamedAnswer, status: int, fmt: str) -> Response:
    """The response to an engine call's answer (both sign-in paths end here)."""
    if isinstance(payload, StreamedAnswer):
        return payload.response()
    return render(payload, fmt, status)


def _raw_path(request: Request) -> str:
    """The path as sent (percent-encoded), so "%2F" inside a GET value stays a value."""
    raw: bytes | None = request.scope.get("raw_path")
    if raw is None:  # not every ASGI server provides it
        return quote(request.scope["path"])
    return raw.decode("latin-1").partition("?")[0]


async def _multipart(request: Request, body: bytes, fmt: str) -> dict[str, str]:
    """Form fields of a multipart body (some HTTP libraries send forms that way)."""

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=0, max_fields=MAX_PARAMS)
    except (HTTPException, MultiPartException, UnicodeDecodeError):
        raise BadCall(400, "The multipart form could not be read.", fmt) from None
    if any(not isinstance(v, str) for v in form.values()):
        raise BadCall(400, "Files are not accepted.", fmt)
    return {k.casefold(): str(v) for k, v in form.items()}


async def _remembered_call(
    engine: Engine, caller: Caller, parsed: Call, body: bytes, content_type: str, origin: str
) -> tuple[dict[str, Any] | StreamedAnswer, int] | None:
    """The answer for a remembered caller, or None when its password changed since (the
    caller then signs in the slow way, throttled as any other)."""
    args = (caller.profile_id, parsed, body, content_type, origin)
    try:
        try:
            if parsed.function not in _ON_THE_LOOP or not engine.reads_never_wait:
                raise WouldWait()
            payload, status = _parsed_call(engine.acting_for(caller, wait=False), *args)
        except WouldWait:
            payload, status = await run_in_threadpool(
                _parsed_call, engine.acting_for(caller), *args
            )
    except StaleCredentials:
        return None
    return payload, status


def _parsed_call(
    engine: Engine, profile_id: int, parsed: Call, body: bytes, content_type: str, origin: str
) -> tuple[dict[str, Any] | StreamedAnswer, int]:
    try:
        parsed = parse_body(parsed, body, content_type)
    except BadCall as exc:
        return {"result": 0, "error": exc.message}, exc.status_code
    return call(engine, parsed.function, profile_id, parsed.params, origin, parsed.fmt), 200


def _authenticated_call(
    engine: Engine,
    found: tuple[str, str],
    throttled: bool,
    parsed: Call,
    body: bytes,
    content_type: str,
    origin: str,
) -> tuple[dict[str, Any] | StreamedAnswer, int] | None:
    profile_id = engine.authenticate(*found, remembered_only=throttled)
    if profile_id is None:
        return None
    return _parsed_call(engine, profile_id, parsed, body, content_type, origin)


async def _home(request: Request) -> Response:
    return PlainTextResponse(
        f"tracktray server: the TrackMyPeople API is at {origin_of(request)}{API_PREFIX}\n"
    )


RETRY_AFTER_S = 5
_UNAVAILABLE = "The database is not available right now; try again shortly."


async def _database_unavailable(request: Request, exc: Exception) -> Response:
    """The database is down or locked for too long: a retryable 503, not a crash."""
    logger.error("database error on %s: %s", request.url.path, exc, exc_info=exc)
    headers = {"Retry-After": str(RETRY_AFTER_S)}
    if is_timetrack(request):
        return error_response(503, _UNAVAILABLE, headers)
    return PlainTextResponse(_UNAVAILABLE, 503, headers=headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    """404/405 and friends: the TimeTrack face answers its contract's errors body."""
    assert isinstance(exc, HTTPException)
    if is_timetrack(request):
        if exc.status_code == 404:
            return error_response(404, "There is no such TimeTrack API address.")
        if exc.status_code == 405:
            return error_response(405, f"{request.method} is not allowed on this address.")
        return error_response(exc.status_code, str(exc.detail), exc.headers)
    return PlainTextResponse(str(exc.detail), exc.status_code, headers=exc.headers)


async def _crashed(request: Request, exc: Exception) -> Response:
    if is_timetrack(request):
        return error_response(500, "The server failed; the error was logged.")
    return PlainTextResponse("The server failed; the error was logged.", 500)


def create_app(
    engine: Engine, *, extra_routes: Sequence[BaseRoute] = (), limits: Limits | None = None
) -> Starlette:
    """The ASGI app over ``engine``; ``extra_routes`` (other API faces) match first.

    One app, one set of error handlers: both API faces and the edit page answer a
    database outage with 503 + Retry-After, each in its own error shape.
    """
    routes: list[BaseRoute] = [
        *extra_routes,
        Mount(TIMETRACK_PREFIX, routes=timetrack_routes()),
        Route("/", _home, methods=["GET"]),
        Route(API_PREFIX + "{rest:path}", trackmypeople, methods=["GET", "POST"]),
        Route("/blocks/{block_id:int}/edit", editpage.endpoint, methods=["GET", "POST"]),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(RequestLog), Middleware(SecurityMiddleware)],
        exception_handlers={
            SQLAlchemyError: _database_unavailable,
            HTTPException: _http_error,
            500: _crashed,
        },
    )
    app.state.engine = engine
    app.state.timetrack = TimeTrack(engine)
    app.state.limits = limits or Limits()
    app.state.guard = SignInGuard(app.state.limits)
    return app
