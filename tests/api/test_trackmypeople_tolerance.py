"""Every variant the protocol marks "client must tolerate", through httpx.MockTransport."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
import pytest

from tracktray.api._trackmypeople_decode import split_arrows
from tracktray.domain import ReportQuery

from ._mock import BASE, NOW, answers, client, form_of, function_of

TRACKER = {"Id": "12", "Name": "Design", "Abbreviation": "DES", "Trackable": "1"}


@pytest.mark.parametrize(
    ("label", "depth", "name"),
    [
        ("Acme", 0, "Acme"),
        ("→ Website", 1, "Website"),
        ("→→ Design", 2, "Design"),
        ("→→Design", 2, "Design"),
        ("→ → Design", 2, "Design"),
        ("->-> Design", 2, "Design"),
        ("-> -> Design", 2, "Design"),
        (">> Design", 2, "Design"),
        ("»» Design", 2, "Design"),
        ("-- Design", 2, "Design"),
        ("- - Design", 2, "Design"),
        ("→ A -> B", 1, "A -> B"),
        ("→ In » Out", 1, "In » Out"),
        ("Clients/Acme → EU", 0, "Clients/Acme → EU"),
        ("→→", 0, "→→"),
    ],
)
def test_arrow_variants(label: str, depth: int, name: str) -> None:
    assert split_arrows(label) == (depth, name)


def test_tracker_tree_from_the_arrow_list() -> None:
    body = {
        "result": 1,
        "1": "Acme",
        "2": "→ Website",
        "3": "->-> Back -> End",
        "4": "→→ Design / UI",
        "5": "Internal",
        "6": "» Holidays",
        "note": "extra keys are ignored",
    }
    tree = client(answers({"trackers": body})).trackers()
    assert [t.display_path for t in tree] == [
        "Acme",
        "Acme / Website",
        "Acme / Website / Back -> End",
        "Acme / Website / Design / UI",
        "Internal",
        "Internal / Holidays",
    ]
    design = tree.get(4)
    assert design is not None
    assert design.depth == 2
    assert design.parent_id == 2


def test_empty_tracker_list_from_php() -> None:
    handler = answers({"trackers": httpx.Response(200, content=b"[]")})
    assert len(client(handler).trackers()) == 0


@pytest.mark.parametrize("nothing", [None, False, "", [], {}])
def test_nothing_open_spellings(nothing: object) -> None:
    body = {"result": 1, "daytotal": "1:30", "last_block": nothing, "default_tracker": TRACKER}
    status = client(answers({"status": body})).status()
    assert status.running is None
    assert status.daytotal_s == 5400
    assert status.default_tracker is not None
    assert status.default_tracker.name == "Design"


def test_status_without_last_block_key() -> None:
    status = client(answers({"status": {"result": "1", "daytotal": "0"}})).status()
    assert status.running is None
    assert status.default_tracker is None


@pytest.mark.parametrize("trackable", ["1", 1, True, "true"])
def test_running_block_with_strings_for_numbers(trackable: object) -> None:
    body = {
        "result": 1,
        "error": "ignored because result is 1",
        "daytotal": "3720",
        "last_block": {
            "started_at": "1795424400",
            "total": "0:20:00",
            "tracker": {**TRACKER, "Trackable": trackable},
            "unexpected": [1, 2, 3],
        },
        "default_tracker": TRACKER,
    }
    status = client(answers({"status": body})).status()
    assert status.running is not None
    assert status.running.tracker.id == 12
    assert status.running.tracker.trackable is True
    assert status.running.started_at == dt.datetime.fromtimestamp(1795424400, dt.UTC)
    assert status.running.tracker_total_s == 1200
    assert status.daytotal_s == 3720
    assert status.fetched_at == NOW


def test_start_keeps_the_default_tracker_seen_by_status() -> None:
    running = {"started_at": 1795424400, "total": 0, "tracker": TRACKER}
    handler = answers(
        {
            "status": {"result": 1, "daytotal": 0, "default_tracker": TRACKER},
            "start": {"result": 1, "daytotal": 10, "last_block": running},
        }
    )
    trackmypeople = client(handler)
    trackmypeople.status()
    started = trackmypeople.start(12)
    assert started.running is not None
    assert started.default_tracker is not None
    assert started.default_tracker.id == 12


def test_requests_are_form_posts_with_basic_auth() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"result": 1})

    client(handle).stop("wrote the spec")
    (request,) = seen
    assert request.method == "POST"
    assert str(request.url) == BASE + "stop.json"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["Authorization"].startswith("Basic ")
    assert form_of(request) == {"description": "wrote the spec"}


def test_add_sends_unix_timestamps_and_reads_the_block() -> None:
    seen: list[dict[str, str]] = []
    block = {
        "Id": "7",
        "ProfileId": "3",
        "TrackerId": "12",
        "Description": "review",
        "TimeIn": "2026-11-23 08:00:00",
        "TimeOut": "2026-11-23 09:30:00",
        "Total": "1:30",
        "Free": "0",
    }

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(form_of(request))
        return httpx.Response(200, json={"result": 1, "added_block": block})

    start = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    added = client(handle).add(start, start + dt.timedelta(minutes=90), 12, "review")
    assert seen == [
        {
            "start": str(int(start.timestamp())),
            "stop": str(int(start.timestamp()) + 5400),
            "tracker_id": "12",
            "description": "review",
        }
    ]
    assert added.total_s == 5400
    assert added.time_out == dt.datetime(2026, 11, 23, 9, 30)
    assert added.free is False


def test_addfree_sends_decimal_hours_and_date() -> None:
    seen: list[dict[str, str]] = []
    block = {
        "Id": 8,
        "ProfileId": 3,
        "TrackerId": None,
        "Description": "",
        "TimeIn": "2026-11-20 00:00:00",
        "TimeOut": "2026-11-20 07:30:00",
        "Total": 27000,
        "Free": True,
    }

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(form_of(request))
        return httpx.Response(200, json={"result": 1, "added_block": block})

    added = client(handle).add_free(Decimal("7.50"), dt.date(2026, 11, 20))
    assert seen == [{"hours": "7.5", "date": "2026-11-20"}]
    assert added.free is True
    assert added.tracker_id is None


def test_report_query_parameters_and_blocks_in_time_order() -> None:
    seen: list[dict[str, str]] = []
    body = {
        "block_9": {
            "Id": 9,
            "ProfileId": 3,
            "TrackerId": 12,
            "Description": "later",
            "TimeIn": "2026-11-23 10:00:00",
            "TimeOut": "",
            "Total": "600",
            "Free": False,
        },
        "block_4": {
            "Id": 4,
            "ProfileId": 3,
            "TrackerId": 12,
            "Description": None,
            "TimeIn": "2026-11-23 08:00:00",
            "TimeOut": "2026-11-23 09:00:00",
            "Total": 3600,
            "Free": 0,
        },
    }

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(form_of(request))
        return httpx.Response(200, json=body)

    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    query = ReportQuery(profile_id=3, tracker_id=12, start=start, free=False, include_open=True)
    blocks = client(handle).report(query)
    assert seen == [
        {
            "profile_id": "3",
            "tracker_id": "12",
            "start": str(int(start.timestamp())),
            "free": "0",
            "include_open": "1",
        }
    ]
    assert [b.id for b in blocks] == [4, 9]
    assert blocks[1].time_out is None
    assert blocks[0].description == ""


def test_reportees() -> None:
    body = {
        "reportee_3": {
            "Id": "3",
            "Title": "",
            "Namefirst": "Alice",
            "Namefamily": "Liddell",
            "Email": "a@example.org",
            "Phone": "",
            "Gsm": "",
            "Timezone": "Europe/Brussels",
            "Culture": "en",
            "DefaultTrackerId": "12",
        }
    }
    (alice,) = client(answers({"reportees": body})).reportees()
    assert alice.display_name == "Alice Liddell"
    assert alice.default_tracker_id == 12
    assert alice.timezone == "Europe/Brussels"


@pytest.mark.parametrize(
    ("body", "up_to_date", "url"),
    [
        ({"result": 1}, True, None),
        ({"result": "0", "url": "https://dl.example/tracktray-2.0"}, False, None),
    ],
)
def test_check_version(body: dict[str, object], up_to_date: bool, url: str | None) -> None:
    check = client(answers({"checkVersion": body})).check_version("Linux_Qt-0.1.0")
    assert check.up_to_date is up_to_date
    assert check.url == body.get("url")


def test_every_function_name_on_the_wire() -> None:
    called: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        called.append(function_of(request))
        return httpx.Response(200, json={"result": 1, "total": 5})

    trackmypeople = client(handle)
    trackmypeople.status()
    trackmypeople.trackers()
    assert trackmypeople.day_total() == 5
    trackmypeople.reportees()
    trackmypeople.report(ReportQuery())
    trackmypeople.check_version("Linux_Qt-0.1.0")
    trackmypeople.start()
    trackmypeople.switch()
    trackmypeople.stop()
    assert called == [
        "status",
        "trackers",
        "daytotal",
        "reportees",
        "report",
        "checkVersion",
        "start",
        "switch",
        "stop",
    ]
