"""The HTTP faces of the engine: the TrackMyPeople API under ``/api/``, the TimeTrack API
under ``/api/v2/ext/`` and the block edit page under ``/blocks/<id>/edit`` (where ``add``
points on overlap).

The app holds no rules of its own: it reads the call, authenticates, runs the engine in
a worker thread and writes the envelope. Bad input gets a sentence and a 4xx status.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from tracktray.engine import Engine
from tracktray.server import editpage
from tracktray.server.auth import challenge, credentials
from tracktray.server.body import BodyTooLarge, read_body
from tracktray.server.envelope import render
from tracktray.server.requestlog import RequestLog
from tracktray.server.timetrack import TIMETRACK_PREFIX, timetrack_app
from tracktray.server.tmp_functions import call
from tracktray.server.tmp_request import MAX_BODY_BYTES, BadCall, parse_body, parse_path

__all__ = ["API_PREFIX", "create_app"]

API_PREFIX = "/api/"


def origin_of(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


async def trackmypeople(request: Request) -> Response:
    engine: Engine = request.app.state.engine
    raw = request.scope.get("raw_path", b"").decode("latin-1").partition("?")[0]
    fmt = "xml"
    try:
        parsed = parse_path(raw[len(API_PREFIX) :], request.scope.get("query_string", b""))
        fmt = parsed.fmt
        request.state.function = parsed.function
        found = credentials(request)
        if found is None:
            return challenge()
        body = await read_body(request, MAX_BODY_BYTES)
        parsed = parse_body(parsed, body, request.headers.get("content-type", ""))
    except BadCall as exc:
        return render({"result": 0, "error": exc.message}, exc.fmt, exc.status_code)
    except BodyTooLarge:
        return render({"result": 0, "error": "The request is too large."}, fmt, 413)
    # One trip to a worker thread for both the password check and the engine call.
    payload = await run_in_threadpool(
        _authenticated_call, engine, found, parsed.function, parsed.params, origin_of(request)
    )
    if payload is None:
        return challenge()
    return render(payload, parsed.fmt)


def _authenticated_call(
    engine: Engine,
    found: tuple[str, str],
    function: str,
    params: dict[str, str],
    origin: str,
) -> dict[str, Any] | None:
    profile_id = engine.authenticate(*found)
    if profile_id is None:
        return None
    return call(engine, function, profile_id, params, origin)


async def _home(request: Request) -> Response:
    return PlainTextResponse(
        f"tracktray server: the TrackMyPeople API is at {origin_of(request)}{API_PREFIX}\n"
    )


def create_app(engine: Engine, *, extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The ASGI app over ``engine``; ``extra_routes`` (other API faces) match first."""
    routes: list[BaseRoute] = [
        *extra_routes,
        Mount(TIMETRACK_PREFIX, app=timetrack_app(engine)),
        Route("/", _home, methods=["GET"]),
        Route(API_PREFIX + "{rest:path}", trackmypeople, methods=["GET", "POST"]),
        Route("/blocks/{block_id:int}/edit", editpage.endpoint, methods=["GET", "POST"]),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(RequestLog)])
    app.state.engine = engine
    return app
