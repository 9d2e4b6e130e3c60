"""A report's rows built by the database: wall times, worked seconds, JSON members.

A year of a busy person is 50,000 blocks. Converting each one in Python (two instants to
wall times, the worked-time rule, the answer's fields) cost most of a year's report, so
the statement here has the database do it, on SQLite and PostgreSQL alike:

- **Wall times.** Neither database may be trusted with time zone rules (SQLite has none,
  PostgreSQL has its own copy of the tz database), so Python's :mod:`zoneinfo` decides
  the UTC offsets: :func:`offset_stretches` finds each stretch of one offset in the
  report's span, and the statement adds the stretch's offset (a ``CASE`` on the instant)
  before writing ``YYYY-MM-DD HH:MM:SS``, to the second (truncated, as
  ``scope._naive`` does).
- **Worked seconds.** :func:`tracktray.domain.worktime.worked_seconds` in SQL, on whole
  microseconds: ``max(0, elapsed(start, end) - (max(0, break_s) + open pause))``, the
  end being the stop or ``now``, ``elapsed`` truncated to whole seconds and never
  negative.
- **JSON.** The ``report`` answer's ``"block_<id>":{...}`` member, written exactly as
  ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` writes the server's
  block object (the description quoted by the database's JSON quoting, which escapes
  as Python's does; a test holds them equal).

An instant outside the stretches (a block running past the report's span by more than
:data:`MARGIN`) gets NULL from the statement, and that row is converted in Python by the
rule it replaces (:func:`~tracktray.engine.scope.block_from_values`): never a wrong time,
at worst a slower row.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from tracktray.domain import Block
from tracktray.engine.readpath import Dialect

__all__ = [
    "MARGIN",
    "block_fields",
    "block_member",
    "member_select",
    "offset_stretches",
    "row_select",
]

#: how far past the last start a stop is converted by the database
MARGIN = dt.timedelta(days=8)
#: offsets are sampled this far apart, then each change is pinned to its second; tz
#: data has no zone whose offset changes and changes back within a few hours
_SAMPLE_S = 3 * 3600

_TIME_TEXT = "YYYY-MM-DD HH24:MI:SS"
# one dialect's spelling of the pieces
_SQL: dict[Dialect, dict[str, str]] = {
    "sqlite": {
        # the text form is "YYYY-MM-DD HH:MM:SS.ffffff" (SQLAlchemy's); seconds and
        # microseconds are read apart so that no float rounds them
        "micros": "(unixepoch(substr({col}, 1, 19)) * 1000000 "
        "+ CAST(substr({col}, 21, 6) AS INTEGER))",
        "max": "MAX",
        "text": "CAST({value} AS TEXT)",
        "quote": "json_quote({value})",
    },
    "postgresql": {
        "micros": "CAST(EXTRACT(EPOCH FROM {col}) * 1000000 AS BIGINT)",
        "max": "GREATEST",
        "text": "CAST({value} AS TEXT)",
        "quote": "CAST(to_json({value}) AS TEXT)",
    },
}


def offset_stretches(tz: ZoneInfo, first: int, last: int) -> list[tuple[int, int]]:
    """``(from_second, utc_offset_s)`` for each stretch of one offset in
    ``[first, last]`` (UNIX seconds), in order; the first starts at ``first``."""

    def offset(second: int) -> int:
        found = dt.datetime.fromtimestamp(second, tz).utcoffset()
        assert found is not None
        return int(found.total_seconds())

    current = offset(first)
    stretches = [(first, current)]
    at = first
    while at < last:
        probe = min(at + _SAMPLE_S, last)
        if offset(probe) == current:
            at = probe
            continue
        low, high = at, probe  # offset(low) == current != offset(high)
        while high - low > 1:
            middle = (low + high) // 2
            if offset(middle) == current:
                low = middle
            else:
                high = middle
        current = offset(high)
        stretches.append((high, current))
        at = high
    return stretches


def _boundary(dialect: Dialect, second: int) -> str:
    """An instant as an SQL literal comparable with a stored time column (SQLite keeps
    SQLAlchemy's text form, where text order is time order)."""
    naive = dt.datetime.fromtimestamp(second, dt.UTC).replace(tzinfo=None)
    if dialect == "sqlite":
        return f"'{naive:%Y-%m-%d %H:%M:%S}.000000'"
    return f"TIMESTAMP '{naive:%Y-%m-%d %H:%M:%S}'"


def _shifted(dialect: Dialect, col: str, offset: int) -> str:
    """``col`` plus ``offset`` seconds as ``YYYY-MM-DD HH:MM:SS`` (fraction dropped)."""
    if dialect == "sqlite":
        whole = f"substr({col}, 1, 19)"
        return whole if offset == 0 else f"datetime({whole}, '{int(offset):+d} seconds')"
    moved = col if offset == 0 else f"{col} + INTERVAL '{int(offset)} seconds'"
    return f"to_char({moved}, '{_TIME_TEXT}')"


def _wall(dialect: Dialect, col: str, stretches: Sequence[tuple[int, int]], end: int) -> str:
    """The wall time of ``col``: a ``CASE`` on the stretches; NULL outside them."""
    arms = [f"WHEN {col} < {_boundary(dialect, stretches[0][0])} THEN NULL"]
    for (_, offset), (upto, _next) in itertools.pairwise(stretches):
        shifted = _shifted(dialect, col, offset)
        arms.append(f"WHEN {col} < {_boundary(dialect, upto)} THEN {shifted}")
    last = _shifted(dialect, col, stretches[-1][1])
    arms.append(f"WHEN {col} < {_boundary(dialect, end)} THEN {last}")
    return f"CASE {' '.join(arms)} ELSE NULL END"


def _worked(dialect: Dialect, now_us: int) -> str:
    """The worked-time rule of :mod:`tracktray.domain.worktime` on whole microseconds."""
    sql = _SQL[dialect]
    greatest = sql["max"]
    start = sql["micros"].format(col="start_utc")
    end = f"COALESCE({sql['micros'].format(col='stop_utc')}, {int(now_us)})"
    paused = sql["micros"].format(col="paused_at")

    def elapsed(a: str, b: str) -> str:
        return f"{greatest}(0, ({b} - {a}) / 1000000)"

    pause = f"CASE WHEN paused_at IS NULL THEN 0 ELSE {elapsed(paused, end)} END"
    taken = f"({greatest}(0, break_s) + {pause})"
    return f"{greatest}(0, {elapsed(start, end)} - {taken})"


def _columns(
    dialect: Dialect, stretches: Sequence[tuple[int, int]], end: int, now_us: int
) -> tuple[str, str, str]:
    """SQL for TimeIn, TimeOut (NULL while open) and Total."""
    return (
        _wall(dialect, "start_utc", stretches, end),
        _wall(dialect, "stop_utc", stretches, end),
        _worked(dialect, now_us),
    )


def row_select(
    dialect: Dialect, stretches: Sequence[tuple[int, int]], end: int, now_us: int
) -> str:
    """Columns ``id, profile_id, tracker_id, description, time_in, time_out, total,
    free, break_s``; ``time_in`` NULL (and ``time_out`` NULL on a closed block) marks a
    row the database could not convert."""
    time_in, time_out, total = _columns(dialect, stretches, end, now_us)
    return (
        f"id, profile_id, tracker_id, description, {time_in}, {time_out}, {total}, "
        "free, break_s, stop_utc IS NULL"
    )


def member_select(
    dialect: Dialect, stretches: Sequence[tuple[int, int]], end: int, now_us: int
) -> str:
    """Columns ``id, tracker_id, member``: the block's JSON member of the ``report``
    answer, NULL where the database could not convert a time."""
    sql = _SQL[dialect]
    time_in, time_out, total = _columns(dialect, stretches, end, now_us)

    def text(value: str) -> str:
        return sql["text"].format(value=value)

    parts = [
        _literal('"block_'),
        text("id"),
        _literal('":{"Id":'),
        text("id"),
        _literal(',"ProfileId":'),
        text("profile_id"),
        _literal(',"TrackerId":'),
        f"COALESCE({text('tracker_id')}, 'null')",
        _literal(',"Description":'),
        sql["quote"].format(value="description"),
        _literal(',"TimeIn":"'),
        time_in,
        _literal('","TimeOut":"'),
        f"CASE WHEN stop_utc IS NULL THEN '' ELSE {time_out} END",
        _literal('","Total":'),
        text(total),
        _literal(',"Free":'),
        "CASE WHEN free THEN 'true' ELSE 'false' END",
        _literal("}"),
    ]
    return f"id, tracker_id, {' || '.join(parts)}"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def block_fields(block: Block) -> dict[str, Any]:
    """The ``report`` answer's object for one block (the protocol's field names)."""
    return {
        "Id": block.id,
        "ProfileId": block.profile_id,
        "TrackerId": block.tracker_id,
        "Description": block.description,
        "TimeIn": _stamp(block.time_in),
        "TimeOut": _stamp(block.time_out),
        "Total": block.total_s,
        "Free": block.free,
    }


def block_member(block: Block) -> str:
    """``"block_<id>":{...}`` in Python, for a row the database could not convert."""
    body = json.dumps(block_fields(block), ensure_ascii=False, separators=(",", ":"))
    return f'"block_{block.id}":{body}'


def _stamp(value: dt.datetime | None) -> str:
    # "YYYY-MM-DD HH:MM:SS": isoformat is what strftime("%Y-%m-%d %H:%M:%S") writes for
    # every year after 999, at a fraction of the cost
    return value.isoformat(" ", "seconds") if value is not None else ""
