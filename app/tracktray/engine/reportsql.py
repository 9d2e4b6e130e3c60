"""A report's rows built by the database: wall times, worked seconds, JSON members.

A year of a busy person is 50,000 blocks. Converting each one in Python (two instants to
wall times, the worked-time rule, the answer's fields) cost most of a year's report, so
the statement here has the database do it, on SQLite and PostgreSQL alike:

- **Wall times.** Neither database may be trusted with time zone rules (SQLite has none,
  PostgreSQL has its own copy of the tz database), so Python's :mod:`zoneinfo` decides
  the UTC offsets: :func:`offset_stretches` finds each stretch of one offset in the
  report's span, and the statement adds the stretch's offset (a ``CASE`` on the instant)
  before writing ``YYYY-MM-DD HH:MM:SS``.
- **Worked seconds.** :func:`tracktray.domain.worktime.worked_seconds` in SQL:
  ``max(0, elapsed(start, end) - (max(0, break_s) + open pause))``, the end being the
  stop or ``now``, ``elapsed`` never negative.
- **JSON.** The ``report`` answer's ``"block_<id>":{...}`` member, written exactly as
  ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` writes the server's
  block object (the description quoted by the database's JSON quoting, which escapes
  as Python's does; a test holds them equal).

The statement converts what the engine writes: instants to the whole second (it drops
microseconds), stops within :data:`MARGIN` of the report's last start. Any other row (a
fraction of a second written behind the engine's back, a block running on for more than
:data:`MARGIN` past the report) is marked, and converted in Python by the rule the
statement replaces (:func:`~tracktray.engine.scope.block_from_values`): never a wrong
time, at worst a slower row. The SQL keeps to functions SQLite has had for years
(``julianday``, ``datetime``, ``printf``) plus JSON1's ``json_quote``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from tracktray.domain import Block
from tracktray.engine.readpath import Dialect

__all__ = [
    "MARGIN",
    "MARK",
    "block_fields",
    "block_member",
    "covering_stretches",
    "member_select",
    "offset_stretches",
    "row_select",
]

#: how far past the last start a stop is converted by the database
MARGIN = dt.timedelta(days=8)
#: around the id of a row the database could not convert, in place of its member: JSON
#: text holds control characters only escaped, so this is never part of a member
MARK = "\x01"
#: offsets are sampled this far apart, then each change is pinned to its second; tz
#: data has no zone whose offset changes and changes back within a few hours
_SAMPLE_S = 3 * 3600

_TIME_TEXT = "YYYY-MM-DD HH24:MI:SS"
_MEMBER = (
    '"block_{id}":{{"Id":{id},"ProfileId":{profile},"TrackerId":{tracker},'
    '"Description":{description},"TimeIn":"{time_in}","TimeOut":"{time_out}",'
    '"Total":{total},"Free":{free}}}'
)
Stretches = Sequence[tuple[int, int]]


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


_DAY_S = 86400


def covering_stretches(tz: ZoneInfo, first: int, last: int) -> Sequence[tuple[int, int]]:
    """:func:`offset_stretches` of the whole UTC days around ``[first, last]``, the first
    stretch starting at or before ``first``. Remembered: finding the changes samples the
    zone every few hours, ~8 ms for a year, and a zone's offsets never change while
    the program runs (zoneinfo keeps the zone itself)."""
    return _day_stretches(tz, first // _DAY_S, -(-last // _DAY_S))


@functools.lru_cache(maxsize=64)
def _day_stretches(tz: ZoneInfo, first_day: int, last_day: int) -> tuple[tuple[int, int], ...]:
    return tuple(offset_stretches(tz, first_day * _DAY_S, last_day * _DAY_S))


def _instant(dialect: Dialect, second: int) -> str:
    """A whole second as an SQL literal comparable with a stored time column (SQLite
    keeps SQLAlchemy's text form, "YYYY-MM-DD HH:MM:SS.ffffff", where text order is
    time order)."""
    naive = dt.datetime.fromtimestamp(second, dt.UTC).replace(tzinfo=None)
    if dialect == "sqlite":
        return f"'{naive:%Y-%m-%d %H:%M:%S}.000000'"
    return f"TIMESTAMP '{naive:%Y-%m-%d %H:%M:%S}'"


def _whole(dialect: Dialect, col: str) -> str:
    """``col`` is a whole second."""
    if dialect == "sqlite":
        return f"substr({col}, 20) = '.000000'"
    return f"{col} = date_trunc('second', {col})"


def _elapsed(dialect: Dialect, start: str, end: str) -> str:
    """Whole seconds from ``start`` to ``end`` (whole seconds both), never negative."""
    if dialect == "sqlite":
        return f"MAX(0, {_signed_elapsed(start, end)})"
    return f"GREATEST(0, CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS BIGINT))"


def _signed_elapsed(start: str, end: str) -> str:
    """SQLite: whole seconds from ``start`` to ``end`` when that is not negative, some
    number not above 0 otherwise. julianday's double is within a millisecond of the
    whole second, so adding half a second and truncating rounds it (one function call
    fewer than ``round``); below zero truncation rounds up, to 0 at most."""
    return f"CAST((julianday({end}) - julianday({start})) * 86400 + 0.5 AS INTEGER)"


def _shifted(dialect: Dialect, col: str, offset: int, *, cut: bool = False) -> str:
    """``col`` plus ``offset`` seconds as ``YYYY-MM-DD HH:MM:SS``; ``cut``: SQLite may
    leave the stored text's fraction of a second on, a ``printf`` ``%.19s`` cuts it."""
    if dialect == "sqlite":
        if offset == 0:
            return col if cut else f"substr({col}, 1, 19)"
        return f"datetime({col}, '{int(offset):+d} seconds')"
    moved = col if offset == 0 else f"{col} + INTERVAL '{int(offset)} seconds'"
    return f"to_char({moved}, '{_TIME_TEXT}')"


