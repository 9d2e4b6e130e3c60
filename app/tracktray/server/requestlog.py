"""One log line per request: method, function (or path), status, duration.

At DEBUG level (``tracktray-server serve --access-log`` shows them): a widget asks for
``status`` every minute, so a team's server would otherwise write a line a second, and
formatting and writing it cost more CPU than answering the request. With DEBUG off the
request is not wrapped at all. Errors are logged by the handlers at their own levels.

Never the query string, body or headers, so no password can end up in a log. The
handlers name the function they served in ``scope["state"]["function"]``.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestLog", "logger"]

logger = logging.getLogger("tracktray.server")


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not logger.isEnabledFor(logging.DEBUG):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client sees if the app dies before answering
        logged = False

        def log() -> None:
            nonlocal logged
            logged = True
            state = scope.get("state") or {}
            what = state.get("function") or scope.get("path", "")
            elapsed_ms = (time.perf_counter() - started) * 1000
            logger.debug("%s %s %d %.1fms", scope.get("method", "?"), what, status, elapsed_ms)

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                log()  # before the last byte leaves: the line exists once the client has it
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            if not logged:
                log()
