"""The replay rules on a TimeTrack account: every call carries the click's ``date``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import timetrack_fixtures
from tests.support.timetrack_fixtures import TimeTrackServer
from tracktray.accounts.replay import replay
from tracktray.api.timetrack import TimeTrackClient

timetrack_server = timetrack_fixtures.timetrack_server


@pytest.fixture
def client(
    timetrack_server: TimeTrackServer, trackmypeople_server: Any
) -> Iterator[TimeTrackClient]:
    user = trackmypeople_server.new_user(timezone="UTC")
    backend = timetrack_server.client(user.username, zone="UTC")
    yield backend
    backend.close()


def test_a_late_start_and_stop_land_at_their_clicks(client: TimeTrackClient) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started, stopped = now - dt.timedelta(minutes=20), now - dt.timedelta(minutes=5)
    project = next(t.id for t in client.trackers() if t.trackable)
    for kind, at in (("start", started), ("pause", started + dt.timedelta(minutes=1)),
                     ("resume", started + dt.timedelta(minutes=3)), ("stop", stopped)):  # fmt: skip
        args = {"tracker_id": project} if kind == "start" else {}
        outcome = replay(client, kind, args, at, tried_before=True, now=now)
        assert outcome.state == "done", (kind, outcome)
    # a second replay of the stop (its answer lost) finds it done and sends nothing
    assert replay(client, "stop", {}, stopped, tried_before=True, now=now).state == "done"
    (entry,) = client.project_entries(now - dt.timedelta(hours=1), now + dt.timedelta(hours=1))
    assert entry.start == started.replace(tzinfo=None)
    assert entry.end == stopped.replace(tzinfo=None)
    assert entry.break_minutes == 2
