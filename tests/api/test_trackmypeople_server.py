"""Every client function against the real engine over HTTPS on loopback (trustme CA)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tracktray.api import (
    AuthenticationFailed,
    Overlap,
    PermissionDenied,
    Refused,
    ServerUnavailable,
    ValidationFailed,
)
from tracktray.api._http import make_http_client
from tracktray.api._retry import RetryPolicy
from tracktray.api.trackmypeople import TrackMyPeopleClient
from tracktray.domain import ReportQuery

Server = Any  # tests.support.server_fixtures.TrackMyPeopleServer (contract section 3)


def _client(server: Server, username: str, password: str, **kw: Any) -> TrackMyPeopleClient:
    return TrackMyPeopleClient(
        server.api_url,
        username,
        password,
        http=make_http_client(str(server.ca_file)),
        owns_http=True,
        **kw,
    )


@pytest.fixture
def trackmypeople(trackmypeople_server: Server, server_user: Any) -> Iterator[TrackMyPeopleClient]:
    client = _client(trackmypeople_server, server_user.username, server_user.password)
    yield client
    client.close()


def test_trackers_tree_from_the_engine(
    trackmypeople: TrackMyPeopleClient, server_user: Any
) -> None:
    tree = trackmypeople.trackers()
    assert [t.display_path for t in tree] == [
        "Acme",
        "Acme / Support",
        "Acme / Website",
        "Acme / Website / Backend",
        "Acme / Website / Design",
        "Internal",
        "Internal / Holidays",
    ]
    assert tree.find("web").id == server_user.trackers["Acme/Website"]
    assert tree.find("acme/website/design").depth == 2


def test_start_status_switch_stop(trackmypeople: TrackMyPeopleClient, server_user: Any) -> None:
    idle = trackmypeople.status()
    assert idle.running is None
    assert idle.default_tracker is not None
    assert idle.default_tracker.id == server_user.trackers["Acme/Website"]
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = trackmypeople.start()
    assert started.running is not None
    assert started.running.tracker.name == "Website"
    assert before - dt.timedelta(seconds=1) <= started.running.started_at
    with pytest.raises(Refused):
        trackmypeople.start()
    design = server_user.trackers["Acme/Website/Design"]
    switched = trackmypeople.switch(design, "first part")
    assert switched.running is not None
    assert switched.running.tracker.id == design
    again = trackmypeople.status().running
    assert again is not None
    assert (again.tracker, again.started_at) == (
        switched.running.tracker,
        switched.running.started_at,
    )
    trackmypeople.stop("second part")
    assert trackmypeople.status().running is None
    with pytest.raises(Refused):
        trackmypeople.stop()
    with pytest.raises(Refused):
        trackmypeople.switch(design)
    blocks = trackmypeople.report(ReportQuery())
    assert [b.description for b in blocks] == ["first part", "second part"]
    assert trackmypeople.day_total() >= 0


def test_add_past_block_overlap_and_validation(
    trackmypeople: TrackMyPeopleClient, server_user: Any
) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1, hours=3)
    stop = start + dt.timedelta(minutes=90)
    support = server_user.trackers["Acme/Support"]
    block = trackmypeople.add(start, stop, support, "call")
    assert block.total_s == 5400
    assert block.tracker_id == support
    assert block.description == "call"
    assert block.free is False
    with pytest.raises(Overlap) as caught:
        trackmypeople.add(start + dt.timedelta(minutes=30), stop + dt.timedelta(minutes=30))
    assert caught.value.url is not None
    assert caught.value.url.endswith(f"/blocks/{block.id}/edit")
    with pytest.raises(ValidationFailed):
        trackmypeople.add(stop, start)
    with pytest.raises(ValidationFailed):
        trackmypeople.add(start - dt.timedelta(hours=5), start - dt.timedelta(hours=4), 999_999)


def test_add_free_and_filtered_report(trackmypeople: TrackMyPeopleClient, server_user: Any) -> None:
    holidays = server_user.trackers["Internal/Holidays"]
    day = dt.date.today() - dt.timedelta(days=2)
    free = trackmypeople.add_free(Decimal("7.5"), day, holidays, "leave")
    assert free.free is True
    assert free.total_s == 27000
    assert free.time_in.date() == day
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    only_free = trackmypeople.report(ReportQuery(start=start, free=True))
    assert [b.id for b in only_free] == [free.id]
    assert trackmypeople.report(ReportQuery(start=start, free=False)) == []
    internal = server_user.trackers["Internal"]
    assert [b.id for b in trackmypeople.report(ReportQuery(start=start, tracker_id=internal))] == [
        free.id
    ]


def test_report_include_open(trackmypeople: TrackMyPeopleClient) -> None:
    trackmypeople.start()
    try:
        assert trackmypeople.report(ReportQuery()) == []
        (running,) = trackmypeople.report(ReportQuery(include_open=True))
        assert running.time_out is None
    finally:
        trackmypeople.stop()


def test_reportees_and_reports_of_others(trackmypeople_server: Server, server_user: Any) -> None:
    boss = trackmypeople_server.new_user(can_see_reporting=True)
    with _client(trackmypeople_server, boss.username, boss.password) as client:
        ids = {p.id for p in client.reportees()}
        assert boss.profile_id in ids
        assert server_user.profile_id in ids
        client.report(ReportQuery(profile_id=server_user.profile_id))
    with _client(trackmypeople_server, server_user.username, server_user.password) as client:
        assert [p.id for p in client.reportees()] == [server_user.profile_id]
        with pytest.raises(PermissionDenied):
            client.report(ReportQuery(profile_id=boss.profile_id))


def test_check_version(trackmypeople_server: Server, trackmypeople: TrackMyPeopleClient) -> None:
    # the edition the client sends (Linux_Qt) wins over the bare platform: set that one,
    # as tests that ran earlier on this shared server may have set it
    trackmypeople_server.engine.set_release(
        "Linux_Qt", "9.0.0", "https://example.org/tracktray-9.0.0"
    )
    assert trackmypeople.check_version("Linux_Qt-9.0.0").up_to_date
    update = trackmypeople.check_version("Linux_Qt-0.1.0")
    assert update.up_to_date is False
    assert update.url == "https://example.org/tracktray-9.0.0"
    with pytest.raises(ValidationFailed, match="nvalid version"):
        trackmypeople.check_version("nonsense")


def test_wrong_password(trackmypeople_server: Server, server_user: Any) -> None:
    with (
        _client(trackmypeople_server, server_user.username, "wrong") as client,
        pytest.raises(AuthenticationFailed),
    ):
        client.status()


def test_base_url_without_api_path(trackmypeople_server: Server, server_user: Any) -> None:
    with TrackMyPeopleClient(
        trackmypeople_server.origin,
        server_user.username,
        server_user.password,
        http=make_http_client(str(trackmypeople_server.ca_file)),
        owns_http=True,
    ) as client:
        assert client.base_url == trackmypeople_server.api_url
        assert client.status().running is None


def test_untrusted_certificate_is_refused(trackmypeople_server: Server, server_user: Any) -> None:
    client = TrackMyPeopleClient(
        trackmypeople_server.api_url,
        server_user.username,
        server_user.password,
        http=make_http_client(None),
        owns_http=True,
        retry=RetryPolicy(attempts=1),
    )
    with client, pytest.raises(ServerUnavailable, match="not trusted"):
        client.status()


def test_one_keep_alive_connection_is_reused(
    trackmypeople_server: Server, server_user: Any
) -> None:
    connections: list[object] = []

    class Counting(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = super().handle_request(request)
            connections.append(response.extensions.get("network_stream"))
            return response

    import ssl

    http = httpx.Client(
        transport=Counting(
            verify=ssl.create_default_context(cafile=str(trackmypeople_server.ca_file))
        )
    )
    with TrackMyPeopleClient(
        trackmypeople_server.api_url,
        server_user.username,
        server_user.password,
        http=http,
        owns_http=True,
    ) as client:
        for _ in range(5):
            client.status()
    assert len(connections) == 5
    assert len(set(map(id, connections))) == 1


def test_lost_start_answer_against_the_real_server(
    trackmypeople_server: Server, server_user: Any
) -> None:
    """The request reaches the engine, the answer is dropped: status confirms, no resend."""
    import ssl

    sent: list[str] = []

    class DropFirstStartAnswer(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = super().handle_request(request)
            function = request.url.path.rsplit("/", 1)[-1]
            sent.append(function)
            if function == "start.json" and sent.count("start.json") == 1:
                response.read()
                raise httpx.ReadError("connection reset by peer")
            return response

    http = httpx.Client(
        transport=DropFirstStartAnswer(
            verify=ssl.create_default_context(cafile=str(trackmypeople_server.ca_file))
        )
    )
    with TrackMyPeopleClient(
        trackmypeople_server.api_url,
        server_user.username,
        server_user.password,
        http=http,
        owns_http=True,
    ) as client:
        status = client.start(server_user.trackers["Acme/Support"])
        assert status.running is not None
        assert status.running.tracker.name == "Support"
        assert sent == ["start.json", "status.json"]
        assert len(client.report(ReportQuery(include_open=True))) == 1
        client.stop()
