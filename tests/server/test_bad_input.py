"""Bad input gets a sentence or an HTTP error, never a 500, never a half-written block."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.https_server import TrackMyPeopleServer
from tests.support.org import TestUser


@pytest.fixture
def api(trackmypeople_server: TrackMyPeopleServer, server_user: TestUser) -> Iterator[httpx.Client]:
    with trackmypeople_server.client(server_user) as client:
        yield client


def refused(api: httpx.Client, function: str, **data: Any) -> str:
    response = api.post(f"{function}.json", data=data)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["result"] == 0, body
    error = body["error"]
    assert isinstance(error, str) and error.endswith("."), error
    return error


@pytest.mark.parametrize(
    ("function", "data", "fragment"),
    [
        ("add", {"start": "yesterday 9am"}, "is not a date and time"),
        ("add", {"start": "2026-02-30 09:00", "stop": "2026-02-30 10:00"}, "not a real date"),
        ("add", {"stop": "2026-02-03 10:00"}, "start is required"),
        (
            "add",
            {"start": "2026-02-03 10:00", "stop": "2026-02-03 09:00"},
            "start must be before the stop",
        ),
        (
            "add",
            {"start": "2026-02-03 09:00", "stop": "2026-02-03 10:00", "tracker_id": "98765"},
            "no tracker 98765",
        ),
        (
            "add",
            {"start": "2026-02-03 09:00", "stop": "2026-02-03 10:00", "tracker_id": "web"},
            "not a number",
        ),
        ("add", {"start": "2099-02-03 09:00"}, "in the future"),
        ("add", {"start": "99999999999999999999"}, "not a date and time"),
        ("addfree", {"hours": "-3"}, "not a number of hours"),
        ("addfree", {"hours": "0"}, "more than 0 and at most 24"),
        ("addfree", {"hours": "240"}, "more than 0 and at most 24"),
        ("addfree", {"hours": "1e9"}, "not a number of hours"),
        ("addfree", {}, "hours are required"),
        ("addfree", {"hours": "8", "date": "03/02/2026"}, "not a date"),
        ("start", {"tracker_id": "-1"}, "not a number"),
        ("start", {"tracker_id": "123456789012345"}, "not a number"),
        ("switch", {"tracker_id": "0"}, "no tracker 0"),
        ("report", {"free": "maybe"}, "must be 1 or 0"),
        ("report", {"timezone": "Moon/Base"}, "not a known time zone"),
        ("report", {"start": "2026-13-01 00:00"}, "not a real date"),
    ],
)
def test_validation_errors_are_sentences_and_write_nothing(
    api: httpx.Client, function: str, data: dict[str, str], fragment: str
) -> None:
    assert fragment in refused(api, function, **data)
    everything = api.post(
        "report.json",
        data={"start": "2000-01-01 00:00", "stop": "2100-01-01 00:00", "include_open": "1"},
    )
    assert everything.json() == {"result": 1}


def test_an_unknown_function_is_404_and_a_wrong_method_405(api: httpx.Client) -> None:
    response = api.post("teleport.json")
    assert response.status_code == 404 and "Unknown function “teleport”" in response.json()["error"]
    assert api.get("status.yaml").status_code == 404
    assert api.post("").status_code == 404
    for method in ("PUT", "DELETE", "PATCH"):
        response = api.request(method, "status.json")
        assert response.status_code == 405
        assert "GET" in response.headers["allow"] and "POST" in response.headers["allow"]


def test_malformed_paths(api: httpx.Client) -> None:
    assert api.get("report.json/free").status_code == 400  # a parameter without value
    assert api.get("report/free/1").status_code == 400  # parameters need the suffix
    assert api.get("add.json/description/%FF%FE").status_code == 400  # not UTF-8


def test_bodies_that_are_not_utf8_or_too_large(api: httpx.Client) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    assert api.post("stop.json", content=b"description=%FF%FE", headers=form).status_code == 400
    assert api.post("stop.json", content=b"description=\xff\xfe", headers=form).status_code == 400
    huge = b"description=" + b"x" * (1024 * 1024)
    assert api.post("stop.json", content=huge, headers=form).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit still holds
        for _ in range(100):
            yield b"x" * 4096

    assert api.post("stop.json", content=chunks(), headers=form).status_code == 413
    many = "&".join(f"p{i}=1" for i in range(500))
    assert api.post("status.json", content=many.encode(), headers=form).status_code == 413
    bad_json = api.post(
        "status.json", content=b"[1,2]", headers={"content-type": "application/json"}
    )
    assert bad_json.status_code == 400
    # the connection and the server are fine afterwards
    assert api.post("status.json").json()["result"] == 1


def test_each_request_is_logged_without_passwords(
    api: httpx.Client, server_user: TestUser, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="tracktray.server"):
        api.post("start.json", data={"tracker_id": server_user.trackers["Acme"]})
        api.get("nothing.json")
    lines = [r.getMessage() for r in caplog.records if r.name == "tracktray.server"]
    assert any(line.startswith("POST start 200 ") and line.endswith("ms") for line in lines), lines
    assert any(line.startswith("GET /api/nothing.json 404 ") for line in lines), lines
    assert not any(server_user.password in line for line in lines)


def test_request_lines_are_debug_output_not_written_at_the_default_level(
    api: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="tracktray.server"):
        api.post("status.json")
    assert [r.getMessage() for r in caplog.records if r.name == "tracktray.server"] == []
