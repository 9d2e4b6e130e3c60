"""Start, stop, switch, status and the day total on a real SQLite file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.support.clicks import Clicks
from tests.support.clock import FakeClock
from tests.support.org import new_user
from tracktray.domain import ReportQuery
from tracktray.engine import Engine, NotAllowed, Refused, ValidationError


def test_status_of_a_fresh_user_shows_the_default_tracker_and_nothing_open(
    engine: Engine, tree: dict[str, int], clicks: Clicks
) -> None:
    user = new_user(engine, tree)
    status = clicks.status(user.profile_id)
    assert status.running is None
    assert status.daytotal_s == 0
    assert status.default_tracker is not None
    assert status.default_tracker.id == tree["Acme/Website"]
    assert status.default_tracker.abbreviation == "WEB"
    assert status.default_tracker.trackable


def test_start_opens_a_block_on_the_default_tracker_and_it_counts_up(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    user = new_user(engine, tree)
    started = clicks.start(user.profile_id)
    assert started.running is not None
    assert started.running.tracker.id == tree["Acme/Website"]
    assert started.running.started_at == clock()
    clock.advance(minutes=25)
    status = clicks.status(user.profile_id)
    assert status.daytotal_s == 25 * 60
    assert status.running is not None
    assert status.running.tracker_total_s == 25 * 60


def test_second_start_is_refused_with_a_sentence_naming_the_running_tracker(
    engine: Engine, tree: dict[str, int], clicks: Clicks
) -> None:
    user = new_user(engine, tree)
    clicks.start(user.profile_id, tree["Acme/Support"])
    with pytest.raises(Refused, match="already running on “Acme/Support”"):
        clicks.start(user.profile_id, tree["Acme/Website"])


def test_stop_puts_the_description_on_the_closed_block(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    user = new_user(engine, tree)
    clicks.start(user.profile_id)
    clock.advance(minutes=90)
    block_id = clicks.stop(user.profile_id, "Landing page")
    block = engine.block(user.profile_id, block_id)
    assert block.description == "Landing page"
    assert block.total_s == 90 * 60
    assert clicks.status(user.profile_id).running is None
    with pytest.raises(Refused, match="nothing to stop"):
        clicks.stop(user.profile_id)


def test_switch_closes_with_description_and_opens_the_new_tracker(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    user = new_user(engine, tree)
    with pytest.raises(Refused, match="nothing to switch"):
        clicks.switch(user.profile_id, tree["Acme/Support"])
    clicks.start(user.profile_id, tree["Acme/Website/Design"])
    clock.advance(minutes=10)
    status = clicks.switch(user.profile_id, tree["Acme/Support"], "mockups")
    assert status.running is not None
    assert status.running.tracker.name == "Support"
    assert status.running.tracker_total_s == 0
    assert status.daytotal_s == 600
    blocks = engine.report(user.profile_id, _everything())
    assert [(b.tracker_id, b.description, b.total_s) for b in blocks] == [
        (tree["Acme/Website/Design"], "mockups", 600)
    ]


def test_unknown_tracker_is_a_validation_error_and_nothing_is_written(
    engine: Engine, tree: dict[str, int], clicks: Clicks
) -> None:
    user = new_user(engine, tree)
    with pytest.raises(ValidationError, match="There is no tracker 99999"):
        clicks.start(user.profile_id, 99999)
    assert clicks.status(user.profile_id).running is None


def test_tracking_needs_a_can_track_role_on_the_tracker(
    engine: Engine, tree: dict[str, int], clicks: Clicks
) -> None:
    outsider = engine.create_user("outsider", "pw", default_tracker_id=tree["Acme/Website"])
    engine.grant_role(outsider, tree["Internal"], can_track=True)
    with pytest.raises(NotAllowed, match="may not track time on “Acme/Website”"):
        clicks.start(outsider)
    assert clicks.status(outsider).default_tracker is not None
    assert not clicks.status(outsider).default_tracker.trackable  # type: ignore[union-attr]
    clicks.start(outsider, tree["Internal/Holidays"])
    # a role without can_track (reporting only) does not allow tracking either
    viewer = engine.create_user("viewer", "pw")
    engine.grant_role(viewer, tree["Acme"], can_track=False, can_see_reporting=True)
    with pytest.raises(NotAllowed):
        clicks.start(viewer, tree["Acme/Support"])
    assert len(engine.trackers(viewer)) == 0


def test_no_default_tracker_and_no_id_is_refused(
    engine: Engine, tree: dict[str, int], clicks: Clicks
) -> None:
    pid = engine.create_user("nodefault", "pw")
    engine.grant_role(pid, tree["Acme"])
    with pytest.raises(ValidationError, match="no default tracker"):
        clicks.start(pid)


def test_day_total_counts_only_worked_blocks_started_today(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    user = new_user(engine, tree)
    pid = user.profile_id
    # 10:00 UTC = 11:00 Brussels. Yesterday's block does not count, a free block neither.
    engine.add(pid, dt.datetime(2026, 11, 22, 9, 0), dt.datetime(2026, 11, 22, 12, 0))
    engine.add(pid, dt.datetime(2026, 11, 23, 8, 0), dt.datetime(2026, 11, 23, 9, 30))
    engine.add_free(pid, Decimal("2"), dt.date(2026, 11, 23))
    clicks.start(pid)
    clock.advance(minutes=15)
    assert clicks.day_total(pid) == 90 * 60 + 15 * 60


def _everything() -> ReportQuery:
    return ReportQuery(start=dt.datetime(2000, 1, 1), stop=dt.datetime(2100, 1, 1))


def test_day_total_is_exact_over_many_short_blocks(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    pid = new_user(engine, tree).profile_id
    trackers = [tree["Acme/Website"], tree["Acme/Support"]]
    for index in range(60):
        clicks.start(pid, trackers[index % 2])
        clock.advance(seconds=61)
        clicks.stop(pid)
        clock.advance(seconds=1)
    clicks.start(pid, trackers[0])
    clock.advance(seconds=7)
    status = clicks.status(pid)
    assert status.daytotal_s == 60 * 61 + 7
    assert status.running is not None and status.running.tracker_total_s == 30 * 61 + 7
