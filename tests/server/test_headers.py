"""Request headers read once per request, response headers set in one pass: the same
answers as Starlette's ``Headers``/``MutableHeaders``, which they replace on the hot path."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers, MutableHeaders

from tracktray.server.headers import header, sent, set_response_headers

RAW = [
    (b"host", b"example.org"),
    (b"x-empty", b""),
    (b"origin", b"https://one.example"),
    (b"origin", b"https://two.example"),
    (b"authorization", b"Basic \xe9t\xe9"),
]


def test_request_headers_answer_as_starlettes() -> None:
    scope: dict[str, Any] = {"type": "http", "headers": list(RAW)}
    theirs = Headers(scope={"headers": list(RAW)})
    for name in ("host", "x-empty", "origin", "authorization", "absent"):
        assert header(scope, name.encode()) == theirs.get(name, "")
        assert sent(scope, name.encode()) == (name in theirs)
    assert header(scope, b"origin") == "https://one.example"  # the first one wins


def test_response_headers_are_replaced_as_starlette_does() -> None:
    message: dict[str, Any] = {
        "type": "http.response.start",
        "headers": [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"x-frame-options", b"SAMEORIGIN"),
            (b"x-frame-options", b"ALLOW"),
        ],
    }
    expected: dict[str, Any] = {"headers": list(message["headers"])}
    mine = set_response_headers(message, {b"x-frame-options": b"DENY", b"x-new": b"1"})
    theirs = MutableHeaders(scope=expected)
    theirs["X-Frame-Options"] = "DENY"
    theirs["X-New"] = "1"
    assert mine == "text/html; charset=utf-8"
    assert sorted(message["headers"]) == sorted(theirs.raw)
