"""The one rule for worked time: elapsed minus breaks, an open pause counts as break."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from tracktray.domain import RunningBlock, Status, TrackerRef
from tracktray.domain.timetrack import to_aware
from tracktray.domain.worktime import break_seconds, elapsed_seconds, worked_seconds

BRUSSELS = ZoneInfo("Europe/Brussels")
T0 = dt.datetime(2026, 3, 28, 20, 0, tzinfo=dt.UTC)  # the night Brussels springs forward

seconds = st.integers(min_value=0, max_value=3 * 24 * 3600)


def test_worked_across_midnight() -> None:
    start = to_aware(dt.datetime(2026, 11, 23, 22, 0), BRUSSELS)
    end = to_aware(dt.datetime(2026, 11, 24, 2, 0), BRUSSELS)
    assert worked_seconds(start, end, 30 * 60) == 3 * 3600 + 1800


def test_worked_across_dst_fall_back_counts_the_repeated_hour() -> None:
    start = to_aware(dt.datetime(2026, 10, 24, 22, 0), BRUSSELS)
    end = to_aware(dt.datetime(2026, 10, 25, 6, 0), BRUSSELS)
    assert worked_seconds(start, end) == 9 * 3600


def test_worked_across_dst_spring_forward_skips_the_missing_hour() -> None:
    start = to_aware(dt.datetime(2026, 3, 28, 22, 0), BRUSSELS)
    end = to_aware(dt.datetime(2026, 3, 29, 6, 0), BRUSSELS)
    assert worked_seconds(start, end, 3600) == 6 * 3600


@given(span=seconds, breaks=seconds, pause=st.none() | seconds)
def test_worked_is_never_negative_nor_more_than_elapsed(
    span: int, breaks: int, pause: int | None
) -> None:
    end = T0 + dt.timedelta(seconds=span)
    paused_at = None if pause is None else T0 + dt.timedelta(seconds=min(pause, span))
    worked = worked_seconds(T0, end, breaks, paused_at)
    assert 0 <= worked <= elapsed_seconds(T0, end)
    assert worked == max(0, span - break_seconds(breaks, paused_at, end))


@given(before=seconds, later=seconds, breaks=seconds)
def test_worked_stands_still_while_paused_and_the_break_grows(
    before: int, later: int, breaks: int
) -> None:
    paused_at = T0 + dt.timedelta(seconds=before)
    at_pause = worked_seconds(T0, paused_at, breaks)
    end = paused_at + dt.timedelta(seconds=later)
    assert worked_seconds(T0, end, breaks, paused_at) == at_pause
    assert break_seconds(breaks, paused_at, end) == breaks + later


@given(span=seconds, breaks=seconds)
def test_the_zone_of_the_instants_does_not_matter(span: int, breaks: int) -> None:
    end = T0 + dt.timedelta(seconds=span)
    local = worked_seconds(T0.astimezone(BRUSSELS), end.astimezone(BRUSSELS), breaks)
    assert local == worked_seconds(T0, end, breaks)


def test_a_paused_running_block_is_frozen_as_of_the_status() -> None:
    fetched = T0 + dt.timedelta(hours=3)
    status = Status(
        daytotal_s=2 * 3600,
        running=RunningBlock(
            tracker=TrackerRef(1, "Website"), started_at=T0, paused=True, break_s=3600
        ),
        default_tracker=None,
        fetched_at=fetched,
    )
    later = fetched + dt.timedelta(minutes=20)
    assert status.running_worked_s(fetched) == 2 * 3600
    assert status.running_worked_s(later) == 2 * 3600  # paused: no growth
    assert status.running_break_s(later) == 3600 + 20 * 60
    assert status.daytotal_at(later) == 2 * 3600
    playing = Status(
        daytotal_s=2 * 3600,
        running=RunningBlock(tracker=TrackerRef(1, "Website"), started_at=T0, break_s=3600),
        default_tracker=None,
        fetched_at=fetched,
    )
    assert playing.running_worked_s(later) == 2 * 3600 + 20 * 60
    assert playing.running_break_s(later) == 3600
