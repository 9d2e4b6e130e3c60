"""Request headers read once per request, and response headers set without rescans.

Starlette's ``Headers`` answers each lookup by scanning the request's header list and
decoding every name again; a widget's ``status`` looked up seven headers on its way
(content length, transfer encoding, authorization, content type, host, and the two a
browser sends across sites), about a tenth of its time in the app. Here the list is
turned into a dict once and kept in the ASGI scope. Same rules as Starlette: names are
lowercase (the server lowercases them), values latin-1, the first of repeated headers
wins.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

__all__ = ["header", "sent", "set_response_headers"]

_KEY = "tracktray.headers"


def _headers(scope: MutableMapping[str, Any]) -> dict[bytes, bytes]:
    found: dict[bytes, bytes] | None = scope.get(_KEY)
    if found is None:
        found = {}
        for key, value in reversed(list(scope.get("headers", ()))):
            found[key] = value  # reversed: the first of repeated headers wins
        scope[_KEY] = found
    return found


def header(scope: MutableMapping[str, Any], name: bytes) -> str:
    """The request header ``name`` (lowercase), or "" when it was not sent."""
    value = _headers(scope).get(name)
    return "" if value is None else value.decode("latin-1")


def sent(scope: MutableMapping[str, Any], name: bytes) -> bool:
    """Whether the request has a header ``name`` (lowercase), even an empty one."""
    return name in _headers(scope)


def set_response_headers(message: MutableMapping[str, Any], values: dict[bytes, bytes]) -> str:
    """Set ``values`` (lowercase names) on an ``http.response.start`` message, replacing
    any already there (as Starlette's ``MutableHeaders`` does); returns the answer's
    content type."""
    content_type = ""
    kept: list[tuple[bytes, bytes]] = []
    for key, value in message.get("headers", ()):
        if key in values:
            continue
        if key == b"content-type" and not content_type:
            content_type = value.decode("latin-1")
        kept.append((key, value))
    kept.extend(values.items())
    message["headers"] = kept
    return content_type
