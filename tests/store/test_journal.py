"""The journal file: durable rows in click order, shared by processes, never dropped."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from tracktray.store.journal import Journal

WRITER = """
import datetime as dt, sys
from pathlib import Path
from tracktray.store.journal import Journal
journal = Journal(Path(sys.argv[1]))
for n in range(30):
    now = dt.datetime.now(dt.UTC)
    journal.append("work", "start", {"n": n}, clicked_at=now, source=sys.argv[2])
"""


def test_entries_keep_their_time_and_order_until_finished(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    clicked = dt.datetime(2026, 11, 29, 9, 28, 30, 250000, tzinfo=dt.UTC)
    first = journal.append("work", "stop", {"description": "d"}, clicked_at=clicked, source="cli")
    second = journal.append("work", "start", {"tracker_id": 3}, clicked_at=clicked, source="w")
    journal.append("home", "start", {}, clicked_at=clicked, source="w")
    assert [e.id for e in Journal(tmp_path).unfinished("work")] == [first.id, second.id]
    assert Journal(tmp_path).unfinished("work")[0].clicked_at == clicked
    journal.mark_sending(first.id)
    (sending, _) = journal.unfinished("work")
    assert sending.state == "sending" and sending.attempts == 1
    journal.finish(first.id, "done", "Stopped.")
    assert [e.id for e in journal.unfinished("work")] == [second.id]
    # pruning forgets old finished entries only, never one still waiting
    journal.prune(dt.datetime.now(dt.UTC) + dt.timedelta(days=365))
    assert [e.kind for e in journal.entries()] == ["start", "start"]


def test_two_processes_writing_at_once_lose_no_entry(tmp_path: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), name])
        for name in ("cli", "widget")
    ]
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    entries = Journal(tmp_path).unfinished("work")
    assert len(entries) == 60
    for source in ("cli", "widget"):
        assert [e.args["n"] for e in entries if e.source == source] == list(range(30))


def test_a_clock_set_back_never_puts_a_click_before_the_previous_one(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    first = dt.datetime(2026, 11, 29, 9, 0, 30, tzinfo=dt.UTC)
    journal.append("work", "start", {}, clicked_at=first, source="w")
    later = journal.append(
        "work", "stop", {}, clicked_at=first - dt.timedelta(seconds=20), source="w"
    )
    assert later.clicked_at == first
    other = journal.append("home", "stop", {}, clicked_at=first - dt.timedelta(hours=1), source="w")
    assert other.clicked_at == first - dt.timedelta(hours=1)  # per account


def test_reading_neither_waits_for_a_writer_nor_creates_the_file(tmp_path: Path) -> None:
    import sqlite3

    assert Journal(tmp_path).unfinished("work") == []
    assert not (tmp_path / "journal.sqlite").exists()
    journal = Journal(tmp_path)
    now = dt.datetime.now(dt.UTC)
    entry = journal.append("work", "start", {}, clicked_at=now, source="cli")
    writer = sqlite3.connect(tmp_path / "journal.sqlite", timeout=0, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # the widget in the middle of a write
        writer.execute("UPDATE actions SET state = 'done' WHERE id = ?", (entry.id,))
        # asking for the write lock would wait out the busy timeout, then fail
        assert [e.id for e in Journal(tmp_path).unfinished("work")] == [entry.id]
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_each_click_finds_the_latest_click_time_without_reading_every_entry(
    tmp_path: Path,
) -> None:
    """``append`` (every click) and ``last_click`` ask for the account's latest click
    time: through an index, not by walking the 60 days of finished entries kept."""
    import sqlite3

    journal = Journal(tmp_path)
    clicked = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)
    journal.append("work", "start", {}, clicked_at=clicked, source="w")
    with sqlite3.connect(journal.path) as conn:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT MAX(clicked_at) FROM actions WHERE account_id = ?",
            ("work",),
        ).fetchall()
    assert any("COVERING INDEX actions_clicked" in str(row[-1]) for row in plan), plan
    assert journal.last_click("work") == clicked
