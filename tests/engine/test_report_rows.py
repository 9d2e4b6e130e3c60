"""The report's rows built by the database equal the Python rule they replace.

Over two years of varied blocks (DST changes in several zones, offsets of half and
three-quarter hours, fractions of seconds, pauses open and closed, free time, a running
block, blocks without a tracker, descriptions that need JSON escaping) the engine's
``report`` equals, block for block, what ``block_from_values`` makes of the stored rows,
and ``report_members`` equals, byte for byte, the JSON the server wrote for those blocks.
Collected again against PostgreSQL in ``test_postgres.py``.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from tests.engine.conftest import NOW
from tests.support.org import new_user
from tracktray.domain import Block, ReportQuery
from tracktray.engine import Engine, reporting
from tracktray.engine.readpath import instant
from tracktray.engine.reportsql import (
    MARGIN,
    block_member,
    covering_stretches,
    offset_stretches,
)
from tracktray.engine.scope import BLOCK_COLUMNS, Scope, block_from_values
from tracktray.engine.tables import blocks

D = dt.datetime

ZONES = (
    "Europe/Brussels",
    "America/New_York",
    "Australia/Lord_Howe",  # DST of half an hour
    "Asia/Kolkata",  # +05:30
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/St_Johns",  # -03:30 / -02:30
    "UTC",
)
NOTES = (
    "",
    "plain",
    'quote " and backslash \\ and slash /',
    "tab\tnew line\ncarriage\rbell\x07 form\x0c back\x08 unit\x1f del\x7f",
    "ünïcödé — ✓ 日本語 😀 \u2028\u2029 \ufeff",
    "it's <xml> & {json}",
)


def _fill(engine: Engine, profile_id: int, trackers: list[int | None]) -> None:
    """~1,500 blocks from 2025-01 to today; the last one still running (and paused).
    Returns the ids of those the database cannot convert."""
    rng = random.Random(17)
    at = dt.datetime(2025, 1, 1, 6, 0, tzinfo=dt.UTC)
    rows = []
    while at < NOW - dt.timedelta(days=2):
        length = dt.timedelta(seconds=rng.choice((59, 600, 3599, 5 * 3600 + 17)))
        # the engine writes whole seconds; rows written behind its back may not
        fraction = rng.choice((0,) * 20 + (1, 499_999, 500_000, 999_999))
        start = at + dt.timedelta(microseconds=fraction)
        stop = start + length + dt.timedelta(microseconds=rng.choice((0,) * 20 + (1, 999_999)))
        paused = None
        if rng.random() < 0.05:  # a pause left open on a closed block (TimeTrack data)
            paused = start + dt.timedelta(seconds=length.seconds // 2)
        rows.append(
            {
                "profile_id": profile_id,
                "tracker_id": rng.choice(trackers),
                "kind": "project",
                "start_utc": start,
                "stop_utc": stop,
                "description": rng.choice(NOTES),
                "free": rng.random() < 0.1,
                "break_s": rng.choice((0, 0, 30, 100_000, -5)),
                "paused_at": paused,
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
        at += dt.timedelta(hours=rng.choice((1, 7, 11, 13)))
    # a block lasting longer than the converted margin: the last one of a report that
    # ends on 2025-06-01, so its stop is converted by the Python fallback
    long_start = dt.datetime(2025, 5, 31, 21, 0, tzinfo=dt.UTC)
    rows.append({**rows[-1], "start_utc": long_start, "stop_utc": long_start + MARGIN * 2})
    rows.append(
        {
            **rows[-1],
            "start_utc": NOW - dt.timedelta(hours=3, seconds=7),
            "stop_utc": None,
            "paused_at": NOW - dt.timedelta(minutes=20),
            "break_s": 300,
        }
    )
    with engine.db.begin() as conn:
        conn.execute(insert(blocks), rows)


def _expected(engine: Engine, profile_id: int, query: ReportQuery, tz: ZoneInfo) -> list[Block]:
    """The rule the database replaces: every stored row converted in Python."""
    begin = (query.start or dt.datetime(2000, 1, 1)).replace(tzinfo=tz)
    end = (query.stop or dt.datetime(2100, 1, 1)).replace(tzinfo=tz)
    out = []
    with engine.db.connect() as conn:
        rows = conn.exec_driver_sql(
            f"SELECT {BLOCK_COLUMNS}, kind FROM blocks ORDER BY start_utc, id"
        ).all()
    for row in rows:
        block = block_from_values(row[:9], tz, NOW)
        started = block_from_values(row[:9], ZoneInfo("UTC"), NOW).time_in
        if row[1] != profile_id or row[9] != "project":
            continue
        if not begin <= started.replace(tzinfo=dt.UTC) < end:
            continue
        if query.free is not None and block.free != query.free:
            continue
        if block.time_out is None and not query.include_open:
            continue
        out.append(block)
    return out


@pytest.mark.parametrize("zone_name", ZONES)
def test_database_rows_equal_the_python_rule(
    engine: Engine, tree: dict[str, int], zone_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_python: list[int] = []
    python_rule = reporting._by_python

    def spied(scope: Scope, ids: list[int], tz: ZoneInfo) -> dict[int, Block]:
        by_python.extend(ids)
        return python_rule(scope, ids, tz)

    monkeypatch.setattr(reporting, "_by_python", spied)
    pid = new_user(engine, tree).profile_id
    _fill(engine, pid, [tree["Acme/Website"], tree["Acme/Support"], None])
    queries = (
        ReportQuery(start=dt.datetime(2025, 1, 1), stop=dt.datetime(2026, 12, 1)),
        ReportQuery(
            start=dt.datetime(2025, 1, 1),
            stop=dt.datetime(2026, 12, 1),
            include_open=True,
            free=False,
        ),
        ReportQuery(start=D(2025, 3, 1), stop=D(2025, 11, 1), free=True),
        ReportQuery(start=D(2025, 5, 1), stop=D(2025, 6, 2)),  # the long block last
    )
    tz = ZoneInfo(zone_name)
    sliced = 0
    for query in queries:
        query = ReportQuery(
            start=query.start,
            stop=query.stop,
            timezone=zone_name,
            free=query.free,
            include_open=query.include_open,
        )
        want = _expected(engine, pid, query, tz)
        assert len(want) > 3
        assert engine.report(pid, query) == want
        members = ",".join(block_member(b) for b in want)
        assert engine.report_members(pid, query) == members
        # in slices of about 40 blocks: each piece of time its own statement
        slices = list(engine.report_member_slices(pid, query, 40))
        assert ",".join(slices) == members
        sliced += len(slices)
    assert sliced > 20
    # fractions of seconds and the long block by Python, everything else by the database
    assert set(by_python) == _not_whole_seconds(engine) | {_long_block(engine)}


def _not_whole_seconds(engine: Engine) -> set[int]:
    with engine.db.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, start_utc, stop_utc, paused_at FROM blocks").all()
    return {r[0] for r in rows if any(t is not None and instant(t).microsecond for t in r[1:])}


def _long_block(engine: Engine) -> int:
    with engine.db.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, start_utc FROM blocks").all()
    started = dt.datetime(2025, 5, 31, 21, 0, tzinfo=dt.UTC)
    return int(next(r[0] for r in rows if instant(r[1]) == started))


def test_only_the_trackers_a_manager_sees_come_back(engine: Engine, tree: dict[str, int]) -> None:
    manager = new_user(engine, tree, prefix="manager")
    engine.grant_role(manager.profile_id, tree["Acme/Website"], can_see_reporting=True)
    worker = new_user(engine, tree, prefix="worker").profile_id
    _fill(engine, worker, [tree["Acme/Website/Design"], tree["Acme/Support"], None])
    query = ReportQuery(profile_id=worker, start=dt.datetime(2025, 1, 1))
    got = engine.report(manager.profile_id, query)
    assert got and {b.tracker_id for b in got} == {tree["Acme/Website/Design"]}
    members = engine.report_members(manager.profile_id, query)
    assert members == ",".join(block_member(b) for b in got)
    assert engine.report_members(worker, ReportQuery(start=D(2030, 1, 1), stop=D(2031, 1, 1))) == ""


def test_offset_stretches_find_each_change_to_the_second() -> None:
    tz = ZoneInfo("Europe/Brussels")
    first = int(dt.datetime(2025, 1, 1, tzinfo=dt.UTC).timestamp())
    last = int(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp())
    spring = int(dt.datetime(2025, 3, 30, 1, 0, tzinfo=dt.UTC).timestamp())
    autumn = int(dt.datetime(2025, 10, 26, 1, 0, tzinfo=dt.UTC).timestamp())
    assert offset_stretches(tz, first, last) == [(first, 3600), (spring, 7200), (autumn, 3600)]
    assert offset_stretches(ZoneInfo("UTC"), first, last) == [(first, 0)]
    # remembered for whole days: the same changes, the first stretch from midnight UTC
    covering = covering_stretches(tz, first + 5000, last - 5000)
    assert list(covering) == [(first, 3600), (spring, 7200), (autumn, 3600)]
