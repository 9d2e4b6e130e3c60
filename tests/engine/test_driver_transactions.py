"""The widget's everyday calls run on a pooled driver connection (engine/drivertx.py):
they must commit, roll back and fail exactly as SQLAlchemy's transactions do. These run
on SQLite here (the rollback also on local mode's plain connection) and on PostgreSQL in
test_postgres.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from tests.support.clicks import Clicks
from tests.support.org import new_user
from tracktray.engine import Engine
from tracktray.engine import clicks as click_rules
from tracktray.engine.database import connect
from tracktray.engine.drivertx import WouldWait


def test_a_click_that_fails_after_writing_leaves_nothing_behind(
    engine: Engine, tree: dict[str, int], clicks: Clicks, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = new_user(engine, tree).profile_id
    clicks.start(pid)
    with monkeypatch.context() as patched:

        def broken(*args: object) -> None:
            raise RuntimeError("after the writes")

        patched.setattr(click_rules, "status", broken)
        with pytest.raises(RuntimeError):
            clicks.switch(pid, tree["Acme/Support"], "closed, then rolled back")
    status = clicks.status(pid)  # the switch's close and insert were rolled back
    assert status.running is not None and status.running.tracker.id == tree["Acme/Website"]
    assert clicks.stop(pid) > 0
    assert engine.status(pid).running is None  # committed


def test_an_unreachable_database_raises_sqlalchemys_error(tmp_path: Path) -> None:
    engine = Engine(connect(f"postgresql://nobody@/nothing?host={tmp_path}"))
    try:
        with pytest.raises(DBAPIError):  # what a server answers with 503
            engine.status(1)
        with pytest.raises(DBAPIError):
            engine.start(1)
    finally:
        engine.close()


def test_a_write_that_must_not_wait_says_so_and_does_nothing(
    engine: Engine, tree: dict[str, int]
) -> None:
    pid = new_user(engine, tree).profile_id
    path = engine.db.url.database
    assert path is not None
    holder = sqlite3.connect(path, timeout=30)
    holder.execute("BEGIN IMMEDIATE")  # another process writing
    try:
        with pytest.raises(WouldWait):
            engine.without_waiting().start(pid)
        assert engine.without_waiting().status(pid).running is None  # reads never wait
    finally:
        holder.rollback()
        holder.close()
    assert engine.without_waiting().start(pid).running is not None
