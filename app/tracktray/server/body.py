"""Reading a request body with a size limit (413 past it), whatever the client claims,
and a time limit (408 past it: a body trickled in byte by byte holds a task and memory)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request

from tracktray.server.headers import header, sent

__all__ = ["BodyTooLarge", "BodyTooSlow", "read_body"]

#: when the app states no limit of its own
DEFAULT_BODY_TIMEOUT_S = 30.0


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    declared = header(request.scope, b"content-length")
    if declared.isdecimal() and int(declared) > limit:
        raise BodyTooLarge
    if declared == "0" and not sent(request.scope, b"transfer-encoding"):
        return b""  # nothing to wait for (a widget's status poll)
    limits = getattr(request.app.state, "limits", None)
    timeout = limits.body_timeout_s if limits is not None else DEFAULT_BODY_TIMEOUT_S
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise BodyTooLarge
                chunks.append(chunk)
    except TimeoutError:
        raise BodyTooSlow from None
    return b"".join(chunks)
