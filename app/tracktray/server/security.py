"""Browser-facing protection: cross-site requests refused, security headers on answers.

A browser replays a saved Basic login on any request to this origin, also when another
site makes it (a hidden form posting to ``/api/add.json``, an image loading
``/api/start.json``). Widgets and scripts send neither ``Origin`` nor ``Sec-Fetch-Site``;
browsers send one or both. So a request that says it comes from another site is
refused (403) before anything reads it: ``Sec-Fetch-Site`` of ``cross-site`` or
``same-site``, or an ``Origin`` whose host is not this server's ``Host``.

Every answer gets ``nosniff``; HTML pages also get a strict Content-Security-Policy,
no framing (``frame-ancestors``, ``X-Frame-Options``) and no referrer.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tracktray.server.headers import header, sent, set_response_headers
from tracktray.server.timetrack_io import error_response

__all__ = ["HTML_HEADERS", "SecurityMiddleware"]

HTML_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
_PROTECTED = ("/api/", "/blocks/")
_REFUSAL = "Requests from other web sites are refused; use the tracktray widget or a script."


def _cross_site(scope: Scope) -> bool:
    fetch_site = header(scope, b"sec-fetch-site").casefold()
    if fetch_site in ("cross-site", "same-site"):
        return True
    if not sent(scope, b"origin"):
        return False
    origin = header(scope, b"origin")
    if origin == "null":  # sandboxed frames, data: URLs, some redirects
        return True
    return urlsplit(origin).netloc.casefold() != header(scope, b"host").casefold()


class SecurityMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if path.startswith(_PROTECTED) and _cross_site(scope):
            refusal: Response = (
                error_response(403, _REFUSAL)
                if path.startswith("/api/v2/ext/")
                else PlainTextResponse(_REFUSAL, 403)
            )
            await refusal(scope, receive, _with_headers(send))
            return
        await self.app(scope, receive, _with_headers(send))


_NOSNIFF = {b"x-content-type-options": b"nosniff"}
_HTML_HEADERS = {
    name.lower().encode("latin-1"): value.encode("latin-1") for name, value in HTML_HEADERS.items()
}


def _with_headers(send: Send) -> Send:
    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            content_type = set_response_headers(message, _NOSNIFF)
            if content_type.startswith("text/html"):
                set_response_headers(message, _HTML_HEADERS)
        await send(message)

    return send_with_headers
