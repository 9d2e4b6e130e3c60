"""The TimeTrack client as a Backend, over real HTTPS against the engine: a working day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.support import timetrack_fixtures
from tests.support.clock import FakeClock
from tests.support.timetrack_fixtures import TimeTrackServer
from tracktray.api import AuthenticationFailed, Refused, ValidationFailed
from tracktray.api.timetrack import TimeTrackClient
from tracktray.domain import ReportQuery

# the plugin's fixture, until tests/conftest.py registers tests.support.timetrack_fixtures
timetrack_server = timetrack_fixtures.timetrack_server

MONDAY_8H = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)  # 08:00 in Brussels


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_8H)


@pytest.fixture
def client(timetrack_server: TimeTrackServer, trackmypeople_server: Any, clock: FakeClock) -> Any:
    user = trackmypeople_server.new_user(timezone="Europe/Brussels")
    backend = timetrack_server.client(user.username, clock=clock)
    yield backend
    backend.close()


def test_a_whole_working_day(client: TimeTrackClient, clock: FakeClock) -> None:
    status = client.clock_in()
    assert status.attendance is not None and status.running is None
    assert status.attendance.started_at == MONDAY_8H

    website = client.trackers().find("Acme/Website")
    clock.advance(minutes=5)
    status = client.start(website.id)
    assert status.running is not None
    assert (status.running.tracker.id, status.running.tracker.name) == (
        website.id,
        "Acme / Website",
    )

    clock.advance(hours=3, minutes=55)  # 12:00: lunch
    status = client.pause()
    assert status.running is not None and status.running.paused
    assert status.daytotal_s == (3 * 60 + 55) * 60
    clock.advance(minutes=45)
    status = client.resume()
    assert status.running is not None and not status.running.paused
    assert status.running.break_s == 45 * 60
    clock.advance(hours=4, minutes=15)  # 17:00
    now = clock()
    status = client.status()
    assert status.running is not None
    assert status.running.elapsed_s(now) == (8 * 60 + 10) * 60
    assert status.attendance_day_at(now) == 9 * 3600

    client.stop()
    clock.advance(minutes=5)
    status = client.clock_out()
    assert status.running is None and status.attendance is None
    assert status.daytotal_s == (8 * 60 + 10) * 60
    assert status.attendance_day_s == (9 * 60 + 5) * 60
    assert client.day_total() == (8 * 60 + 10) * 60

    day = dt.datetime(2026, 11, 23)
    [entry] = client.attendances(day, day + dt.timedelta(days=1))
    assert (entry.manual, entry.start, entry.worked_minutes) == (False, day.replace(hour=8), 545)
    fixed = client.edit_attendance(entry.id, break_minutes=30, notes="lunch")
    assert (fixed.worked_minutes, fixed.notes) == (515, "lunch")
    [block] = client.report(ReportQuery())
    assert (block.tracker_id, block.total_s, block.break_s) == (website.id, 490 * 60, 45 * 60)


def test_pause_and_resume_across_midnight_and_dst(
    client: TimeTrackClient, clock: FakeClock
) -> None:
    # Saturday 2026-10-24 23:00 Brussels (+02:00) to Sunday 04:00 (+01:00): 6 real hours.
    clock.set(dt.datetime(2026, 10, 24, 21, 0, tzinfo=dt.UTC))
    support = client.trackers().find("Acme/Support")
    client.start(support.id)
    clock.advance(hours=1, minutes=30)  # 00:30, past midnight
    client.pause()
    clock.advance(hours=2)  # the repeated hour falls inside the break
    status = client.resume()
    assert status.running is not None and status.running.break_s == 2 * 3600
    clock.advance(hours=2, minutes=30)
    client.stop()
    [block] = client.report(
        ReportQuery(
            start=dt.datetime(2026, 10, 24, tzinfo=dt.UTC),
            stop=dt.datetime(2026, 10, 26, tzinfo=dt.UTC),
        )
    )
    assert (block.total_s, block.break_s) == (4 * 3600, 2 * 3600)


def test_switch_is_stop_then_start(client: TimeTrackClient) -> None:
    tree = client.trackers()
    client.start(tree.find("Acme/Website").id)
    status = client.switch(tree.find("Internal/Holidays").id)
    assert status.running is not None and status.running.tracker.name == "Internal / Holidays"
    with pytest.raises(Refused, match="already running"):
        client.start(tree.find("Acme/Support").id)
    with pytest.raises(Refused, match="client"):
        client.start(tree.find("Acme").id)


def test_server_validation_reaches_the_person(client: TimeTrackClient) -> None:
    start = dt.datetime(2026, 11, 20, 9)
    with pytest.raises(ValidationFailed, match="shorter than the attendance"):
        client.add_attendance(start, start + dt.timedelta(hours=1), break_minutes=60)
    entry = client.add_attendance(start, start + dt.timedelta(hours=8), break_minutes=30)
    with pytest.raises(ValidationFailed, match="before its end"):
        client.edit_attendance(entry.id, end=start - dt.timedelta(hours=1))
    client.delete_attendance(entry.id)
    assert client.attendances(start, start + dt.timedelta(days=1)) == []


def test_bad_secret_is_an_authentication_error(
    timetrack_server: TimeTrackServer, trackmypeople_server: Any
) -> None:
    user = trackmypeople_server.new_user()
    backend = timetrack_server.client(user.username, secret="not-the-secret")
    with pytest.raises(AuthenticationFailed, match="API key and secret"):
        backend.status()
    backend.close()


def test_stop_and_switch_at_an_earlier_time_send_that_date(
    client: TimeTrackClient, clock: FakeClock
) -> None:
    website = client.trackers().find("Acme/Website")
    support = client.trackers().find("Acme/Support")
    client.start(website.id)
    clock.advance(hours=2)  # 10:00; the person switched at 09:15 while offline
    status = client.switch(support.id, at=MONDAY_8H + dt.timedelta(minutes=75))
    assert status.running is not None
    assert status.running.tracker.id == support.id
    assert status.running.started_at == MONDAY_8H + dt.timedelta(minutes=75)
    client.stop(at=MONDAY_8H + dt.timedelta(minutes=105))  # and stopped at 09:45
    status = client.status()
    assert status.running is None
    assert status.daytotal_s == 105 * 60
