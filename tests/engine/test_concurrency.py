"""One open block per profile, guaranteed by the database itself."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from tests.support.org import new_user
from tracktray.engine import Engine, Refused
from tracktray.engine.tables import blocks


def test_concurrent_starts_leave_exactly_one_open_block(
    engine: Engine, tree: dict[str, int]
) -> None:
    pid = new_user(engine, tree).profile_id
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    lock = threading.Lock()

    def start(tracker: str) -> None:
        barrier.wait()
        try:
            engine.start(pid, tree[tracker])
            result = "started"
        except Refused as exc:
            result = str(exc)
        with lock:
            outcomes.append(result)

    threads = [
        threading.Thread(target=start, args=(t,))
        for t in ("Acme/Website", "Acme/Support", "Internal", "Acme/Website/Design")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("started") == 1
    assert all("already running" in o for o in outcomes if o != "started")
    assert engine.status(pid).running is not None


def test_the_database_refuses_a_second_open_block_even_behind_pythons_back(
    engine: Engine, tree: dict[str, int]
) -> None:
    pid = new_user(engine, tree).profile_id
    engine.start(pid)
    now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    row = dict(
        profile_id=pid, tracker_id=tree["Acme"], start_utc=now, created_at=now, updated_at=now
    )
    with pytest.raises(IntegrityError), engine.db.begin() as conn:
        conn.execute(insert(blocks).values(**row))
    # an open block of the other kind (attendance) is independent
    with engine.db.begin() as conn:
        conn.execute(insert(blocks).values(kind="attendance", **row))
