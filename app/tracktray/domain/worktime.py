"""The one rule for worked time, used by the engine, both clients, the CLI and the widget.

A block's worked time is the time that passed between its start and its end, minus its
breaks. A pause still open counts as break up to the end, so worked time stands still
while a timer is paused. Instants are compared in UTC: Python subtracts two datetimes
sharing one ``tzinfo`` as wall-clock times, which would ignore a DST change in between.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["break_seconds", "elapsed_seconds", "worked_seconds"]


def elapsed_seconds(start: dt.datetime, end: dt.datetime) -> int:
    """Whole seconds from ``start`` to ``end`` (aware instants), never negative."""
    if start.tzinfo is not dt.UTC or end.tzinfo is not dt.UTC:  # both UTC: already exact
        start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    return max(0, int((end - start).total_seconds()))


def break_seconds(break_s: int, paused_at: dt.datetime | None, end: dt.datetime) -> int:
    """The breaks taken by ``end``: the closed ones, plus the open pause since ``paused_at``."""
    open_pause = elapsed_seconds(paused_at, end) if paused_at is not None else 0
    return max(0, break_s) + open_pause


def worked_seconds(
    start: dt.datetime,
    end: dt.datetime,
    break_s: int = 0,
    paused_at: dt.datetime | None = None,
) -> int:
    """Worked seconds of a block from ``start`` to ``end`` (now, for an open block).

    ``break_s`` is the breaks already closed; ``paused_at`` the start of a pause still
    open (TimeTrack), which counts as break up to ``end``. Never negative.
    """
    return max(0, elapsed_seconds(start, end) - break_seconds(break_s, paused_at, end))
