"""No JSON body and no status code makes the client raise anything but its own errors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracktray.api import TrackTrayError
from tracktray.api.trackmypeople import TrackMyPeopleClient
from tracktray.domain import ReportQuery

from ._mock import NOW, client

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["1", "0", "1:30", "→→ x", "", "1763888400", "2026-11-23 08:00:00"]),
)
_keys = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        [
            "result",
            "error",
            "url",
            "daytotal",
            "last_block",
            "default_tracker",
            "total",
            "added_block",
            "started_at",
            "tracker",
            "Id",
            "Name",
            "Trackable",
            "TimeIn",
            "TimeOut",
            "Total",
            "Free",
            "block_1",
            "reportee_1",
            "12",
        ]
    ),
)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=6),
    max_leaves=20,
)
_bodies = st.one_of(
    _json.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=40),
)

CALLS: list[Callable[[TrackMyPeopleClient], Any]] = [
    lambda c: c.status(),
    lambda c: c.trackers(),
    lambda c: c.day_total(),
    lambda c: c.reportees(),
    lambda c: c.report(ReportQuery(include_open=True)),
    lambda c: c.check_version("Linux_Qt-0.1.0"),
    lambda c: c.start(3),
    lambda c: c.switch(None, "x"),
    lambda c: c.stop("x"),
    lambda c: c.add(NOW - dt.timedelta(hours=1), NOW),
    lambda c: c.add_free(Decimal("7.5"), dt.date(2026, 11, 23)),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=_bodies,
    status=st.sampled_from([200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 503]),
    retry_after=st.one_of(
        st.none(),
        st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
        st.just("Wed, 21 Oct 2099 07:28:00 GMT"),
    ),
    which=st.integers(min_value=0, max_value=len(CALLS) - 1),
)
def test_only_tracktray_errors_escape(
    body: bytes, status: int, retry_after: str | None, which: int
) -> None:
    headers = {"Retry-After": retry_after} if retry_after else {}

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=headers)

    try:
        CALLS[which](client(handle))
    except TrackTrayError as exc:
        assert str(exc).strip()
        assert "\n" not in str(exc)


_tracker = st.fixed_dictionaries(
    {},
    optional={"Id": _scalars, "Name": _scalars, "Abbreviation": _scalars, "Trackable": _scalars},
)
_block = st.fixed_dictionaries(
    {},
    optional={
        k: _scalars
        for k in (
            "Id",
            "ProfileId",
            "TrackerId",
            "Description",
            "TimeIn",
            "TimeOut",
            "Total",
            "Free",
        )
    },
)
_near_valid = st.fixed_dictionaries(
    {"result": st.sampled_from([1, "1", 0, "0", True])},
    optional={
        "daytotal": _scalars,
        "total": _scalars,
        "error": _scalars,
        "url": _scalars,
        "last_block": st.one_of(
            _scalars,
            st.fixed_dictionaries(
                {}, optional={"started_at": _scalars, "total": _scalars, "tracker": _tracker}
            ),
        ),
        "default_tracker": st.one_of(_scalars, _tracker),
        "added_block": st.one_of(_scalars, _block),
        "block_1": st.one_of(_scalars, _block),
        "reportee_1": st.one_of(_scalars, _block),
        "7": _scalars,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(envelope=_near_valid, which=st.integers(min_value=0, max_value=len(CALLS) - 1))
def test_near_valid_envelopes_decode_or_fail_cleanly(envelope: dict[str, Any], which: int) -> None:
    body = json.dumps(envelope).encode()

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    try:
        CALLS[which](client(handle))
    except TrackTrayError as exc:
        assert str(exc).strip()
