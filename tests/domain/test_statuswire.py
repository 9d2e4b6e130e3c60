"""A Status survives the trip from the widget to the CLI unchanged."""

from __future__ import annotations

import datetime as dt
import json

from tracktray.domain import RunningBlock, Status, TrackerRef
from tracktray.domain.model import AttendanceClock
from tracktray.domain.statuswire import status_from_json, status_to_json

UTC = dt.UTC


def test_every_field_comes_back_equal() -> None:
    status = Status(
        daytotal_s=3725,
        running=RunningBlock(
            tracker=TrackerRef(7, "Website", "WEB", trackable=False),
            started_at=dt.datetime(2026, 11, 29, 8, 15, tzinfo=UTC),
            tracker_total_s=1800,
            paused=True,
            break_s=300,
            note="café ☕",
        ),
        default_tracker=TrackerRef(3, "General"),
        fetched_at=dt.datetime(2026, 11, 29, 9, 0, 1, tzinfo=UTC),
        attendance=AttendanceClock(dt.datetime(2026, 11, 29, 7, 58, tzinfo=UTC), break_s=60),
        attendance_day_s=3700,
        free_today_s=None,
    )
    assert status_from_json(json.loads(json.dumps(status_to_json(status)))) == status
    idle = Status(daytotal_s=0, running=None, default_tracker=None, fetched_at=status.fetched_at)
    assert status_from_json(json.loads(json.dumps(status_to_json(idle)))) == idle
