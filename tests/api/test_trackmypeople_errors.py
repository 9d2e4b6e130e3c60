"""Refusals, malformed answers and broken networks each become one error of the tree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
import pytest

from tracktray.api import (
    AuthenticationFailed,
    Overlap,
    PermissionDenied,
    ProtocolError,
    Refused,
    ServerUnavailable,
    TrackTrayError,
    ValidationFailed,
)
from tracktray.domain import ReportQuery

from ._mock import answers, client, form_of, raw

START = "2026-11-23"


def test_refusal_carries_the_servers_sentence() -> None:
    trackmypeople = client(answers({"start": {"result": 0, "error": "a block is already started"}}))
    with pytest.raises(Refused) as caught:
        trackmypeople.start()
    assert type(caught.value) is Refused
    assert str(caught.value) == "A block is already started."


def test_stop_with_nothing_running_has_a_fallback_sentence() -> None:
    with pytest.raises(Refused, match="No timer was running"):
        client(answers({"stop": {"result": 0}})).stop()


def test_overlap_carries_the_edit_url() -> None:
    body = {"result": 0, "error": "overlap", "url": "https://trackmypeople.example/blocks/9/edit"}
    with pytest.raises(Overlap) as caught:
        client(answers({"add": body})).add(_aware())
    assert caught.value.url == "https://trackmypeople.example/blocks/9/edit"
    assert "https://trackmypeople.example/blocks/9/edit" in str(caught.value)


def test_validation_errors_on_input() -> None:
    body = {"result": 0, "error": "start must be before stop"}
    with pytest.raises(ValidationFailed, match=r"Start must be before stop\."):
        client(answers({"add": body})).add(_aware())


def test_not_allowed_is_permission_denied() -> None:
    body = {"result": "0", "error": "not allowed"}
    with pytest.raises(PermissionDenied):
        client(answers({"report": body})).report(ReportQuery(profile_id=99))


@pytest.mark.parametrize("sentence", ["not logged in", "Authentication required"])
def test_credentials_refused_in_the_envelope(sentence: str) -> None:
    body = {"result": 0, "error": sentence}
    with pytest.raises(AuthenticationFailed):
        client(answers({"status": body})).status()


def test_invalid_version_is_a_validation_error() -> None:
    body = {"result": 0, "error": "invalid version passed: Amiga-1"}
    with pytest.raises(ValidationFailed, match="Invalid version passed: Amiga-1"):
        client(answers({"checkVersion": body})).check_version("Amiga-1")


def test_update_url_must_be_https() -> None:
    body = {"result": 0, "url": "http://evil.example/update.exe"}
    with pytest.raises(ProtocolError, match="not https"):
        client(answers({"checkVersion": body})).check_version("Linux_Qt-0.1.0")


@pytest.mark.parametrize(
    ("response", "error", "text"),
    [
        (
            raw("", 401, **{"WWW-Authenticate": 'Basic realm="TrackMyPeople"'}),
            AuthenticationFailed,
            "username or password",
        ),
        (raw("", 403), PermissionDenied, "does not allow"),
        (
            raw("<html>login</html>", 302, Location="https://trackmypeople.example/login"),
            ProtocolError,
            "login page",
        ),
        (raw("not found", 404), ProtocolError, "HTTP 404"),
        (raw("", 418), ProtocolError, "418"),
        (raw("busy", 503, **{"Retry-After": "30"}), ServerUnavailable, "in 30 s"),
        (raw("oops", 500), ServerUnavailable, "HTTP 500"),
        (
            raw("<!DOCTYPE html><form>Sign in</form>", 200, **{"Content-Type": "text/html"}),
            ProtocolError,
            "web page",
        ),
        (raw("  <html>", 200), ProtocolError, "web page"),
        (raw("{truncated", 200), ProtocolError, "not TrackMyPeople data"),
        (raw("", 200), ProtocolError, "not TrackMyPeople data"),
        (raw("[1, 2]", 200), ProtocolError, "not TrackMyPeople data"),
        (raw('"ok"', 200), ProtocolError, "not TrackMyPeople data"),
        (raw(b"\xff\xfe\x00garbage", 200), ProtocolError, "not TrackMyPeople data"),
        (raw('{"result": 2}', 200), ProtocolError, "neither 1 nor 0"),
        (raw('{"result": 1, "daytotal": {"h": 1}}', 200), ProtocolError, "today's total"),
        (raw('{"result": 1, "last_block": {"started_at": "soon"}}', 200), ProtocolError, "tracker"),
        (raw('{"result": 1, "last_block": 5}', 200), ProtocolError, "running block"),
        (
            raw('{"result":1,"last_block":{"started_at":"x","tracker":{"Id":1}}}', 200),
            ProtocolError,
            "start of the block",
        ),
    ],
)
def test_malformed_and_failed_answers(
    response: httpx.Response, error: type[TrackTrayError], text: str
) -> None:
    sleeps: list[float] = []
    with pytest.raises(error, match=text) as caught:
        client(answers({"status": response}), sleeps=sleeps).status()
    assert type(caught.value) is error
    if error is ServerUnavailable and response.status_code == 503:
        assert caught.value.retry_after == 30  # type: ignore[attr-defined]
        # 30 s is beyond the cap of a read's retries: the caller gets retry_after instead
        assert sleeps == [0.125, 0.25]


@pytest.mark.parametrize(
    ("fault", "text"),
    [
        (httpx.ConnectError("[Errno -2] Name or service not known"), "could not be found"),
        (httpx.ConnectError("[Errno 111] Connection refused"), "connection refused"),
        (httpx.ConnectTimeout("timed out"), "took too long"),
        (httpx.ReadTimeout("timed out"), "did not answer in time"),
        (httpx.RemoteProtocolError("Server disconnected"), "broke before the answer"),
        (httpx.ReadError("reset"), "broke before the answer"),
    ],
)
def test_network_faults_are_server_unavailable_after_retries(fault: Exception, text: str) -> None:
    calls: list[int] = []
    sleeps: list[float] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise fault

    with pytest.raises(ServerUnavailable, match=text):
        client(handle, sleeps=sleeps).trackers()
    assert len(calls) == 3  # reads are retried...
    assert sleeps == [0.125, 0.25]  # ...after capped exponential waits with jitter


def test_an_untrusted_certificate_is_not_retried() -> None:
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")

    with pytest.raises(ServerUnavailable, match="not trusted"):
        client(handle).status()
    assert calls == [1]


def test_a_read_recovers_when_the_server_comes_back() -> None:
    faults = [httpx.ConnectError("[Errno 111] Connection refused")]

    def handle(request: httpx.Request) -> httpx.Response:
        if faults:
            raise faults.pop()
        return httpx.Response(200, json={"total": "2:00"})

    assert client(handle).day_total() == 7200


def test_retry_after_from_the_server_is_honoured() -> None:
    replies = [raw("", 503, **{"Retry-After": "2"}), httpx.Response(200, json={"result": 1})]
    sleeps: list[float] = []
    client(lambda _r: replies.pop(0), sleeps=sleeps).trackers()
    assert sleeps == [2.0]


def test_writes_are_not_retried_when_the_connection_fails() -> None:
    calls: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        raise httpx.ConnectError("[Errno 111] Connection refused")

    with pytest.raises(ServerUnavailable):
        client(handle).add(_aware())
    assert len(calls) == 1


def test_hours_out_of_range_never_reach_the_server() -> None:
    with pytest.raises(ValidationFailed, match="at most 24 hours"):
        client(answers({})).add_free(Decimal("25"))


def test_naive_times_are_profile_wall_times() -> None:
    seen: list[dict[str, str]] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(form_of(request))
        return httpx.Response(200, json={})

    client(handle).report(ReportQuery(start=dt.datetime(2026, 11, 22), stop=_aware()))
    assert seen == [{"start": "2026-11-22 00:00:00", "stop": str(int(_aware().timestamp()))}]


def _aware() -> dt.datetime:
    return dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
