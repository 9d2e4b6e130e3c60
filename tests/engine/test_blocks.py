"""Adding past blocks and free time, overlap refusal, and editing a block."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.support.clock import FakeClock
from tests.support.org import new_user
from tracktray.domain import ReportQuery
from tracktray.engine import Engine, NotAllowed, NotFound, Overlap, Refused, ValidationError

D = dt.datetime


def test_add_returns_the_block_in_the_profile_timezone(
    engine: Engine, tree: dict[str, int]
) -> None:
    user = new_user(engine, tree, timezone="Asia/Tokyo")
    block = engine.add(
        user.profile_id,
        D(2026, 11, 20, 9, 0),
        D(2026, 11, 20, 12, 15),
        tree["Acme/Support"],
        "calls",
    )
    assert (block.time_in, block.time_out) == (D(2026, 11, 20, 9, 0), D(2026, 11, 20, 12, 15))
    assert block.total_s == 3 * 3600 + 15 * 60
    assert (block.tracker_id, block.description, block.free) == (
        tree["Acme/Support"],
        "calls",
        False,
    )
    # an aware instant (a UNIX timestamp on the wire) is the same moment
    again = engine.add(
        user.profile_id, D(2026, 11, 19, 0, 0, tzinfo=dt.UTC), D(2026, 11, 19, 1, 0, tzinfo=dt.UTC)
    )
    assert again.time_in == D(2026, 11, 19, 9, 0)


@pytest.mark.parametrize(
    ("start", "stop"),
    [
        (D(2026, 11, 20, 9, 30), D(2026, 11, 20, 10, 30)),  # starts inside
        (D(2026, 11, 20, 8, 0), D(2026, 11, 20, 9, 1)),  # ends inside
        (D(2026, 11, 20, 8, 0), D(2026, 11, 20, 12, 0)),  # covers it
        (D(2026, 11, 20, 9, 10), D(2026, 11, 20, 9, 20)),  # inside it
        (D(2026, 11, 20, 9, 10), None),  # an open block starting inside
    ],
)
def test_overlap_names_the_overlapped_block(
    engine: Engine, tree: dict[str, int], start: D, stop: D | None
) -> None:
    pid = new_user(engine, tree).profile_id
    existing = engine.add(pid, D(2026, 11, 20, 9, 0), D(2026, 11, 20, 10, 0))
    with pytest.raises(Overlap) as caught:
        engine.add(pid, start, stop)
    assert caught.value.block_id == existing.id
    assert len(engine.report(pid, _all())) == 1


def test_touching_blocks_do_not_overlap_and_free_time_never_does(
    engine: Engine, tree: dict[str, int]
) -> None:
    pid = new_user(engine, tree).profile_id
    engine.add(pid, D(2026, 11, 20, 9, 0), D(2026, 11, 20, 10, 0))
    engine.add(pid, D(2026, 11, 20, 10, 0), D(2026, 11, 20, 11, 0))
    engine.add(pid, D(2026, 11, 20, 8, 0), D(2026, 11, 20, 9, 0))
    free = engine.add_free(pid, Decimal("8"), dt.date(2026, 11, 20), tree["Internal/Holidays"])
    assert free.free and free.total_s == 8 * 3600
    assert free.time_in == D(2026, 11, 20, 0, 0)
    # a free block does not block worked time either
    engine.add(pid, D(2026, 11, 20, 1, 0), D(2026, 11, 20, 2, 0))


def test_an_open_block_overlaps_everything_after_its_start(
    engine: Engine, tree: dict[str, int], clock: FakeClock
) -> None:
    pid = new_user(engine, tree).profile_id
    engine.start(pid)  # 11:00 Brussels
    clock.advance(hours=2)
    with pytest.raises(Overlap):
        engine.add(pid, D(2026, 11, 23, 11, 30), D(2026, 11, 23, 12, 0))
    engine.add(pid, D(2026, 11, 23, 9, 0), D(2026, 11, 23, 11, 0))


@pytest.mark.parametrize(
    ("start", "stop", "message"),
    [
        (D(2026, 11, 20, 10, 0), D(2026, 11, 20, 9, 0), "start must be before the stop"),
        (D(2026, 11, 20, 10, 0), D(2026, 11, 20, 10, 0), "start must be before the stop"),
        (D(2026, 11, 24, 10, 0), None, "start is in the future"),
        (D(2026, 11, 23, 9, 0), D(2026, 11, 23, 15, 0), "stop is in the future"),
    ],
)
def test_add_validation(
    engine: Engine, tree: dict[str, int], start: D, stop: D | None, message: str
) -> None:
    pid = new_user(engine, tree).profile_id
    with pytest.raises(ValidationError, match=message):
        engine.add(pid, start, stop)
    assert engine.report(pid, _all(include_open=True)) == []


def test_add_without_stop_opens_a_block_unless_one_is_running(
    engine: Engine, tree: dict[str, int], clock: FakeClock
) -> None:
    pid = new_user(engine, tree).profile_id
    block = engine.add(pid, D(2026, 11, 23, 10, 15), None, description="forgot to start")
    assert block.time_out is None and block.total_s == 45 * 60
    status = engine.status(pid)
    assert status.running is not None and status.running.note == "forgot to start"
    with pytest.raises(Refused, match="already running"):
        engine.add(pid, D(2026, 11, 23, 8, 0), None)


@pytest.mark.parametrize("hours", ["0", "-1", "24.01", "1000", "NaN", "Infinity"])
def test_free_hours_must_be_within_a_day(engine: Engine, tree: dict[str, int], hours: str) -> None:
    pid = new_user(engine, tree).profile_id
    with pytest.raises(ValidationError, match="more than 0 and at most 24"):
        engine.add_free(pid, Decimal(hours))


def test_free_time_defaults_to_today_on_the_default_tracker(
    engine: Engine, tree: dict[str, int]
) -> None:
    pid = new_user(engine, tree, timezone="Pacific/Auckland").profile_id
    # 10:00 UTC on the 23rd is 23:00 on the 23rd in Auckland
    block = engine.add_free(pid, Decimal("7.5"), description="dentist")
    assert block.time_in == D(2026, 11, 23, 0, 0)
    assert block.total_s == 27000 and block.tracker_id == tree["Acme/Website"]


def test_edit_block_follows_the_same_rules(engine: Engine, tree: dict[str, int]) -> None:
    user = new_user(engine, tree)
    pid = user.profile_id
    a = engine.add(pid, D(2026, 11, 20, 9, 0), D(2026, 11, 20, 10, 0))
    b = engine.add(pid, D(2026, 11, 20, 11, 0), D(2026, 11, 20, 12, 0))
    moved = engine.edit_block(
        pid,
        a.id,
        start=D(2026, 11, 20, 9, 30),
        stop=D(2026, 11, 20, 10, 45),
        tracker_id=tree["Acme/Support"],
        description="fixed",
    )
    assert (moved.time_in, moved.total_s, moved.tracker_id) == (
        D(2026, 11, 20, 9, 30),
        75 * 60,
        tree["Acme/Support"],
    )
    with pytest.raises(Overlap) as caught:
        engine.edit_block(
            pid,
            a.id,
            start=D(2026, 11, 20, 9, 30),
            stop=D(2026, 11, 20, 11, 30),
            tracker_id=tree["Acme/Support"],
            description="",
        )
    assert caught.value.block_id == b.id
    other = new_user(engine, tree)
    with pytest.raises(NotAllowed):
        engine.block(other.profile_id, a.id)
    with pytest.raises(NotFound):
        engine.block(pid, 987654)


def _all(include_open: bool = False) -> ReportQuery:
    return ReportQuery(start=D(2000, 1, 1), stop=D(2100, 1, 1), include_open=include_open)


def test_free_time_cannot_be_turned_into_a_running_block(
    engine: Engine, tree: dict[str, int]
) -> None:
    pid = new_user(engine, tree).profile_id
    free = engine.add_free(pid, Decimal("4"), dt.date(2026, 11, 20))
    with pytest.raises(ValidationError, match="needs a stop"):
        engine.edit_block(
            pid,
            free.id,
            start=free.time_in,
            stop=None,
            tracker_id=tree["Acme/Website"],
            description="",
        )
