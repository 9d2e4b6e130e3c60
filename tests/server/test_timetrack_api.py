"""The TimeTrack face over real HTTPS: every endpoint, alias, paging, errors and the key."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support import timetrack_fixtures
from tests.support.timetrack_fixtures import TimeTrackServer

# the plugin's fixtures, until tests/conftest.py registers tests.support.timetrack_fixtures
timetrack_server = timetrack_fixtures.timetrack_server
timetrack_http = timetrack_fixtures.timetrack_http

pytestmark = pytest.mark.usefixtures("timetrack_server")


@pytest.fixture
def user(trackmypeople_server: Any) -> str:
    return str(trackmypeople_server.new_user(timezone="Europe/Brussels").username)


def errors_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    [error] = body["errors"]
    assert set(error) == {"title", "status", "code", "detail"}
    assert error["status"] == response.status_code
    return dict(error)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-TimeTrack-Api-Key": "tracktray-test-key"},
        {"X-TimeTrack-Api-Key": "tracktray-test-key", "X-TimeTrack-Api-Secret": "wrong"},
        {"X-TimeTrack-Api-Key": "nope", "X-TimeTrack-Api-Secret": "tracktray-test-secret-1234"},
    ],
)
def test_missing_or_wrong_key_is_401_with_the_errors_body(
    timetrack_server: TimeTrackServer, headers: dict[str, str]
) -> None:
    with timetrack_server.http() as http:
        http.headers.clear()
        response = http.get("projects", headers=headers)
    assert response.status_code == 401
    assert "key or secret" in errors_of(response)["detail"]


def test_clients_and_projects_with_filters_and_paging(timetrack_http: httpx.Client) -> None:
    clients = timetrack_http.get("clients").json()
    assert {"Acme", "Internal"} <= {c["name"] for c in clients}
    assert all({"id", "name", "enabled", "color", "notes"} <= set(c) for c in clients)
    acme = timetrack_http.get("projects", params={"clientName": "acm"}).json()
    assert {p["projectName"] for p in acme} == {"Website", "Support"}
    assert all(p["clientName"] == "Acme" and p["projectEnabled"] for p in acme)
    web = timetrack_http.get("projects", params={"projectName": "WEB"}).json()
    assert [p["projectName"] for p in web] == ["Website"]
    page0 = timetrack_http.get("projects", params={"limit": 1, "page_number": 0}).json()
    page1 = timetrack_http.get("projects", params={"limit": 1, "page_number": 1}).json()
    assert len(page0) == len(page1) == 1 and page0 != page1


@pytest.mark.parametrize("prefix", ["timers/project_timer", "project_timer"])
def test_project_timer_start_pause_resume_stop(
    timetrack_http: httpx.Client, user: str, prefix: str
) -> None:
    idle = timetrack_http.get(prefix, params={"username": user, "date": "2026-11-20T09:00:00Z"})
    assert (idle.json()["playing"], idle.json()["stopped"]) == (False, True)
    started = timetrack_http.post(
        f"{prefix}/start",
        json={
            "user": user,
            "clientName": "Acme",
            "projectName": "Website",
            "taskName": "Design",
            "note": "logo",
            "date": "2026-11-20T22:00:00.000Z",
        },
    )
    assert started.status_code == 200, started.text
    assert started.json()["startedAt"] == "2026-11-20T22:00:00.000Z"
    paused = timetrack_http.post(
        f"{prefix}/pause", json={"username": user, "date": "2026-11-20T23:30:00.000Z"}
    ).json()
    assert (paused["paused"], paused["workedSeconds"]) == (True, 5400)
    during = timetrack_http.get(
        prefix, params={"username": user, "date": "2026-11-21T00:10:00.000Z"}
    ).json()
    assert (during["workedSeconds"], during["breakSeconds"]) == (5400, 2400)
    assert (during["clientName"], during["projectName"], during["taskName"]) == (
        "Acme",
        "Website",
        "Design",
    )
    timetrack_http.post(
        f"{prefix}/resume", json={"username": user, "date": "2026-11-21T00:30:00.000Z"}
    ).raise_for_status()
    stopped = timetrack_http.post(
        f"{prefix}/stop", json={"username": user, "date": "2026-11-21T01:00:00.000Z"}
    ).json()
    assert stopped["stopped"] and isinstance(stopped["timeEntryId"], int)
    [entry] = timetrack_http.get(
        "project_time_entries", params={"username": user, "clientName": "acme"}
    ).json()
    assert entry["id"] == stopped["timeEntryId"]
    assert (entry["workedMinutes"], entry["breakMinutes"]) == (120, 60)
    assert (entry["from"], entry["to"]) == ("2026-11-20T22:00:00.000Z", "2026-11-21T01:00:00.000Z")
    assert (entry["projectName"], entry["task"], entry["details"]) == ("Website", "Design", "logo")
    assert (
        timetrack_http.get(
            "project_time_entries", params={"username": user, "projectName": "Support"}
        ).json()
        == []
    )


def test_pause_resume_across_dst_counts_real_hours(timetrack_http: httpx.Client, user: str) -> None:
    # Brussels: 2026-03-29 02:00 → 03:00 does not exist; 01:00 → 05:00 is 3 real hours.
    def post(action: str, date: str, **extra: str) -> httpx.Response:
        response = timetrack_http.post(
            f"timers/project_timer/{action}", json={"username": user, "date": date, **extra}
        )
        response.raise_for_status()
        return response

    post("start", "2026-03-29T01:00:00.000Z", clientName="Internal", projectName="Holidays")
    post("pause", "2026-03-29T01:30:00.000Z")
    post("resume", "2026-03-29T03:15:00.000Z")  # 01:30 → 03:15 is a 45-minute break
    post("stop", "2026-03-29T05:00:00.000Z")
    [entry] = timetrack_http.get("project_time_entries", params={"username": user}).json()
    assert (entry["workedMinutes"], entry["breakMinutes"]) == (135, 45)


def test_timer_refusals_use_the_errors_body(timetrack_http: httpx.Client, user: str) -> None:
    body = {"username": user, "date": "2026-11-23T09:00:00.000Z"}
    response = timetrack_http.post("timers/project_timer/pause", json=body)
    assert response.status_code == 409 and "not running" in errors_of(response)["detail"]
    missing = timetrack_http.post("timers/project_timer/start", json=body)
    assert missing.status_code == 400 and "clientName" in errors_of(missing)["detail"]
    nodate = timetrack_http.post("timers/project_timer/stop", json={"username": user})
    assert nodate.status_code == 400 and "date" in errors_of(nodate)["detail"]
    baddate = timetrack_http.post(
        "attendance_timer/start", json={"username": user, "date": "tomorrow"}
    )
    assert baddate.status_code == 400 and "tomorrow" in errors_of(baddate)["detail"]
    nobody = timetrack_http.post("attendance_timer/start", json={**body, "username": "nobody"})
    assert nobody.status_code == 400 and "no user" in errors_of(nobody)["detail"]
    garbage = timetrack_http.post(
        "attendance_timer/start", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert garbage.status_code == 400 and "JSON" in errors_of(garbage)["detail"]
    huge = timetrack_http.post("attendances", json={"username": user, "notes": "x" * 70_000})
    assert huge.status_code == 413 and errors_of(huge)["code"] == "too_large"
    unknown = timetrack_http.get("no_such_thing")
    assert unknown.status_code == 404 and errors_of(unknown)["code"] == "not_found"


def test_attendance_timer_writes_a_clock_entry(timetrack_http: httpx.Client, user: str) -> None:
    timetrack_http.post(
        "attendance_timer/start", json={"username": user, "date": "2026-11-23T08:00:00.000Z"}
    ).raise_for_status()
    running = timetrack_http.get(
        "attendance_timer", params={"user": user, "date": "2026-11-23T09:30:00.000Z"}
    ).json()
    assert running["playing"] and running["workedSeconds"] == 5400
    assert "clientName" not in running
    again = timetrack_http.post(
        "attendance_timer/start", json={"username": user, "date": "2026-11-23T08:05:00.000Z"}
    )
    assert again.status_code == 409
    stopped = timetrack_http.post(
        "attendance_timer/stop", json={"username": user, "date": "2026-11-23T16:30:00.000Z"}
    ).json()
    assert stopped["stopped"]
    entry = stopped["attendance"]
    assert (entry["manual"], entry["workedMinutes"], entry["user"]) == (False, 510, user)
    [day] = timetrack_http.get(
        "work_reports",
        params={"username": user, "from": "2026-11-23T00:00:00Z", "to": "2026-11-23T23:59:59Z"},
    ).json()
    assert day == {
        "username": user,
        "workDate": "2026-11-23",
        "workedSeconds": 510 * 60,
        "breakSeconds": 0,
        "targetSeconds": 8 * 3600,
    }


def test_attendance_crud_with_the_vendors_aliases(timetrack_http: httpx.Client, user: str) -> None:
    created = timetrack_http.post(
        "attendances",
        json={
            "username": user,
            "to": "2020-10-17T14:00:00.000Z",
            "minutesBreak": 15,
            "details": "Das ist ein Test",
            "from": "2020-10-17T10:00:00.000Z",
            "latitudeStart": "50.85",
            "longitudeStart": 4.35,
        },
    )
    assert created.status_code == 201, created.text
    entry = created.json()
    assert (entry["notes"], entry["breakMinutes"], entry["workedMinutes"]) == (
        "Das ist ein Test",
        15,
        225,
    )
    assert (entry["manual"], entry["latitudeStart"], entry["longitudeStart"]) == (True, 50.85, 4.35)
    entry_id = entry["id"]
    assert timetrack_http.get(f"attendances/{entry_id}").json() == entry
    changed = timetrack_http.put(
        f"attendances/{entry_id}",
        json={
            "notes": "Das ist ein Test Notiz",
            "to": "2020-10-17T23:00:00.000Z",
            "minutesBreak": "0",
        },
    ).json()
    assert (changed["notes"], changed["breakMinutes"], changed["workedMinutes"]) == (
        "Das ist ein Test Notiz",
        0,
        13 * 60,
    )
    listed = timetrack_http.get(
        "attendances",
        params={"user": user, "from": "2020-10-01T00:00:00Z", "to": "2020-10-31T00:00:00Z"},
    ).json()
    assert [e["id"] for e in listed] == [entry_id]
    rename = timetrack_http.put(f"attendances/{entry_id}", json={"username": "someone"})
    assert rename.status_code == 400
    assert timetrack_http.delete(f"attendances/{entry_id}").status_code == 204
    gone = timetrack_http.get(f"attendances/{entry_id}")
    assert gone.status_code == 404 and str(entry_id) in errors_of(gone)["detail"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"from": "2026-11-23T10:00:00Z", "to": "2026-11-23T09:00:00Z"}, "before its end"),
        (
            {"from": "2026-11-23T10:00:00Z", "to": "2026-11-23T11:00:00Z", "breakMinutes": 60},
            "shorter",
        ),
        (
            {"from": "2026-11-23T10:00:00Z", "to": "2026-11-23T11:00:00Z", "breakMinutes": "-5"},
            "negative",
        ),
        (
            {"from": "2026-11-23T10:00:00Z", "to": "2026-11-23T11:00:00Z", "breakMinutes": "x"},
            "whole number",
        ),
        ({"from": "2026-11-23T10:00:00Z"}, "“to” is required"),
    ],
)
def test_attendance_validation(
    timetrack_http: httpx.Client, user: str, body: dict[str, Any], words: str
) -> None:
    response = timetrack_http.post("attendances", json={"username": user, **body})
    assert response.status_code == 400
    assert words in errors_of(response)["detail"]


def test_attendance_paging(timetrack_http: httpx.Client, user: str) -> None:
    for day in (2, 3, 4):
        timetrack_http.post(
            "attendances",
            json={
                "username": user,
                "from": f"2026-02-0{day}T09:00:00Z",
                "to": f"2026-02-0{day}T17:00:00Z",
            },
        ).raise_for_status()
    first = timetrack_http.get("attendances", params={"username": user, "limit": 2}).json()
    second = timetrack_http.get(
        "attendances", params={"username": user, "limit": 2, "page_number": 1}
    ).json()
    assert [e["from"][:10] for e in first + second] == ["2026-02-02", "2026-02-03", "2026-02-04"]
    too_big = timetrack_http.get("attendances", params={"username": user, "limit": 1001})
    assert too_big.status_code == 400 and "1000" in errors_of(too_big)["detail"]
