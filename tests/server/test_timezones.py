"""Day totals and times over HTTPS follow each profile's zone, on DST-change days too.

This server has its own database and an injected clock (the engine's ``clock``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.clock import FakeClock
from tests.support.https_server import TrackMyPeopleServer, start_trackmypeople_server

UTC = dt.UTC


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 3, 29, 21, 50, tzinfo=UTC))


@pytest.fixture(scope="module")
def dst_server(
    tmp_path_factory: pytest.TempPathFactory, clock: FakeClock
) -> Iterator[TrackMyPeopleServer]:
    server = start_trackmypeople_server(Path(tmp_path_factory.mktemp("dst-server")), clock=clock)
    yield server
    server.stop()


def test_spring_forward_day_is_23_hours_long(
    dst_server: TrackMyPeopleServer, clock: FakeClock
) -> None:
    clock.set(dt.datetime(2026, 3, 29, 21, 50, tzinfo=UTC))  # 23:50 CEST
    user = dst_server.new_user(timezone="Europe/Brussels")
    with dst_server.client(user) as api:
        # 00:10 local was 23:10 UTC the day before; 23:00 local is 21:00 UTC
        first = api.post(
            "add.json", data={"start": "2026-03-29 00:10", "stop": "2026-03-29 00:40"}
        ).json()
        assert first["added_block"]["Total"] == 1800
        api.post("add.json", data={"start": "2026-03-29 23:00", "stop": "2026-03-29 23:30"})
        api.post("add.json", data={"start": "2026-03-28 23:30", "stop": "2026-03-28 23:50"})
        gap = api.post(
            "add.json", data={"start": "2026-03-29 02:30", "stop": "2026-03-29 02:45"}
        ).json()
        assert gap["result"] == 0 and "does not exist in Europe/Brussels" in gap["error"]
        assert api.post("daytotal.json").json()["total"] == 3600
        clock.set(dt.datetime(2026, 3, 29, 22, 0, tzinfo=UTC))  # local midnight: a new day
        assert api.post("daytotal.json").json()["total"] == 0


def test_fall_back_day_and_open_block_totals(
    dst_server: TrackMyPeopleServer, clock: FakeClock
) -> None:
    clock.set(dt.datetime(2026, 10, 24, 22, 30, tzinfo=UTC))  # 00:30 CEST on the 25th
    user = dst_server.new_user(timezone="Europe/Brussels")
    with dst_server.client(user) as api:
        api.post("start.json")
        clock.set(dt.datetime(2026, 10, 25, 22, 30, tzinfo=UTC))  # 23:30 CET: 24 h later
        status = api.post("status.json").json()
        assert status["daytotal"] == 24 * 3600  # the 25-hour day still holds it
        assert status["last_block"]["total"] == str(24 * 3600)
        report = api.post("report.json", data={"include_open": "1"}).json()
        [block] = [b for k, b in report.items() if k.startswith("block_")]
        assert block["TimeIn"] == "2026-10-25 00:30:00" and block["TimeOut"] == ""


def test_the_same_moment_in_two_zones(dst_server: TrackMyPeopleServer, clock: FakeClock) -> None:
    clock.set(dt.datetime(2026, 11, 23, 4, 0, tzinfo=UTC))  # 23:00 in New York, 13:00 in Tokyo
    ny = dst_server.new_user(timezone="America/New_York")
    tokyo = dst_server.new_user(timezone="Asia/Tokyo")
    for user in (ny, tokyo):
        with dst_server.client(user) as api:
            api.post("start.json")
    clock.set(dt.datetime(2026, 11, 23, 6, 0, tzinfo=UTC))  # New York passed midnight
    with dst_server.client(ny) as api:
        assert api.post("daytotal.json").json()["total"] == 0
        free = api.post("addfree.json", data={"hours": "8"}).json()["added_block"]
        assert free["TimeIn"] == "2026-11-23 00:00:00"  # today is already the 23rd there
    with dst_server.client(tokyo) as api:
        assert api.post("daytotal.json").json()["total"] == 2 * 3600
        report = api.post("report.json", data={"include_open": "1", "timezone": "UTC"}).json()
        [block] = [b for k, b in report.items() if k.startswith("block_")]
        assert block["TimeIn"] == "2026-11-23 04:00:00"
