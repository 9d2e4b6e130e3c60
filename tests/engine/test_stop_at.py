"""``at`` on stop and switch (our extension): a click replayed later, idle time cut off."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.clicks import Clicks
from tests.support.clock import FakeClock
from tests.support.org import new_user
from tracktray.engine import Engine, ValidationError


def test_stop_at_ends_the_block_at_that_instant(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    user = new_user(engine, tree)
    began = clock()
    clicks.start(user.profile_id)
    clock.advance(minutes=90)
    block_id = clicks.stop(user.profile_id, "lunch cut off", at=began + dt.timedelta(minutes=40))
    block = engine.block(user.profile_id, block_id)
    assert block.total_s == 40 * 60
    assert block.description == "lunch cut off"
    assert clicks.status(user.profile_id).running is None


def test_a_naive_at_is_a_wall_time_in_the_profiles_zone(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    user = new_user(engine, tree)  # Europe/Brussels: UTC+1 in November; now is 11:00 there
    clicks.start(user.profile_id)
    clock.advance(minutes=30)
    block_id = clicks.stop(user.profile_id, at=dt.datetime(2026, 11, 23, 11, 20))
    assert engine.block(user.profile_id, block_id).total_s == 20 * 60


def test_switch_at_ends_one_block_and_begins_the_next_at_the_same_instant(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    user = new_user(engine, tree)
    began = clock()
    clicks.start(user.profile_id, tree["Acme/Website"])
    clock.advance(hours=2)
    cut = began + dt.timedelta(minutes=45)
    after = clicks.switch(user.profile_id, tree["Acme/Support"], "mockups", at=cut)
    assert after.running is not None
    assert after.running.tracker.id == tree["Acme/Support"]
    assert after.running.started_at == cut
    assert after.daytotal_s == 2 * 3600  # nothing lost, nothing counted twice


def test_at_before_the_block_began_is_refused_and_changes_nothing(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    user = new_user(engine, tree)
    began = clock()
    clicks.start(user.profile_id)
    clock.advance(minutes=10)
    with pytest.raises(ValidationError, match="before the running block began"):
        clicks.stop(user.profile_id, at=began - dt.timedelta(minutes=1))
    running = clicks.status(user.profile_id).running
    assert running is not None and running.started_at == began


def test_at_in_the_future_is_refused_but_clock_skew_ends_the_block_now(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    user = new_user(engine, tree)
    clicks.start(user.profile_id)
    clock.advance(minutes=10)
    with pytest.raises(ValidationError, match="in the future"):
        clicks.stop(user.profile_id, at=clock() + dt.timedelta(minutes=5))
    block_id = clicks.stop(user.profile_id, at=clock() + dt.timedelta(seconds=30))
    assert engine.block(user.profile_id, block_id).total_s == 10 * 60


def test_a_wall_time_skipped_by_dst_is_refused(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    clock.set(dt.datetime(2026, 3, 29, 2, 30, tzinfo=dt.UTC))  # 04:30 in Brussels, after the jump
    user = new_user(engine, tree)
    engine.add(user.profile_id, dt.datetime(2026, 3, 29, 1, 0))  # open since 01:00
    with pytest.raises(ValidationError, match="does not exist"):
        clicks.stop(user.profile_id, at=dt.datetime(2026, 3, 29, 2, 30))
