"""The last confirmed status survives the journal file: round trip, and garbage reads as
nothing known."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tracktray.domain import RunningBlock, Status, TrackerRef
from tracktray.domain.model import AttendanceClock
from tracktray.store.journal import Journal
from tracktray.store.last_status import status_from_data, status_to_data

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


def test_a_status_round_trips_through_the_journal(tmp_path: Path) -> None:
    status = Status(
        daytotal_s=5400,
        running=RunningBlock(
            tracker=TrackerRef(7, "Acme / Website", "WEB", True),
            started_at=NOW - dt.timedelta(hours=1),
            tracker_total_s=3600,
            paused=True,
            break_s=600,
            note="planning",
        ),
        default_tracker=TrackerRef(3, "Acme", "", False),
        fetched_at=NOW,
        attendance=AttendanceClock(NOW - dt.timedelta(hours=2), 300),
        attendance_day_s=7200,
        free_today_s=None,
    )
    journal = Journal(tmp_path)
    journal.save_status("work", status_to_data(status))
    journal.save_status("other", status_to_data(Status(0, None, None, NOW)))
    assert status_from_data(journal.last_status("work")) == status
    assert status_from_data(journal.last_status("other")) == Status(0, None, None, NOW)
    assert journal.last_status("nobody") is None


@pytest.mark.parametrize(
    "data",
    [None, [], {"daytotal_s": "x"}, {"daytotal_s": 1, "running": None, "fetched_at": "2026"}],
)
def test_what_cannot_be_read_is_nothing_known(data: object) -> None:
    assert status_from_data(data) is None
