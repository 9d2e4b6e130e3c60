"""Summing reports: periods, per-tracker roll-up, per-day totals, the two time formats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tracktray.domain import Block, DayTotals, TrackerTree
from tracktray.domain.parsing import read_hours
from tracktray.domain.summary import (
    Period,
    decimal_hours,
    hours_minutes,
    period_days,
    shift_period,
    summarize,
)

TREE = TrackerTree.from_rows([(1, 0, "Acme"), (2, 1, "Website"), (3, 2, "Design"), (4, 0, "Off")])


def block(n: int, tracker: int | None, day: int, hours: float, *, free: bool = False) -> Block:
    start = dt.datetime(2026, 11, day, 9)
    seconds = int(hours * 3600)
    return Block(n, 1, tracker, "", start, start + dt.timedelta(seconds=seconds), seconds, free)


def test_periods() -> None:
    thursday = dt.date(2026, 11, 26)
    assert period_days(Period.DAY, thursday) == (thursday, thursday)
    assert period_days(Period.WEEK, thursday) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert period_days(Period.MONTH, dt.date(2024, 2, 10)) == (
        dt.date(2024, 2, 1), dt.date(2024, 2, 29)
    )  # fmt: skip
    assert shift_period(Period.MONTH, dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 1)
    assert shift_period(Period.MONTH, dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 1)
    assert shift_period(Period.WEEK, thursday, -1) == dt.date(2026, 11, 19)


def test_formats() -> None:
    assert hours_minutes(27000) == "7:30" and hours_minutes(59) == "0:00"
    assert decimal_hours(27000) == Decimal("7.50") and decimal_hours(1800 + 18) == Decimal("0.51")


def test_a_parent_includes_its_children_and_days_are_all_listed() -> None:
    blocks = [
        block(1, 3, 23, 1.5),
        block(2, 2, 24, 1),
        block(3, 4, 25, 8, free=True),
        block(4, 99, 25, 0.5),  # a tracker this tree does not show
        block(5, 3, 30, 2),  # outside the period
    ]
    summary = summarize(blocks, TREE, dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert summary.totals == DayTotals(worked_s=10800, free_s=28800)
    assert [(t.name, t.parent_id, t.worked_s, t.free_s) for t in summary.trackers] == [
        ("Acme", None, 9000, 0),
        ("Website", 1, 9000, 0),
        ("Design", 2, 5400, 0),
        ("Off", None, 0, 28800),
        ("Tracker 99", None, 1800, 0),
    ]
    assert len(summary.days) == 7
    assert dict(summary.days)[dt.date(2026, 11, 25)] == DayTotals(1800, 28800)
    assert [b.id for b in summary.blocks] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("typed", "hours"), [("7.5", "7.5"), ("7,5", "7.5"), ("7:30", "7.50"), (" 0:20 ", "0.33")]
)
def test_hours_as_people_type_them(typed: str, hours: str) -> None:
    assert read_hours(typed) == Decimal(hours)


@pytest.mark.parametrize("typed", ["seven", "7h", "25", "0", "7:75", ""])
def test_hours_refused_in_a_sentence(typed: str) -> None:
    with pytest.raises(ValueError, match=r"(?i)hours"):
        read_hours(typed)
