"""``at`` on stop/switch against the real engine over HTTPS, and against a server that
ignores it (as a vendor server may): the client notices and says where to correct it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest

from tracktray.api import Refused, TimeNotApplied
from tracktray.api._http import make_http_client, make_httpx_client, make_ssl_context
from tracktray.api.trackmypeople import TrackMyPeopleClient
from tracktray.domain import ReportQuery

Server = Any  # tests.support.server_fixtures.TrackMyPeopleServer


class _ForgetsAt(httpx.HTTPTransport):
    """A real HTTPS transport that drops the ``at`` field, like a server that ignores it."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fields = [(k, v) for k, v in parse_qsl(request.content.decode()) if k != "at"]
        body = urlencode(fields).encode()
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        stripped = httpx.Request(request.method, request.url, headers=headers, content=body)
        return super().handle_request(stripped)


def _open_since(server: Server, user: Any, minutes: int) -> dt.datetime:
    """An open block that began ``minutes`` ago (whole seconds, as the engine stores it)."""
    began = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=minutes)
    server.engine.add(user.profile_id, began)
    return began


@pytest.fixture
def client(trackmypeople_server: Server, server_user: Any) -> Iterator[TrackMyPeopleClient]:
    http = make_http_client(str(trackmypeople_server.ca_file))
    with TrackMyPeopleClient(
        trackmypeople_server.api_url,
        server_user.username,
        server_user.password,
        http=http,
        owns_http=True,
    ) as c:
        yield c


def test_stop_at_is_honoured_and_checked(
    client: TrackMyPeopleClient, trackmypeople_server: Server, server_user: Any
) -> None:
    began = _open_since(trackmypeople_server, server_user, 60)
    client.stop("meeting", at=began + dt.timedelta(minutes=25))
    blocks = client.report(ReportQuery(start=began, stop=began + dt.timedelta(seconds=1)))
    assert [(b.total_s, b.description) for b in blocks] == [(25 * 60, "meeting")]
    assert client.status().running is None


def test_switch_at_begins_the_next_block_at_that_instant(
    client: TrackMyPeopleClient, trackmypeople_server: Server, server_user: Any
) -> None:
    began = _open_since(trackmypeople_server, server_user, 60)
    cut = began + dt.timedelta(minutes=10)
    after = client.switch(server_user.trackers["Acme/Support"], at=cut)
    assert after.running is not None
    assert after.running.started_at == cut
    assert after.running.tracker.id == server_user.trackers["Acme/Support"]


def test_an_at_before_the_block_is_refused_in_the_servers_words(
    client: TrackMyPeopleClient, trackmypeople_server: Server, server_user: Any
) -> None:
    began = _open_since(trackmypeople_server, server_user, 5)
    with pytest.raises(Refused, match="before the running block began"):
        client.stop(at=began - dt.timedelta(hours=1))
    running = client.status().running
    assert running is not None and running.started_at == began


def test_a_server_that_ignores_at_is_caught_with_the_blocks_edit_page(
    trackmypeople_server: Server, server_user: Any
) -> None:
    began = _open_since(trackmypeople_server, server_user, 30)
    transport = _ForgetsAt(verify=make_ssl_context(str(trackmypeople_server.ca_file)))
    http = make_httpx_client(transport=transport)
    with (
        TrackMyPeopleClient(
            trackmypeople_server.api_url,
            server_user.username,
            server_user.password,
            http=http,
            owns_http=True,
        ) as forgetful,
        pytest.raises(TimeNotApplied) as caught,
    ):
        forgetful.stop(at=began + dt.timedelta(minutes=5))
    assert caught.value.url is not None
    assert caught.value.url.startswith(f"{trackmypeople_server.origin}/blocks/")
    assert caught.value.url.endswith("/edit")
    assert "not at" in str(caught.value)
    # The stop itself went through (now): nothing is left running, nothing is resent.
    assert trackmypeople_server.engine.status(server_user.profile_id).running is None
