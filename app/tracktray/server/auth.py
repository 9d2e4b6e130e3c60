"""HTTP Basic authentication against the engine's profiles."""

from __future__ import annotations

import base64
import binascii

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from tracktray.engine import Engine

__all__ = ["REALM", "authenticate", "challenge", "credentials"]

REALM = "TrackMyPeople"


def credentials(request: Request) -> tuple[str, str] | None:
    """Username and password of a Basic ``Authorization`` header, if well-formed."""
    return _parse(request.headers.get("authorization", ""))


def _parse(header: str) -> tuple[str, str] | None:
    scheme, _, token = header.partition(" ")
    if scheme.casefold() != "basic" or not token.strip():
        return None
    try:
        raw = base64.b64decode(token.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # what older clients send for non-ASCII passwords
    username, colon, password = text.partition(":")
    return (username, password) if colon else None


async def authenticate(engine: Engine, request: Request) -> int | None:
    """The caller's profile id, or None when credentials are missing or wrong."""
    found = credentials(request)
    if found is None:
        return None
    # Password hashing is deliberately slow: keep it off the event loop.
    return await run_in_threadpool(engine.authenticate, *found)


def challenge(message: str = "Sign in with your username and password.") -> Response:
    return PlainTextResponse(message, 401, headers={"WWW-Authenticate": f'Basic realm="{REALM}"'})
