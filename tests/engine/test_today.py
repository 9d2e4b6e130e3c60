""" "Today" is the profile's local day, 23 or 25 hours long on DST-change days."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.clicks import Clicks
from tests.support.clock import FakeClock
from tests.support.org import new_user
from tracktray.engine import Engine, ValidationError

UTC = dt.UTC
D = dt.datetime


@pytest.mark.parametrize(
    ("day", "local_midnight_utc", "next_midnight_utc"),
    [
        # Brussels springs forward on 2026-03-29: a 23-hour day.
        (
            dt.date(2026, 3, 29),
            D(2026, 3, 28, 23, 0, tzinfo=UTC),
            D(2026, 3, 29, 22, 0, tzinfo=UTC),
        ),
        # ... and falls back on 2026-10-25: a 25-hour day.
        (
            dt.date(2026, 10, 25),
            D(2026, 10, 24, 22, 0, tzinfo=UTC),
            D(2026, 10, 25, 23, 0, tzinfo=UTC),
        ),
    ],
)
def test_day_total_covers_the_whole_local_day_on_dst_days(
    engine: Engine,
    tree: dict[str, int],
    clock: FakeClock,
    day: dt.date,
    local_midnight_utc: D,
    next_midnight_utc: D,
    clicks: Clicks,
) -> None:
    clock.set(next_midnight_utc - dt.timedelta(minutes=10))  # 23:50 local
    pid = new_user(engine, tree, timezone="Europe/Brussels").profile_id
    at = dt.datetime.combine
    engine.add(pid, at(day, dt.time(0, 10)), at(day, dt.time(0, 30)))
    engine.add(pid, at(day, dt.time(23, 0)), at(day, dt.time(23, 20)))
    yesterday = day - dt.timedelta(days=1)
    engine.add(pid, at(yesterday, dt.time(23, 30)), at(yesterday, dt.time(23, 50)))
    assert clicks.day_total(pid) == 40 * 60
    assert (next_midnight_utc - local_midnight_utc) != dt.timedelta(hours=24)
    # the first instant of the next local day starts a new total...
    clock.set(next_midnight_utc)
    assert clicks.day_total(pid) == 0
    # ...and the last instant of the previous local day still had yesterday's block only
    clock.set(local_midnight_utc - dt.timedelta(seconds=1))
    assert clicks.day_total(pid) == 20 * 60


def test_the_same_instant_is_a_different_day_for_different_zones(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    # 2026-11-23 03:00 UTC: still the 22nd in New York, already the 23rd in Tokyo.
    clock.set(dt.datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    ny = new_user(engine, tree, timezone="America/New_York").profile_id
    tokyo = new_user(engine, tree, timezone="Asia/Tokyo").profile_id
    for pid in (ny, tokyo):
        clicks.start(pid)
    clock.set(dt.datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    assert clicks.day_total(ny) == 2 * 3600
    assert clicks.day_total(tokyo) == 2 * 3600
    clock.set(dt.datetime(2026, 11, 23, 5, 30, tzinfo=UTC))  # NY midnight passed at 05:00 UTC
    assert clicks.day_total(ny) == 0  # started yesterday (NY), so not today's
    assert clicks.day_total(tokyo) == int(4.5 * 3600)


def test_a_wall_time_skipped_by_dst_is_refused(
    engine: Engine, tree: dict[str, int], clock: FakeClock
) -> None:
    clock.set(dt.datetime(2026, 3, 30, 12, 0, tzinfo=UTC))
    pid = new_user(engine, tree).profile_id
    with pytest.raises(ValidationError, match="does not exist in Europe/Brussels"):
        engine.add(pid, dt.datetime(2026, 3, 29, 2, 30), dt.datetime(2026, 3, 29, 3, 30))
    # the repeated hour in October is accepted (first occurrence) and lasts what it says
    block = engine.add(pid, dt.datetime(2026, 3, 29, 1, 30), dt.datetime(2026, 3, 29, 3, 30))
    assert block.total_s == 3600  # 01:30 CET -> 03:30 CEST is one real hour
