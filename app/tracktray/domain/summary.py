"""Summing a report: per tracker (a parent includes its children), per day, worked/free.

Pure functions over :class:`Block` lists, so the reports window, its exports and the
tests share one arithmetic. A block counts on the day it *started* (the rule of
:class:`~tracktray.domain.DayTotals`); an open block's ``total_s`` is already counted to
the moment the report was fetched.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from tracktray.domain.model import Block, DayTotals
from tracktray.domain.trackertree import TrackerTree
from tracktray.i18n import N_, _

__all__ = [
    "Period",
    "ReportSummary",
    "TrackerTotal",
    "decimal_hours",
    "hours_minutes",
    "period_days",
    "shift_period",
    "summarize",
]


class Period(enum.Enum):
    # the values are shown (translated) in the Reports window's period box
    DAY = N_("Day")
    WEEK = N_("Week")
    MONTH = N_("Month")
    CUSTOM = N_("Custom")


def period_days(period: Period, anchor: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the period containing ``anchor`` (weeks start on Monday)."""
    if period is Period.WEEK:
        first = anchor - dt.timedelta(days=anchor.weekday())
        return first, first + dt.timedelta(days=6)
    if period is Period.MONTH:
        last_day = calendar.monthrange(anchor.year, anchor.month)[1]
        return anchor.replace(day=1), anchor.replace(day=last_day)
    return anchor, anchor


def shift_period(period: Period, anchor: dt.date, steps: int) -> dt.date:
    """The anchor ``steps`` periods later (earlier when negative)."""
    if period is Period.MONTH:
        months = anchor.year * 12 + anchor.month - 1 + steps
        year, month = divmod(months, 12)
        return dt.date(year, month + 1, 1)
    days = 7 if period is Period.WEEK else 1
    return anchor + dt.timedelta(days=days * steps)


def hours_minutes(seconds: int) -> str:
    """``27000`` → ``"7:30"`` (timesheet style, whole minutes rounded down)."""
    minutes = max(0, seconds) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


def decimal_hours(seconds: int) -> Decimal:
    """``27000`` → ``Decimal("7.50")`` (hours to the hundredth, for invoices)."""
    return (Decimal(max(0, seconds)) / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class TrackerTotal:
    """One tracker's worked and free time in a report summary."""

    tracker_id: int | None
    name: str
    #: the nearest tracker above it in this list (None at the top)
    parent_id: int | None
    #: this tracker's own blocks plus those of all its sub-trackers
    worked_s: int
    free_s: int


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """A report's totals: the whole period, each day, each tracker."""

    first: dt.date
    last: dt.date
    totals: DayTotals
    #: one entry per day from ``first`` to ``last`` (days without blocks too)
    days: Sequence[tuple[dt.date, DayTotals]]
    #: trackers with time, in tree order, parents before their children
    trackers: Sequence[TrackerTotal]
    blocks: Sequence[Block] = field(default_factory=tuple)


def summarize(
    blocks: Iterable[Block], tree: TrackerTree, first: dt.date, last: dt.date
) -> ReportSummary:
    kept = sorted((b for b in blocks if first <= b.time_in.date() <= last), key=lambda b: b.time_in)
    per_day: dict[dt.date, list[int]] = {}
    own: dict[int | None, list[int]] = {}
    for block in kept:
        slot = 1 if block.free else 0
        per_day.setdefault(block.time_in.date(), [0, 0])[slot] += block.total_s
        own.setdefault(block.tracker_id, [0, 0])[slot] += block.total_s
    days = []
    day = first
    while day <= last:
        worked, free = per_day.get(day, (0, 0))
        days.append((day, DayTotals(worked, free)))
        day += dt.timedelta(days=1)
    return ReportSummary(
        first=first,
        last=last,
        totals=DayTotals.of(kept),
        days=days,
        trackers=_tree_totals(own, tree),
        blocks=tuple(kept),
    )


def _tree_totals(own: dict[int | None, list[int]], tree: TrackerTree) -> list[TrackerTotal]:
    """Roll each tracker's own time up into every ancestor; list those with time."""
    rolled: dict[int, list[int]] = {}
    for tracker_id, (worked, free) in own.items():
        current = tree.get(tracker_id) if tracker_id is not None else None
        while current is not None:
            sums = rolled.setdefault(current.id, [0, 0])
            sums[0] += worked
            sums[1] += free
            current = tree.get(current.parent_id) if current.parent_id is not None else None
    out = [TrackerTotal(t.id, t.name, t.parent_id, *rolled[t.id]) for t in tree if t.id in rolled]
    # time on trackers this tree does not show (a reportee's, an archived one)
    for tracker_id, (worked, free) in own.items():
        if tracker_id is None or tree.get(tracker_id) is None:
            name = _("No tracker") if tracker_id is None else f"Tracker {tracker_id}"
            out.append(TrackerTotal(tracker_id, name, None, worked, free))
    return out
