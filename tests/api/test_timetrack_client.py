"""The TimeTrack client against faults and variants the engine never produces (MockTransport)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from zoneinfo import ZoneInfo

import httpx
import pytest

from tracktray.accounts import Backend, Capability
from tracktray.accounts.timetrack import attendance_of, pausable
from tracktray.api import (
    AuthenticationFailed,
    ProtocolError,
    Refused,
    ServerUnavailable,
    ValidationFailed,
)
from tracktray.api._retry import RetryPolicy
from tracktray.api.timetrack import TimeTrackClient

ZONE = ZoneInfo("Europe/Brussels")
NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)  # 10:30 in Brussels
Handler = Callable[[httpx.Request], httpx.Response]


def make(handler: Handler, sleeps: list[float] | None = None) -> TimeTrackClient:
    waits = sleeps if sleeps is not None else []
    return TimeTrackClient(
        "https://acme.example.com",
        "ivan",
        "KEY",
        "SECRET",
        http=httpx.Client(transport=httpx.MockTransport(handler)),
        zone=ZONE,
        clock=lambda: NOW,
        retry=RetryPolicy(attempts=3, sleep=waits.append, jitter=lambda: 1.0),
    )


def test_client_is_a_backend_that_states_its_faces() -> None:
    client = make(lambda r: httpx.Response(200, json=[]))
    assert isinstance(client, Backend)
    assert Capability.PAUSE in client.capabilities
    assert Capability.ATTENDANCE in client.capabilities
    assert pausable(client) is client
    assert attendance_of(client) is client


@pytest.mark.parametrize(
    "given",
    ["acme.example.com", "https://acme.example.com/api", "https://acme.example.com/api/v2/ext/"],
)
def test_base_url_accepts_host_or_full_path(given: str) -> None:
    client = TimeTrackClient(given, "ivan", "k", "s", http=httpx.Client())
    assert client.base_url == "https://acme.example.com/api/v2/ext/"


def test_plain_http_to_another_machine_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="https"):
        TimeTrackClient("http://acme.example.com", "ivan", "k", "s", http=httpx.Client())


def test_every_request_carries_key_secret_and_the_local_date() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"playing": False, "paused": False, "stopped": True})

    timer = make(handler).project_timer()
    assert not timer.running
    request = seen[0]
    assert request.headers["X-TimeTrack-Api-Key"] == "KEY"
    assert request.headers["X-TimeTrack-Api-Secret"] == "SECRET"
    assert request.url.path == "/api/v2/ext/timers/project_timer"
    assert request.url.params["date"] == "2026-11-23T10:30:00.000Z"
    assert request.url.params["username"] == "ivan"


def test_timer_falls_back_to_the_older_path_on_404() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path.startswith("/api/v2/ext/timers/"):
            return httpx.Response(404, json={"errors": [{"title": "Not Found", "status": 404}]})
        return httpx.Response(200, json={})

    client = make(handler)
    client.stop()
    client.stop()
    assert paths == [
        "/api/v2/ext/timers/project_timer/stop",
        "/api/v2/ext/project_timer/stop",
        "/api/v2/ext/project_timer/stop",  # remembered: no second detour
    ]


def test_attendance_variants_are_tolerated() -> None:
    rows = [
        {
            "ID": "7",
            "username": "ivan",
            "from": "2026-11-23T08:00:00.000Z",
            "to": "2026-11-23T12:30:00Z",
            "minutesBreak": "30",
            "details": "Das ist ein Test",
            "manual": "1",
            "latitudeStart": "50.85",
            "longitudeEnd": 4.35,
        }
    ]
    client = make(lambda r: httpx.Response(200, json={"attendances": rows}))
    [entry] = client.attendances(NOW, NOW)
    assert entry.id == 7 and entry.user == "ivan" and entry.notes == "Das ist ein Test"
    assert entry.break_minutes == 30
    assert entry.worked_minutes == 240  # derived when the server leaves it out
    assert entry.start == dt.datetime(2026, 11, 23, 8, 0)
    assert entry.latitude_start == 50.85 and entry.longitude_end == 4.35
    assert entry.manual is True


def test_lists_are_read_page_by_page_until_a_short_page() -> None:
    pages: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page_number"])
        pages.append(request.url.params["page_number"])
        limit = int(request.url.params["limit"])
        count = limit if page == 0 else 2
        body = [
            {"id": page * limit + i, "projectName": f"P{i}", "clientName": "C"}
            for i in range(count)
        ]
        return httpx.Response(200, json=body)

    projects = make(handler).projects()
    assert pages == ["0", "1"]
    assert len(projects) == 1002


def test_tracker_tree_is_clients_over_enabled_projects() -> None:
    body = [
        {"id": 3, "clientName": "Beta", "projectName": "Ops", "projectEnabled": True},
        {"id": 1, "clientName": "Acme", "projectName": "Web", "projectEnabled": "true"},
        {"id": 2, "clientName": "Acme", "projectName": "Old", "projectEnabled": 0},
    ]
    tree = make(lambda r: httpx.Response(200, json=body)).trackers()
    assert [t.display_path for t in tree] == ["Acme", "Acme / Web", "Beta", "Beta / Ops"]
    assert not tree.find("Acme").trackable
    assert tree.find("acme/web").id == 1


def test_wrong_key_is_an_authentication_error() -> None:
    body = {"errors": [{"title": "Unauthorized", "status": 401, "code": "unauthorized"}]}
    client = make(lambda r: httpx.Response(401, json=body))
    with pytest.raises(AuthenticationFailed, match="API key and secret"):
        client.project_timer()


def test_validation_detail_reaches_the_person() -> None:
    body = {
        "errors": [
            {
                "title": "Invalid",
                "status": 422,
                "code": "invalid",
                "detail": "The break must be shorter than the entry.",
            }
        ]
    }
    client = make(lambda r: httpx.Response(422, json=body))
    with pytest.raises(ValidationFailed, match="break must be shorter"):
        client.add_attendance(dt.datetime(2026, 1, 1, 9), dt.datetime(2026, 1, 1, 10))


def test_conflict_is_a_refusal_with_the_servers_words() -> None:
    body = {"errors": [{"title": "Conflict", "status": 409, "detail": "A timer is running."}]}
    client = make(lambda r: httpx.Response(409, json=body))
    with pytest.raises(Refused, match="A timer is running"):
        client.pause()


def test_reads_are_retried_but_writes_are_not() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(503, headers={"Retry-After": "1"})

    sleeps: list[float] = []
    client = make(handler, sleeps)
    with pytest.raises(ServerUnavailable):
        client.attendance_timer()
    assert calls == ["GET", "GET", "GET"] and sleeps == [1.0, 1.0]
    calls.clear()
    with pytest.raises(ServerUnavailable):
        client.delete_attendance(4)
    assert calls == ["DELETE"]


def test_timeout_is_server_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("slow", request=request)

    with pytest.raises(ServerUnavailable, match="too long"):
        make(handler).clock_in()


@pytest.mark.parametrize("content", [b"<html>oops</html>", b'{"playing": "maybe"}'])
def test_garbage_is_a_protocol_error(content: bytes) -> None:
    client = make(lambda r: httpx.Response(200, content=content))
    with pytest.raises(ProtocolError):
        client.project_timer()


def test_edit_sends_only_the_changed_fields() -> None:
    bodies: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(
            200,
            json={
                "id": 4,
                "user": "ivan",
                "from": "2026-11-23T08:00:00.000Z",
                "to": "2026-11-23T17:00:00.000Z",
                "breakMinutes": 45,
                "workedMinutes": 495,
            },
        )

    entry = make(handler).edit_attendance(4, break_minutes=45)
    assert bodies == [{"breakMinutes": 45}]
    assert entry.worked_minutes == 495


def test_stop_with_a_description_is_refused_rather_than_lost() -> None:
    client = make(lambda r: httpx.Response(200, json={}))
    with pytest.raises(Refused, match="no description"):
        client.stop("wrote the report")


def test_exported_members() -> None:
    import tracktray.accounts.timetrack
    import tracktray.api
    import tracktray.api.timetrack

    assert tracktray.api.TimeTrackClient is TimeTrackClient
    assert tracktray.api.timetrack.__all__ == [
        "Project",
        "ProjectEntry",
        "TimeTrackClient",
        "WorkDay",
    ]
    assert tracktray.accounts.timetrack.__all__ == [
        "AttendanceBackend", "PausableBackend", "attendance_of", "join_key_secret",
        "open_timetrack", "pausable", "split_key_secret",
    ]  # fmt: skip


def test_status_from_a_paused_timer_and_a_running_clock() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v2/ext/")
        if path == "timers/project_timer":  # started 08:00 Brussels, 90 min worked, paused
            return httpx.Response(200, json={
                "startedAt": "2026-11-23T08:00:00.000Z", "workedSeconds": "5400",
                "breakSeconds": 3600, "playing": False, "paused": True, "stopped": False,
                "clientName": "Acme", "projectName": "Web",
            })  # fmt: skip
        if path == "attendance_timer":
            return httpx.Response(200, json={
                "startedAt": "2026-11-23T07:30:00.000Z", "workedSeconds": 10800,
                "playing": True, "paused": False, "stopped": False,
            })  # fmt: skip
        if path == "projects":
            return httpx.Response(
                200, json=[{"ID": "9", "clientName": "Acme", "projectName": "Web"}]
            )
        if path == "project_time_entries":
            return httpx.Response(200, json=[{
                "id": 1, "user": "ivan", "clientName": "Acme", "projectName": "Web",
                "from": "2026-11-23T07:00:00.000Z", "to": "2026-11-23T07:45:00.000Z",
                "workedMinutes": 45,
            }])  # fmt: skip
        return httpx.Response(200, json=[{"username": "ivan", "workDate": "2026-11-23",
                                          "workedSeconds": 600}])  # fmt: skip

    status = make(handler).status()
    running = status.running
    assert running is not None and running.paused
    assert (running.tracker.id, running.tracker.name) == (9, "Acme / Web")
    assert running.elapsed_s(status.fetched_at) == 5400
    assert running.tracker_total_s == 45 * 60 + 5400
    assert status.daytotal_s == 45 * 60 + 5400
    later = status.fetched_at + dt.timedelta(minutes=10)
    assert status.daytotal_at(later) == status.daytotal_s  # paused: nothing grows
    assert status.attendance is not None
    assert status.attendance_day_at(later) == 600 + 10800 + 600
