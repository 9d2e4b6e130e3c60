"""HTTP Basic authentication against the engine's profiles."""

from __future__ import annotations

import base64
import binascii
import functools

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from tracktray.engine import Engine
from tracktray.server.headers import header
from tracktray.server.limits import SignInGuard, client_address

__all__ = ["REALM", "authenticate", "challenge", "credentials", "too_many"]

REALM = "TrackMyPeople"


def credentials(request: Request) -> tuple[str, str] | None:
    """Username and password of a Basic ``Authorization`` header, if well-formed."""
    return _parse(header(request.scope, b"authorization"))


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


async def authenticate(engine: Engine, request: Request) -> int | Response:
    """The caller's profile id, or the response to send: 401 when credentials are
    missing or wrong, 429 + ``Retry-After`` while failed sign-ins are throttled."""
    found = credentials(request)
    if found is None:
        return challenge()
    guard: SignInGuard = request.app.state.guard
    address = client_address(request)
    wait = guard.wait_s(found[0], address)
    # Password hashing is deliberately slow: keep it off the event loop. While throttled,
    # only credentials this process has already verified get through (no new hash).
    profile_id = await run_in_threadpool(
        functools.partial(engine.authenticate, *found, remembered_only=wait > 0)
    )
    if profile_id is not None:
        guard.succeeded(found[0])
        return profile_id
    if wait > 0:
        guard.refuse()
        return too_many(wait)
    guard.failed(found[0], address)
    return challenge()


def too_many(wait_s: int) -> Response:
    return PlainTextResponse(
        f"Too many failed sign-ins; try again in {wait_s} seconds.",
        429,
        headers={"Retry-After": str(wait_s)},
    )


def challenge(message: str = "Sign in with your username and password.") -> Response:
    return PlainTextResponse(message, 401, headers={"WWW-Authenticate": f'Basic realm="{REALM}"'})
