"""The six inputs that once answered 500, and a fuzz over both faces that must see no 5xx.

Each regression case is what a fuzzer found on the TrackMyPeople or TimeTrack face:
deeply nested JSON (before the login check), a superscript digit as an id, 20-digit ids
and page numbers, a lone surrogate in a JSON string, years 1 and 9999 with an offset,
an offset of +99:00. Text with control characters is refused too: stored, it would
break every later ``report.xml`` of that person.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote_from_bytes

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from tests.support.https_server import TrackMyPeopleServer
from tests.support.org import TestUser
from tests.support.timetrack_fixtures import TimeTrackServer
from tracktray.engine.tables import blocks

DEEP = b'{"a":' * 1000 + b"1" + b"}" * 1000


def test_deep_json_is_refused_without_valid_credentials(
    trackmypeople_server: TrackMyPeopleServer,
) -> None:
    headers = {"content-type": "application/json"}
    with trackmypeople_server.client() as api:
        anonymous = api.post("status.json", content=DEEP, headers=headers, auth=("x", "y"))
    assert anonymous.status_code == 401


def test_deep_json_is_refused_with_a_sentence(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser, timetrack_http: httpx.Client
) -> None:
    headers = {"content-type": "application/json"}
    with trackmypeople_server.client(server_user) as api:
        response = api.post("status.json", content=DEEP, headers=headers)
    assert response.status_code == 400
    assert "nested more than" in response.json()["error"]
    timetrack = timetrack_http.post("attendances", content=DEEP, headers=headers)
    assert timetrack.status_code == 400
    assert "nested more than" in timetrack.json()["errors"][0]["detail"]


@pytest.mark.parametrize("entry_id", ["²", "٣", "12345678901234567890", "99999999999"])
def test_ids_are_ascii_digits_that_fit_the_database(
    timetrack_http: httpx.Client, entry_id: str
) -> None:
    response = timetrack_http.get(f"attendances/{entry_id}")
    assert response.status_code == 400
    assert "is not an attendance id" in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize("tracker_id", ["²", "12345678901234567890", "3000000000"])
def test_tracker_ids_beyond_the_database_integer_are_refused(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser, tracker_id: str
) -> None:
    with trackmypeople_server.client(server_user) as api:
        body = api.post("start.json", data={"tracker_id": tracker_id}).json()
    assert body["result"] == 0 and "is not a number" in body["error"]


def test_a_twenty_digit_page_number_is_refused(timetrack_http: httpx.Client) -> None:
    response = timetrack_http.get("clients", params={"page_number": "1" * 20})
    assert response.status_code == 400
    assert "page_number" in response.json()["errors"][0]["detail"]


def test_a_lone_surrogate_in_json_is_refused(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser, timetrack_http: httpx.Client
) -> None:
    content = b'{"description": "a\\ud800b"}'
    headers = {"content-type": "application/json"}
    with trackmypeople_server.client(server_user) as api:
        body = api.post("stop.json", content=content, headers=headers)
    assert body.status_code == 400 and "lone surrogate" in body.json()["error"]
    response = timetrack_http.post(
        "attendance_timer/start", content=b'{"username": "\\udfff"}', headers=headers
    )
    assert response.status_code == 400
    assert "lone surrogate" in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize(
    "date",
    [
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00",
        "2026-01-01T10:00:00+99:00",
        "0001-01-01T00:00:00.000Z",
    ],
)
def test_dates_out_of_bounds_are_refused_on_the_timetrack_face(
    trackmypeople_server: TrackMyPeopleServer, timetrack_http: httpx.Client, date: str
) -> None:
    user = trackmypeople_server.new_user().username
    for method, path, data in [
        ("POST", "attendance_timer/start", {"username": user, "date": date}),
        ("GET", "attendances", None),
        ("POST", "attendances", {"username": user, "from": date, "to": date}),
    ]:
        if data is None:
            response = timetrack_http.request(method, path, params={"from": date})
        else:
            response = timetrack_http.request(method, path, json=data)
        assert response.status_code == 400, (path, response.text)
        detail = response.json()["errors"][0]["detail"]
        assert "between 1970 and 2200" in detail or "impossible time zone offset" in detail


def test_a_far_future_clock_out_is_refused(
    trackmypeople_server: TrackMyPeopleServer, timetrack_http: httpx.Client
) -> None:
    user = trackmypeople_server.new_user(timezone="UTC").username
    start = {"username": user, "date": "2026-01-05T09:00:00.000Z"}
    assert timetrack_http.post("attendance_timer/start", json=start).status_code == 200
    stop = {"username": user, "date": "2199-12-31T17:00:00.000Z"}
    response = timetrack_http.post("attendance_timer/stop", json=stop)
    assert response.status_code == 400
    assert "ahead of the server's clock" in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize("text", ["a\x00b", "a\x01b", "\x1b[31m"])
def test_control_characters_in_text_are_refused(
    trackmypeople_server: TrackMyPeopleServer,
    server_user: TestUser,
    timetrack_http: httpx.Client,
    text: str,
) -> None:
    with trackmypeople_server.client(server_user) as api:
        assert api.post("start.json").json()["result"] == 1
        body = api.post("stop.json", data={"description": text}).json()
    assert body["result"] == 0 and "control character" in body["error"]
    response = timetrack_http.post(
        "attendance_timer/start", json={"username": server_user.username, "notes": text}
    )
    assert response.status_code == 400


def test_report_xml_stays_well_formed_with_text_stored_before_the_check(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser
) -> None:
    with trackmypeople_server.client(server_user) as api:
        start = int(dt.datetime.now(dt.UTC).timestamp()) - 7200
        added = api.post("add.json", data={"start": str(start), "stop": str(start + 600)}).json()
        block_id = added["added_block"]["Id"]
        with (
            trackmypeople_server.engine.db.begin() as conn
        ):  # as an older version could have stored it
            conn.execute(
                update(blocks).where(blocks.c.id == block_id).values(description="a\x01b\x00")
            )
        response = api.post("report.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    [description] = [e.text for e in root.iter("Description")]
    assert description == "ab"


# -- the fuzz --------------------------------------------------------------------------

TMP_FUNCTIONS = ["status", "start", "switch", "stop", "add", "addfree", "report", "trackers"]
TMP_PARAMS = ["tracker_id", "description", "start", "stop", "hours", "date", "profile_id", "at"]
TT_PATHS = [
    ("GET", "attendance_timer"),
    ("POST", "attendance_timer/start"),
    ("POST", "attendance_timer/stop"),
    ("GET", "attendances"),
    ("POST", "attendances"),
    ("GET", "attendances/{id}"),
    ("PUT", "attendances/{id}"),
    ("DELETE", "attendances/{id}"),
    ("POST", "timers/project_timer/start"),
    ("POST", "timers/project_timer/pause"),
    ("GET", "clients"),
    ("GET", "project_time_entries"),
    ("GET", "work_reports"),
]
TT_FIELDS = ["username", "date", "from", "to", "notes", "breakMinutes", "page_number", "limit"]

nasty = st.sampled_from(
    [
        "²",
        "٣",
        "1" * 20,
        "0001-01-01T00:00:00+05:00",
        "9999-12-31 23:59:59",
        "2026-01-01T10:00:00+99:00",
        "\ud800",
        "a\x00b",
        "1e308",
        "-1",
        "",
        "2026-11-20 09:00",
        "2026-11-20T09:00:00.000Z",
    ]
)
scalars = st.one_of(
    nasty,
    st.text(max_size=20),
    st.integers(min_value=-(10**25), max_value=10**25),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner)
)


def _encode(data: dict[str, Any]) -> bytes:
    # json.dumps writes lone surrogates as \\ud800 escapes, as a hostile client would.
    return json.dumps(data, allow_nan=True).encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    function=st.sampled_from(TMP_FUNCTIONS),
    data=st.dictionaries(st.sampled_from(TMP_PARAMS), json_values, max_size=4),
    as_json=st.booleans(),
)
def test_fuzzed_trackmypeople_calls_never_answer_5xx(
    trackmypeople_server: TrackMyPeopleServer, function: str, data: dict[str, Any], as_json: bool
) -> None:
    user = _fuzz_user(trackmypeople_server)
    with trackmypeople_server.client(user) as api:
        if as_json:
            headers = {"content-type": "application/json"}
            response = api.post(f"{function}.json", content=_encode(data), headers=headers)
        else:
            form = {k: str(v).encode("utf-8", "surrogatepass") for k, v in data.items()}
            response = api.post(f"{function}.json", content=_form(form), headers=_FORM)
    assert response.status_code < 500, response.text


_FORM = {"content-type": "application/x-www-form-urlencoded"}


def _form(data: dict[str, bytes]) -> bytes:
    return "&".join(f"{k}={quote_from_bytes(v)}" for k, v in data.items()).encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    route=st.sampled_from(TT_PATHS),
    entry_id=st.one_of(nasty, st.integers(min_value=-5, max_value=10**22).map(str)),
    data=st.dictionaries(st.sampled_from(TT_FIELDS), json_values, max_size=5),
)
def test_fuzzed_timetrack_calls_never_answer_5xx(
    timetrack_server: TimeTrackServer,
    trackmypeople_server: TrackMyPeopleServer,
    route: tuple[str, str],
    entry_id: str,
    data: dict[str, Any],
) -> None:
    method, path = route
    raw_id = quote_from_bytes(entry_id.encode("utf-8", "surrogatepass"), safe="")
    path = path.replace("{id}", raw_id or "1")
    if "username" not in data and random.Random(len(data)).random() < 0.7:
        data["username"] = _fuzz_user(trackmypeople_server).username
    with timetrack_server.http() as http:
        if method == "GET":
            params = {k: str(v) for k, v in data.items() if "\ud800" not in str(v)}
            response = http.request(method, path, params=params)
        else:
            headers = {"content-type": "application/json"}
            response = http.request(method, path, content=_encode(data), headers=headers)
    assert response.status_code < 500, response.text


_users: dict[int, TestUser] = {}


def _fuzz_user(server: TrackMyPeopleServer) -> TestUser:
    if id(server) not in _users:
        _users[id(server)] = server.new_user(timezone="UTC")
    return _users[id(server)]
