"""Local mode's clicks on a stdlib ``sqlite3`` connection (engine/plainwrite.py).

The rules themselves are held to the engine's results by the rule tests (the ``clicks``
fixture runs them both ways); here, what the plain transactions must do like the
engine's: take turns with other writers, keep the database's own guarantees, refuse in
the same words, and never load SQLAlchemy.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.clicks import Clicks
from tests.support.clock import FakeClock
from tests.support.org import new_user
from tracktray.engine import Engine, Refused
from tracktray.engine import clicks as click_rules
from tracktray.engine.plainwrite import PlainTracking
from tracktray.engine.readpath import PlainReader


@pytest.fixture
def readers(tmp_path: Path, engine: Engine) -> Iterator[list[PlainReader]]:
    """Two plain connections to the engine's file (a widget and a CLI, say)."""
    opened = [PlainReader.open(tmp_path / "engine.sqlite") for _ in range(2)]
    assert all(r is not None for r in opened)
    yield [r for r in opened if r is not None]
    for reader in opened:
        assert reader is not None
        reader.close()


def test_plain_and_engine_starts_racing_leave_exactly_one_open_block(
    engine: Engine, tree: dict[str, int], readers: list[PlainReader], clock: FakeClock
) -> None:
    pid = new_user(engine, tree).profile_id
    starters: list[Clicks] = [engine, *(PlainTracking(r, clock=clock) for r in readers)]
    barrier = threading.Barrier(len(starters))
    outcomes: list[str] = []
    lock = threading.Lock()

    def start(by: Clicks, tracker: str) -> None:
        barrier.wait()
        try:
            by.start(pid, tree[tracker])
            result = "started"
        except Refused as exc:
            result = str(exc)
        with lock:
            outcomes.append(result)

    threads = [
        threading.Thread(target=start, args=(by, tracker))
        for by, tracker in zip(starters, ("Acme/Website", "Acme/Support", "Internal"), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # BEGIN IMMEDIATE: each waits its turn and sees the block of the one before
    assert len(outcomes) == len(starters) and outcomes.count("started") == 1, outcomes
    assert all("already running" in o for o in outcomes if o != "started")


def test_a_plain_click_holds_the_write_lock_from_its_first_statement(
    engine: Engine, tree: dict[str, int], readers: list[PlainReader], clock: FakeClock
) -> None:
    """``BEGIN IMMEDIATE``, as the engine's writes: a click that only read first would
    find another writer's commit between its check and its write (and fail)."""
    pid = new_user(engine, tree).profile_id
    path = engine.db.url.database
    assert path is not None
    other = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
    tried: list[str] = []

    def traced(statement: str) -> None:
        if statement.startswith("SELECT p.timezone"):  # the click's first read
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                tried.append("another writer got in")
            except sqlite3.OperationalError as exc:
                tried.append(str(exc))

    with readers[0].transaction() as conn:
        conn.set_trace_callback(traced)
    try:
        PlainTracking(readers[0], clock=clock).start(pid)
    finally:
        other.close()
    assert tried == ["database is locked"]


def test_an_open_that_loses_to_the_unique_index_is_refused_in_the_same_words(
    engine: Engine, tree: dict[str, int], clicks: Clicks, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = new_user(engine, tree).profile_id
    clicks.start(pid)
    # another writer's open block that the rule's own check did not see
    monkeypatch.setattr(click_rules, "open_block", lambda *args: None)
    with pytest.raises(Refused, match=r"^A block is already running; stop or switch instead\.$"):
        clicks.start(pid, tree["Acme/Support"])
    monkeypatch.undo()
    running = clicks.status(pid).running
    assert running is not None and running.tracker.id == tree["Acme/Website"]


def test_the_plain_connection_is_set_up_as_the_engines(
    engine: Engine, readers: list[PlainReader]
) -> None:
    with readers[0].transaction() as conn:
        plain = [conn.execute(p).fetchone() for p in _PRAGMAS]
    with engine.db.connect() as sa:
        driver = sa.connection.dbapi_connection
        assert driver is not None
        by_engine = [driver.execute(p).fetchone() for p in _PRAGMAS]
    assert plain == by_engine == [("wal",), (1,), (30000,), (1,)]


_PRAGMAS = (
    "PRAGMA journal_mode",
    "PRAGMA foreign_keys",
    "PRAGMA busy_timeout",
    "PRAGMA synchronous",
)


def test_plain_clicks_load_no_sqlalchemy(
    engine: Engine, tree: dict[str, int], tmp_path: Path
) -> None:
    pid = new_user(engine, tree).profile_id
    probe = textwrap.dedent(
        f"""
        import datetime as dt, json, sys
        from tracktray.engine.plainwrite import PlainTracking
        from tracktray.engine.readpath import PlainReader
        reader = PlainReader.open({str(tmp_path / "engine.sqlite")!r})
        clicks = PlainTracking(reader)
        clicks.start({pid})
        clicks.switch({pid}, {tree["Acme/Support"]}, "described")
        clicks.stop({pid}, "", dt.datetime.now(dt.UTC))
        clicks.day_total({pid})
        reader.close()
        print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in
                                ("sqlalchemy", "alembic"))))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == []
