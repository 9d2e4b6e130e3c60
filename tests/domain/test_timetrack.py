from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tracktray.domain.timetrack import (
    BadTimestamp,
    Timer,
    format_wall_clock,
    parse_wall_clock,
    to_aware,
)

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_date_is_local_wall_clock_with_a_literal_z() -> None:
    instant = dt.datetime(2020, 10, 23, 14, 0, tzinfo=dt.UTC)
    assert format_wall_clock(instant, BRUSSELS) == "2020-10-23T16:00:00.000Z"
    assert format_wall_clock(dt.datetime(2020, 10, 23, 16, 0, 5)) == "2020-10-23T16:00:05.000Z"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-10-23T16:00:00.000Z", dt.datetime(2020, 10, 23, 16, 0)),
        ("2020-10-23T16:00:00Z", dt.datetime(2020, 10, 23, 16, 0)),
        ("2020-10-23 16:00", dt.datetime(2020, 10, 23, 16, 0)),
        ("2020-10-23", dt.datetime(2020, 10, 23)),
        # an explicit offset names an instant: converted into the zone
        ("2020-10-23T14:00:00+00:00", dt.datetime(2020, 10, 23, 16, 0)),
    ],
)
def test_parse_accepts_the_variants(text: str, expected: dt.datetime) -> None:
    assert parse_wall_clock(text, BRUSSELS) == expected


@pytest.mark.parametrize("text", ["", "yesterday", "2020-13-01T00:00:00Z", "2020-10-23T25:00"])
def test_parse_rejects_garbage_with_a_sentence(text: str) -> None:
    with pytest.raises(BadTimestamp, match="is not a date and time"):
        parse_wall_clock(text, BRUSSELS)


def test_a_time_in_the_dst_gap_moves_forward() -> None:
    aware = to_aware(dt.datetime(2026, 3, 29, 2, 30), BRUSSELS)
    assert aware.replace(tzinfo=None) == dt.datetime(2026, 3, 29, 3, 30)


def test_timer_extrapolates_worked_while_playing_and_break_while_paused() -> None:
    fetched = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    later = fetched + dt.timedelta(minutes=10)
    playing = Timer(True, False, fetched, 3600, 60, fetched)
    paused = Timer(False, True, fetched, 3600, 60, fetched)
    assert (playing.worked_at(later), playing.break_at(later)) == (3600 + 600, 60)
    assert (paused.worked_at(later), paused.break_at(later)) == (3600, 60 + 600)
    assert playing.running and paused.running
