"""The one wire layer under both server families: the same retry rule, the same closed
state, the same mapping of socket errors, over real HTTPS where the fault is real."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.support import timetrack_fixtures
from tests.support.timetrack_fixtures import TimeTrackServer
from tracktray.api import ServerUnavailable
from tracktray.api._faults import CertificateNotTrusted
from tracktray.api._http import make_http_client
from tracktray.api._retry import RetryPolicy
from tracktray.api._wire import AccountClosed
from tracktray.api.timetrack import TimeTrackClient
from tracktray.api.trackmypeople import TrackMyPeopleClient

if TYPE_CHECKING:
    from tracktray.api._wire import HttpClient

timetrack_server = timetrack_fixtures.timetrack_server

Server = Any  # tests.support.server_fixtures.TrackMyPeopleServer


def _timetrack(server: TimeTrackServer, user: Any, http: HttpClient, **kw: Any) -> Any:
    return TimeTrackClient(
        server.base_url, user.username, server.key, server.secret, http=http, **kw
    )


def _trackmypeople(server: Server, user: Any, http: HttpClient, **kw: Any) -> Any:
    return TrackMyPeopleClient(server.api_url, user.username, user.password, http=http, **kw)


@pytest.mark.parametrize("family", ["trackmypeople", "timetrack"])
def test_an_untrusted_certificate_is_never_retried(
    family: str, trackmypeople_server: Server, timetrack_server: TimeTrackServer, server_user: Any
) -> None:
    waits: list[float] = []
    retry = RetryPolicy(attempts=3, sleep=waits.append, jitter=lambda: 1.0)
    untrusting = make_http_client()  # the system's CAs only: the test CA is unknown
    if family == "timetrack":
        client = _timetrack(timetrack_server, server_user, untrusting, retry=retry)
    else:
        client = _trackmypeople(trackmypeople_server, server_user, untrusting, retry=retry)
    with pytest.raises(CertificateNotTrusted, match="not trusted"):
        client.status()
    assert waits == []  # failed at once, no backoff
    client.close()
    untrusting.close()


@pytest.mark.parametrize("family", ["trackmypeople", "timetrack"])
def test_a_call_on_a_closed_account_says_so_in_a_sentence(
    family: str, trackmypeople_server: Server, timetrack_server: TimeTrackServer, server_user: Any
) -> None:
    http = make_http_client(str(trackmypeople_server.ca_file))
    if family == "timetrack":
        client = _timetrack(timetrack_server, server_user, http, owns_http=True)
    else:
        client = _trackmypeople(trackmypeople_server, server_user, http, owns_http=True)
    client.status()
    client.close()
    assert http.is_closed
    with pytest.raises(AccountClosed, match="was closed") as caught:
        client.status()
    assert isinstance(caught.value, ServerUnavailable)
    assert "client has been closed" not in str(caught.value)


def test_a_client_that_does_not_own_its_http_client_leaves_it_open(
    trackmypeople_server: Server, timetrack_server: TimeTrackServer, server_user: Any
) -> None:
    http = make_http_client(str(trackmypeople_server.ca_file))
    _timetrack(timetrack_server, server_user, http).close()
    _trackmypeople(trackmypeople_server, server_user, http).close()
    assert not http.is_closed
    http.close()


@pytest.mark.parametrize("family", ["trackmypeople", "timetrack"])
def test_a_socket_error_below_httpx_becomes_one_sentence(
    family: str, trackmypeople_server: Server, timetrack_server: TimeTrackServer, server_user: Any
) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise ConnectionResetError(104, "Connection reset by peer")

    http = httpx.Client(transport=httpx.MockTransport(broken))
    retry = RetryPolicy(attempts=2, sleep=lambda _s: None)
    if family == "timetrack":
        client = _timetrack(timetrack_server, server_user, http, retry=retry)
    else:
        client = _trackmypeople(trackmypeople_server, server_user, http, retry=retry)
    with pytest.raises(ServerUnavailable) as caught:
        client.status()
    assert "\n" not in str(caught.value)
    assert str(caught.value).endswith(".")
