"""A TrackMyPeople client on an httpx.MockTransport, for faults the engine never makes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import httpx

from tracktray.api._retry import RetryPolicy
from tracktray.api.trackmypeople import TrackMyPeopleClient

BASE = "https://tmp.example/api/"
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)

Handler = Callable[[httpx.Request], httpx.Response]


def function_of(request: httpx.Request) -> str:
    return request.url.path.rsplit("/", 1)[-1].removesuffix(".json")


def form_of(request: httpx.Request) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(request.content.decode()))


def answers(table: dict[str, Any]) -> Handler:
    """A handler answering each function with a JSON body (or a ready Response)."""

    def handle(request: httpx.Request) -> httpx.Response:
        body = table[function_of(request)]
        if isinstance(body, httpx.Response):
            return body
        return httpx.Response(200, json=body)

    return handle


def raw(body: bytes | str, status: int = 200, **headers: str) -> httpx.Response:
    content = body.encode() if isinstance(body, str) else body
    return httpx.Response(status, content=content, headers=headers)


def client(handler: Handler, *, sleeps: list[float] | None = None) -> TrackMyPeopleClient:
    """A client whose retries record their waits in ``sleeps`` instead of sleeping."""
    waits = sleeps if sleeps is not None else []
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return TrackMyPeopleClient(
        BASE,
        "alice",
        "secret",
        http=http,
        owns_http=True,
        retry=RetryPolicy(attempts=3, sleep=waits.append, jitter=lambda: 0.5),
        clock=lambda: NOW,
    )


def dumps(value: object) -> str:
    return json.dumps(value)
