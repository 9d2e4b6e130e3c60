"""Whatever a client sends, the server answers with a sentence or a 4xx, never a 500."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.https_server import TrackMyPeopleServer
from tests.support.org import TestUser

FUNCTIONS = [
    "trackers",
    "status",
    "start",
    "switch",
    "stop",
    "daytotal",
    "add",
    "addfree",
    "reportees",
    "report",
    "checkVersion",
    "total",
    "addBlock",
    "reporting",
    "nope",
]
PARAMS = [
    "tracker_id",
    "description",
    "start",
    "stop",
    "hours",
    "date",
    "profile_id",
    "timezone",
    "free",
    "include_open",
    "version",
    "other",
]
values = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        [
            "2026-11-20 09:00",
            "1795424400",
            "7,5",
            "24",
            "1",
            "Europe/Brussels",
            "Linux_Qt-1.0.0",
            "2026-02-30 10:00",
            "",
        ]
    ),
)
calls = st.tuples(
    st.sampled_from(FUNCTIONS),
    st.sampled_from(["json", "xml", ""]),
    st.dictionaries(st.sampled_from(PARAMS), values, max_size=5),
    st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(call=calls)
def test_random_calls_never_crash_the_server(
    trackmypeople_server: TrackMyPeopleServer, call: tuple[str, str, dict[str, str], bool]
) -> None:
    function, fmt, params, as_get = call
    user = _user(trackmypeople_server)
    with trackmypeople_server.client(user) as api:
        if as_get and fmt:
            path = "/".join(f"{quote(k, safe='')}/{quote(v, safe='')}" for k, v in params.items())
            response = api.get(f"{function}.{fmt}/{path}" if path else f"{function}.{fmt}")
        else:
            name = f"{function}.{fmt}" if fmt else function
            response = api.post(name, data=params)
        assert response.status_code in (200, 400, 404), response.text
        if function == "nope":
            assert response.status_code == 404
        if response.status_code == 200 and fmt == "json":
            body = response.json()
            assert body["result"] in (0, 1)
            if body["result"] == 0 and function != "checkVersion":
                assert body["error"]
        status = api.post(
            "report.json",
            data={"include_open": "1", "start": "1970-01-02 00:00", "stop": "2200-01-01 00:00"},
        ).json()
        open_blocks = [
            b for k, b in status.items() if k.startswith("block_") and b["TimeOut"] == ""
        ]
        assert len(open_blocks) <= 1


_users: dict[int, TestUser] = {}


def _user(server: TrackMyPeopleServer) -> TestUser:
    """One user for all examples (a fixture would be reset between them otherwise)."""
    if id(server) not in _users:
        _users[id(server)] = server.new_user()
    return _users[id(server)]