def _wall(dialect: Dialect, col: str, stretches: Stretches, *, cut: bool = False) -> str:
    """The wall time of ``col`` (at or after the first stretch): a ``CASE`` on them
    (``cut`` as :func:`_shifted`)."""
    arms = []
    for (_, offset), (upto, _next) in itertools.pairwise(stretches):
        shifted = _shifted(dialect, col, offset, cut=cut)
        arms.append(f"WHEN {col} < {_instant(dialect, upto)} THEN {shifted}")
    last = _shifted(dialect, col, stretches[-1][1], cut=cut)
    return f"CASE {' '.join(arms)} ELSE {last} END" if arms else last


def _worked(dialect: Dialect, now: int) -> str:
    """The worked-time rule of :mod:`tracktray.domain.worktime`; ``now`` whole seconds."""
    end = f"COALESCE(stop_utc, {_instant(dialect, now)})"
    pause = f"CASE WHEN paused_at IS NULL THEN 0 ELSE {_elapsed(dialect, 'paused_at', end)} END"
    if dialect == "sqlite":
        # Every SQL function call costs a year's report some milliseconds: the time
        # taken is never negative, so the outer MAX already makes an elapsed time below
        # zero worth 0, and the break's MAX is a CASE (no call).
        taken = f"CASE WHEN break_s > 0 THEN break_s ELSE 0 END - {pause}"
        return f"MAX(0, {_signed_elapsed('start_utc', end)} - {taken})"
    taken = f"(GREATEST(0, break_s) + {pause})"
    return f"GREATEST(0, {_elapsed(dialect, 'start_utc', end)} - {taken})"


def _convertible(dialect: Dialect, end: int) -> str:
    """The row is one the statement converts exactly (see the module's docstring)."""
    whole_stop = f"{_whole(dialect, 'stop_utc')} AND stop_utc < {_instant(dialect, end)}"
    return (
        f"({_whole(dialect, 'start_utc')}"
        f" AND (stop_utc IS NULL OR ({whole_stop}))"
        f" AND (paused_at IS NULL OR {_whole(dialect, 'paused_at')}))"
    )


def row_select(dialect: Dialect, stretches: Stretches, end: int, now: int) -> str:
    """Columns ``id, profile_id, tracker_id, description, time_in, time_out, total, free,
    break_s, convertible``: ``time_out`` empty while open; the wall times and total of
    a row that is not ``convertible`` are meaningless.

    ``stretches`` start at or before the first start; stops are converted up to ``end``
    (exclusive); ``now`` ends the open block (UNIX seconds, both).
    """
    time_in = _wall(dialect, "start_utc", stretches)
    time_out = (
        f"CASE WHEN stop_utc IS NULL THEN '' ELSE {_wall(dialect, 'stop_utc', stretches)} END"
    )
    return (
        f"id, profile_id, tracker_id, description, {time_in}, {time_out}, "
        f"{_worked(dialect, now)}, free, break_s, {_convertible(dialect, end)}"
    )


def member_select(dialect: Dialect, stretches: Stretches, end: int, now: int) -> str:
    """One column: the block's JSON member of the ``report`` answer, or the block's id
    between two :data:`MARK` for a row that is not convertible (arguments as
    :func:`row_select`)."""
    fields = {
        "total": _worked(dialect, now),
        "free": "CASE WHEN free THEN 'true' ELSE 'false' END",
    }
    if dialect == "sqlite":
        # One printf: much cheaper than a chain of ||. Every function call costs a
        # year's report milliseconds, so the wall times are the stored text (or
        # datetime()'s) cut by ``%.19s``, and an open block's stop is NULL, which
        # printf writes as nothing.
        fields |= {
            "id": "id",
            "profile": "profile_id",
            "tracker": "COALESCE(tracker_id, 'null')",
            "description": "json_quote(description)",
            "time_in": _wall(dialect, "start_utc", stretches, cut=True),
            "time_out": _wall(dialect, "stop_utc", stretches, cut=True),
        }
        template = _MEMBER.format(
            id="%d", profile="%d", tracker="%s", description="%s", time_in="%.19s",
            time_out="%.19s", total="%d", free="%s",
        )  # fmt: skip
        order = ("id", "id", "profile", "tracker", "description", "time_in", "time_out")
        arguments = ", ".join(fields[k] for k in (*order, "total", "free"))
        member = f"printf({_literal(template)}, {arguments})"
    else:  # format() would clash with the driver's %s markers
        fields |= {
            "time_in": _wall(dialect, "start_utc", stretches),
            "time_out": (
                f"CASE WHEN stop_utc IS NULL THEN '' "
                f"ELSE {_wall(dialect, 'stop_utc', stretches)} END"
            ),
            "id": "CAST(id AS TEXT)",
            "profile": "CAST(profile_id AS TEXT)",
            "tracker": "COALESCE(CAST(tracker_id AS TEXT), 'null')",
            "description": "CAST(to_json(description) AS TEXT)",
            "total": f"CAST({fields['total']} AS TEXT)",
        }
        marks = {k: "\x00" + k + "\x00" for k in fields}
        pieces = _MEMBER.format(**marks).split("\x00")
        member = " || ".join(
            fields[piece] if i % 2 else _literal(piece) for i, piece in enumerate(pieces)
        )
    if dialect == "sqlite":
        marker = "char(1) || id || char(1)"
    else:
        marker = "chr(1) || CAST(id AS TEXT) || chr(1)"
    return f"CASE WHEN {_convertible(dialect, end)} THEN {member} ELSE {marker} END"


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
