from __future__ import annotations

import datetime as dt

import pytest

from tracktray.domain.localtime import (
    day_bounds,
    format_local,
    local_to_utc,
    month_bounds,
    today,
    zone,
)

UTC = dt.UTC


def test_day_bounds_follow_dst() -> None:
    brussels = zone("Europe/Brussels")
    start, end = day_bounds(dt.date(2026, 3, 29), brussels)
    assert (start, end - start) == (
        dt.datetime(2026, 3, 28, 23, 0, tzinfo=UTC),
        dt.timedelta(hours=23),
    )
    start, end = day_bounds(dt.date(2026, 10, 25), brussels)
    assert end - start == dt.timedelta(hours=25)


def test_today_and_month_in_a_zone() -> None:
    instant = dt.datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert today(zone("UTC"), instant) == dt.date(2026, 11, 30)
    assert today(zone("Europe/Brussels"), instant) == dt.date(2026, 12, 1)
    start, end = month_bounds(instant, zone("Europe/Brussels"))
    assert start == dt.datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert end == dt.datetime(2026, 12, 31, 23, 0, tzinfo=UTC)


def test_local_to_utc_and_back() -> None:
    ny = zone("America/New_York")
    instant = local_to_utc(dt.datetime(2026, 7, 1, 9, 0), ny)
    assert instant == dt.datetime(2026, 7, 1, 13, 0, tzinfo=UTC)
    assert format_local(instant, ny) == "2026-07-01 09:00:00"
    with pytest.raises(ValueError, match="does not exist in America/New_York"):
        local_to_utc(dt.datetime(2026, 3, 8, 2, 30), ny)


@pytest.mark.parametrize("name", ["", "Mars/Base", "../etc/passwd", "/etc/localtime", " UTC"])
def test_unknown_zone(name: str) -> None:
    with pytest.raises(ValueError, match="not a known time zone"):
        zone(name)
