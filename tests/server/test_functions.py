"""Every TrackMyPeople function over real HTTPS on loopback, as a widget calls them:
``POST <function>.json`` with a form body and HTTP Basic auth."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.https_server import TrackMyPeopleServer
from tests.support.org import TestUser, midday_zone


@pytest.fixture
def api(trackmypeople_server: TrackMyPeopleServer, server_user: TestUser) -> Iterator[httpx.Client]:
    with trackmypeople_server.client(server_user) as client:
        yield client


def post(api: httpx.Client, function: str, **data: Any) -> dict[str, Any]:
    response = api.post(f"{function}.json", data=data)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, dict)
    return body


def test_trackers_in_tree_order_with_arrows(api: httpx.Client, server_user: TestUser) -> None:
    body = post(api, "trackers")
    ids = server_user.trackers
    assert body.pop("result") == 1
    assert list(body.items()) == [
        (str(ids["Acme"]), "Acme"),
        (str(ids["Acme/Support"]), "→ Support"),
        (str(ids["Acme/Website"]), "→ Website"),
        (str(ids["Acme/Website/Backend"]), "→→ Backend"),
        (str(ids["Acme/Website/Design"]), "→→ Design"),
        (str(ids["Internal"]), "Internal"),
        (str(ids["Internal/Holidays"]), "→ Holidays"),
    ]


def test_status_start_switch_stop_round(api: httpx.Client, server_user: TestUser) -> None:
    ids = server_user.trackers
    status = post(api, "status")
    assert status == {
        "result": 1,
        "daytotal": 0,
        "default_tracker": {
            "Id": ids["Acme/Website"],
            "Name": "Website",
            "Abbreviation": "WEB",
            "Trackable": 1,
        },
    }
    before = int(dt.datetime.now(dt.UTC).timestamp())
    started = post(api, "start", tracker_id=ids["Acme/Support"], version="Linux_Qt-0.1.0")
    assert started["result"] == 1 and "default_tracker" not in started
    block = started["last_block"]
    assert block["tracker"] == {
        "Id": ids["Acme/Support"],
        "Name": "Support",
        "Abbreviation": "SUP",
        "Trackable": 1,
    }
    assert abs(int(block["started_at"]) - before) <= 2 and block["total"] == "0"
    assert post(api, "status")["last_block"]["tracker"]["Id"] == ids["Acme/Support"]

    again = post(api, "start")
    assert again["result"] == 0 and "already running on “Acme/Support”" in again["error"]

    switched = post(api, "switch", description="ticket 12")  # default tracker
    assert switched["last_block"]["tracker"]["Id"] == ids["Acme/Website"]
    assert post(api, "stop", description="homepage") == {"result": 1}
    assert "last_block" not in post(api, "status")
    nothing = post(api, "stop")
    assert nothing["result"] == 0 and "nothing to stop" in nothing["error"]
    not_running = post(api, "switch", tracker_id=ids["Acme"])
    assert not_running["result"] == 0 and "nothing to switch" in not_running["error"]

    report = post(api, "report", tracker_id=ids["Acme"])
    descriptions = [b["Description"] for k, b in report.items() if k.startswith("block_")]
    assert descriptions == ["ticket 12", "homepage"]


def test_daytotal_and_its_alias(trackmypeople_server: TrackMyPeopleServer) -> None:
    user = trackmypeople_server.new_user(timezone=midday_zone())
    now = int(dt.datetime.now(dt.UTC).timestamp())
    with trackmypeople_server.client(user) as api:
        post(api, "add", start=str(now - 600), stop=str(now - 60))
        assert post(api, "daytotal") == {"result": 1, "total": 540}
        assert api.post("TOTAL.json").json() == {"result": 1, "total": 540}


def test_add_block_and_overlap_url(
    api: httpx.Client, trackmypeople_server: TrackMyPeopleServer, server_user: TestUser
) -> None:
    added = post(
        api,
        "add",
        start="2026-01-05 09:00",
        stop="2026-01-05 10:30:15",
        tracker_id=server_user.trackers["Acme/Support"],
        description="call",
    )
    assert added["result"] == 1
    block = added["added_block"]
    assert block == {
        "Id": block["Id"],
        "ProfileId": server_user.profile_id,
        "TrackerId": server_user.trackers["Acme/Support"],
        "Description": "call",
        "TimeIn": "2026-01-05 09:00:00",
        "TimeOut": "2026-01-05 10:30:15",
        "Total": 5415,
        "Free": False,
    }
    overlap = post(api, "add", start="2026-01-05 10:00", stop="2026-01-05 11:00")
    assert overlap == {
        "result": 0,
        "error": "overlap",
        "url": f"{trackmypeople_server.origin}/blocks/{block['Id']}/edit",
    }


def test_addfree_accepts_a_decimal_comma(api: httpx.Client, server_user: TestUser) -> None:
    body = post(
        api,
        "addfree",
        hours="7,5",
        date="2026-02-02",
        tracker_id=server_user.trackers["Internal/Holidays"],
    )
    block = body["added_block"]
    assert body["result"] == 1 and block["Free"] is True and block["Total"] == 27000
    assert (block["TimeIn"], block["TimeOut"]) == ("2026-02-02 00:00:00", "2026-02-02 07:30:00")
    via_alias = api.post("AddFreeBlock.json", data={"hours": "1.25", "date": "2026-02-03"}).json()
    assert via_alias["added_block"]["Total"] == 4500


def test_report_filters(api: httpx.Client, server_user: TestUser) -> None:
    worked = post(api, "add", start="2026-03-02 09:00", stop="2026-03-02 10:00")["added_block"]
    free = post(api, "addfree", hours="8", date="2026-03-03")["added_block"]
    post(api, "add", start="2026-04-01 09:00", stop="2026-04-01 10:00")
    span = {"start": "2026-03-01 00:00", "stop": "2026-04-01 00:00"}
    assert _ids(post(api, "report", **span)) == [worked["Id"], free["Id"]]
    assert _ids(post(api, "report", free=1, **span)) == [free["Id"]]
    assert _ids(post(api, "report", free=0, **span)) == [worked["Id"]]
    in_utc = post(api, "reporting", timezone="UTC", **span)  # alias; TimeIn in UTC now
    assert in_utc[f"block_{worked['Id']}"]["TimeIn"] == "2026-03-02 08:00:00"
    post(api, "start")
    with_open = post(api, "report", include_open=1)
    open_blocks = [b for k, b in with_open.items() if k.startswith("block_") and b["TimeOut"] == ""]
    assert len(open_blocks) == 1 and open_blocks[0]["Total"] >= 0
    assert all(b["TimeOut"] for k, b in post(api, "report").items() if k.startswith("block_"))


def test_reportees_and_reports_of_others(trackmypeople_server: TrackMyPeopleServer) -> None:
    manager = trackmypeople_server.new_user(can_see_reporting=True)
    worker = trackmypeople_server.new_user()
    with trackmypeople_server.client(worker) as w:
        block = post(w, "add", start="2026-05-04 09:00", stop="2026-05-04 09:45")["added_block"]
        assert list(post(w, "reportees")) == ["result", f"reportee_{worker.profile_id}"]
        refused = post(w, "report", profile_id=manager.profile_id)
        assert refused == {"result": 0, "error": "not allowed"}
    with trackmypeople_server.client(manager) as m:
        people = post(m, "reportees")
        me = people[f"reportee_{manager.profile_id}"]
        assert (
            me["Timezone"] == "Europe/Brussels"
            and me["DefaultTrackerId"] == manager.trackers["Acme/Website"]
        )
        assert set(me) == {
            "Id",
            "Title",
            "Namefirst",
            "Namefamily",
            "Email",
            "Phone",
            "Gsm",
            "Timezone",
            "Culture",
            "DefaultTrackerId",
        }
        assert f"reportee_{worker.profile_id}" in people
        theirs = post(
            m,
            "report",
            profile_id=worker.profile_id,
            start="2026-05-01 00:00",
            stop="2026-06-01 00:00",
        )
        assert _ids(theirs) == [block["Id"]]


def test_every_tracking_function_checks_can_track(
    trackmypeople_server: TrackMyPeopleServer,
) -> None:
    ids = trackmypeople_server.trackers
    engine = trackmypeople_server.engine
    username = f"outsider-{secrets.token_hex(4)}"
    pid = engine.create_user(username, "pw", default_tracker_id=ids["Acme/Website"])
    engine.grant_role(pid, ids["Internal"], can_track=True)
    engine.grant_role(pid, ids["Acme"], can_track=False)  # a role, but not to track
    with trackmypeople_server.client() as api:
        api.auth = (username, "pw")
        trackers = post(api, "trackers")
        assert sorted(v for k, v in trackers.items() if k != "result") == ["Internal", "→ Holidays"]
        denied = "You may not track time on “Acme/Website”."
        assert post(api, "start") == {"result": 0, "error": denied}
        assert (
            post(api, "add", start="2026-08-03 09:00", stop="2026-08-03 10:00")["error"] == denied
        )
        assert post(api, "addfree", hours="8", date="2026-08-04")["error"] == denied
        assert post(api, "start", tracker_id=ids["Internal"])["result"] == 1
        assert post(api, "switch", tracker_id=ids["Acme/Support"])["error"] == (
            "You may not track time on “Acme/Support”."
        )
        assert post(api, "status")["last_block"]["tracker"]["Name"] == "Internal"
        assert post(api, "status")["default_tracker"]["Trackable"] == 0


def test_check_version(trackmypeople_server: TrackMyPeopleServer, api: httpx.Client) -> None:
    # Haiku: a platform of its own, so the shared server keeps the releases other tests set
    trackmypeople_server.engine.set_release(
        "Haiku_Qt", "1.10.0", "https://example.org/tracktray-1.10.0"
    )
    assert post(api, "checkVersion", version="Haiku_Qt-1.10.0") == {"result": 1}
    assert post(api, "checkversion", version="Haiku_Qt-1.9.0") == {
        "result": 0,
        "url": "https://example.org/tracktray-1.10.0",
        "version": "1.10.0",  # an extra key of ours (the protocol allows them)
    }
    for bad in ("Amiga_Qt-1.0.0", "Haiku_Qt-one", ""):
        assert post(api, "checkVersion", version=bad) == {
            "result": 0,
            "error": f"invalid version passed: {bad}",
        }


def _ids(body: dict[str, Any]) -> list[int]:
    return [b["Id"] for k, b in body.items() if k.startswith("block_")]
