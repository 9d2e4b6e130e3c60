"""The sums of finished blocks the database keeps for ``status`` (migration 0004).

Whoever writes a block (the engine's rules, a hand edit, a bulk delete), the sums per
person, quarter hour, tracker and free must stay what summing the blocks gives; and a
day that does not begin on a quarter hour (a zone's local mean time of old) is summed
from the blocks themselves, by the same rule.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.engine import Engine as SAEngine

from tests.support.clicks import Clicks
from tests.support.clock import FakeClock
from tests.support.org import new_user
from tracktray.domain.localtime import day_bounds
from tracktray.domain.localtime import zone as zone_of
from tracktray.engine import Engine
from tracktray.engine.database import connect, migrate
from tracktray.engine.tables import block_sums, blocks

UTC = dt.UTC
Key = tuple[int, int, int, bool]


def sums_from_blocks(conn: Connection) -> Counter[Key]:
    """What the sums must be: every finished project block, summed in Python."""
    out: Counter[Key] = Counter()
    for row in conn.execute(select(blocks).where(blocks.c.kind == "project")):
        if row.stop_utc is None:
            continue
        quarter = int(row.start_utc.timestamp()) // 900  # floored, also before 1970
        key = (row.profile_id, quarter, row.tracker_id or 0, bool(row.free))
        out[key] += round((row.stop_utc - row.start_utc).total_seconds()) - row.break_s
    return +out  # without keys summing to zero


def stored_sums(conn: Connection) -> Counter[Key]:
    out: Counter[Key] = Counter()
    for row in conn.execute(select(block_sums)):
        out[(row.profile_id, row.quarter, row.tracker_id, bool(row.free))] += row.seconds
    return +out


def assert_sums_match(db: SAEngine) -> None:
    with db.connect() as conn:
        expected = sums_from_blocks(conn)
        assert expected  # the test wrote something to compare
        assert stored_sums(conn) == expected


def test_the_sums_follow_every_write_to_blocks(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    clock.set(dt.datetime(2026, 11, 23, 16, 0, tzinfo=UTC))
    me = new_user(engine, tree).profile_id
    other = new_user(engine, tree, timezone="Asia/Kathmandu").profile_id  # UTC+5:45
    web, support = tree["Acme/Website"], tree["Acme/Support"]
    day = dt.date(2026, 11, 23)
    at = dt.datetime.combine
    # the rules: start/stop, switch, add closed and open, free time, edits
    clicks.start(me, web)
    clock.advance(minutes=7, seconds=13)
    clicks.switch(me, support, "first")
    clock.advance(minutes=3)
    clicks.stop(me, "second")
    engine.add(me, at(day, dt.time(8, 5)), at(day, dt.time(8, 50)), support)
    moved = engine.add(me, at(day, dt.time(9, 0)), at(day, dt.time(9, 40)), web)
    engine.add_free(me, Decimal("2.5"), day, tree["Internal/Holidays"])
    engine.edit_block(
        me, moved.id, start=at(day, dt.time(10, 14)), stop=at(day, dt.time(11, 2)),
        tracker_id=support, description="moved",
    )  # fmt: skip
    engine.add(other, at(day, dt.time(6, 0)), at(day, dt.time(6, 30)), web)
    opened = engine.add(other, at(day, dt.time(7, 0)), None, web)
    clock.advance(minutes=1)
    clicks.stop(other)
    assert_sums_match(engine.db)
    # behind the engine's back: breaks, another tracker, another kind, no tracker,
    # another owner, deletes
    with engine.db.begin() as conn:
        conn.execute(text("UPDATE blocks SET break_s = 120 WHERE id = :id"), {"id": moved.id})
        conn.execute(
            text("UPDATE blocks SET tracker_id = :t WHERE id = :id"), {"t": web, "id": opened.id}
        )
        conn.execute(text("UPDATE blocks SET profile_id = :p WHERE id = :id"), {"p": me, "id": 1})
        conn.execute(
            text(
                "UPDATE blocks SET kind = 'attendance', tracker_id = NULL WHERE id = "
                "(SELECT MAX(id) FROM blocks WHERE free = :f)"
            ),
            {"f": True},
        )
        conn.execute(
            text(
                "INSERT INTO blocks (profile_id, tracker_id, start_utc, stop_utc, created_at, "
                "updated_at) VALUES (:p, NULL, '2026-11-23 12:00:00', '2026-11-23 12:20:00', "
                "'2026-11-23 12:20:00', '2026-11-23 12:20:00')"
            ),
            {"p": me},
        )
    assert_sums_match(engine.db)
    status = clicks.status(me)
    assert status.daytotal_s == (7 * 60 + 13) + 3 * 60 + 45 * 60 + (48 * 60 - 120) + 20 * 60
    with engine.db.begin() as conn:
        conn.execute(text("DELETE FROM blocks WHERE id = :id"), {"id": moved.id})
    assert_sums_match(engine.db)
    assert clicks.status(me).daytotal_s == status.daytotal_s - (48 * 60 - 120)
    # 06:00-06:30, and 07:00 until the stop at 16:11:13 UTC = 21:56:13 in Kathmandu
    assert clicks.status(other).daytotal_s == 30 * 60 + (14 * 3600 + 56 * 60 + 13)


def test_a_day_that_does_not_begin_on_a_quarter_hour_is_summed_from_its_blocks(
    engine: Engine, tree: dict[str, int], clock: FakeClock, clicks: Clicks
) -> None:
    # Amsterdam kept its local mean time (UTC+0:19:32) until 1937: midnight was 23:40:28
    clock.set(dt.datetime(1935, 6, 1, 20, 0, tzinfo=UTC))
    pid = new_user(engine, tree, timezone="Europe/Amsterdam").profile_id
    day = dt.date(1935, 6, 1)
    at = dt.datetime.combine
    engine.add(pid, at(day, dt.time(0, 5)), at(day, dt.time(0, 35)))  # 23:45 UTC the day before
    engine.add(pid, at(day - dt.timedelta(days=1), dt.time(23, 50)), at(day, dt.time(0, 1)))
    engine.add(pid, at(day, dt.time(9, 0)), at(day, dt.time(9, 10)))
    assert_sums_match(engine.db)  # quarters before 1970 are floored too
    assert clicks.day_total(pid) == 40 * 60


def test_the_migration_sums_the_blocks_already_stored(tmp_path: Path) -> None:
    db = connect(f"sqlite:///{tmp_path / 'old.sqlite'}")
    try:
        check_migration_fills_the_sums(db)
    finally:
        db.dispose()


def check_migration_fills_the_sums(db: SAEngine) -> None:
    """Blocks written at revision 0003 are in the sums once the database is upgraded."""
    migrate(db, "0003_tracker_version")
    rows = [
        # (kind, start, stop, free, break_s, tracker)
        ("project", "2026-11-20 08:00:00", "2026-11-20 09:00:00", False, 0, 1),
        ("project", "2026-11-20 08:10:00", "2026-11-20 08:20:30", False, 30, 1),
        ("project", "2026-11-20 09:00:00", "2026-11-20 17:00:00", True, 0, 1),
        ("project", "2026-11-20 10:00:00", None, False, 0, None),
        ("attendance", "2026-11-20 07:00:00", "2026-11-20 18:00:00", False, 600, None),
        ("project", "1960-01-01 00:07:00", "1960-01-01 00:08:00", False, 0, 1),
    ]
    with db.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO trackers (id, name, abbreviation, archived, created_at) "
                "VALUES (1, 'Old', '', false, '2025-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO profiles (id, username, password_hash, created_at) "
                "VALUES (1, 'old', 'x', '2025-01-01 00:00:00')"
            )
        )
        for kind, start, stop, free, break_s, tracker in rows:
            conn.execute(
                text(
                    "INSERT INTO blocks (profile_id, tracker_id, kind, start_utc, stop_utc, "
                    "free, break_s, created_at, updated_at) VALUES (1, :t, :k, :a, :b, :f, "
                    ":br, :a, :a)"
                ),
                {"t": tracker, "k": kind, "a": start, "b": stop, "f": free, "br": break_s},
            )
    migrate(db)
    assert_sums_match(db)
    with db.connect() as conn:
        assert len(stored_sums(conn)) == 3  # two trackers' quarters merged, free apart


@pytest.mark.parametrize("zone", ["Europe/Brussels", "Asia/Kathmandu", "Australia/Eucla"])
def test_every_zones_day_today_begins_on_a_quarter_hour(zone: str) -> None:
    """What lets ``status`` read the sums: its day's bounds fall on quarter hours."""
    tz = zone_of(zone)
    for offset in range(0, 366, 5):
        begin, end = day_bounds(dt.date(2026, 1, 1) + dt.timedelta(days=offset), tz)
        assert int(begin.timestamp()) % 900 == 0 and int(end.timestamp()) % 900 == 0
