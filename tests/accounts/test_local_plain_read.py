"""Local mode reads ``status`` and the tree and runs the clicks without SQLAlchemy, by the
engine's own rules.

The first run sets the database up through the engine; every later open reads and clicks
through the plain path (stdlib ``sqlite3``) and loads the engine only for the rarer
calls (time added or edited, reports, managing trackers).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tracktray.accounts.local import open_local_backend
from tracktray.domain import ReportQuery


def test_an_everyday_open_reads_the_same_status_and_tree_as_the_engine(tmp_path: Path) -> None:
    first = open_local_backend(tmp_path)  # first run: the engine creates everything
    first.start()
    first.close()

    again = open_local_backend(tmp_path)
    try:
        assert again._engine is None, "an everyday open reads without the engine"
        read_plainly = again.status()
        tree_plainly = again.trackers()
        engine = again.engine  # what the server and every write use
        by_engine = engine.status(again.profile_id)
        assert read_plainly.running is not None
        assert read_plainly.running.tracker == by_engine.running.tracker  # type: ignore[union-attr]
        assert read_plainly.running.started_at == by_engine.running.started_at  # type: ignore[union-attr]
        assert read_plainly.default_tracker == by_engine.default_tracker
        assert abs(read_plainly.daytotal_s - by_engine.daytotal_s) <= 1  # a second may pass
        assert tree_plainly == engine.trackers(again.profile_id)
        again.stop("done")  # a click on the plain path; the engine sees what it wrote
        after = again.status()
        assert after.running is None and after.daytotal_s == engine.day_total(again.profile_id)
        assert engine.report(again.profile_id, ReportQuery())[-1].description == "done"
    finally:
        again.close()


def test_status_and_trackers_of_an_everyday_open_load_no_sqlalchemy(tmp_path: Path) -> None:
    open_local_backend(tmp_path).close()  # first run
    probe = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from tracktray.accounts.local import open_local_backend
        backend = open_local_backend(Path({str(tmp_path)!r}))
        backend.status(); backend.trackers(); backend.close()
        print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in
                                ("sqlalchemy", "alembic"))))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == []


def test_the_clicks_of_an_everyday_open_load_no_sqlalchemy(tmp_path: Path) -> None:
    open_local_backend(tmp_path).close()  # first run
    probe = textwrap.dedent(
        f"""
        import datetime as dt, json, sys
        from pathlib import Path
        from tracktray.accounts.local import open_local_backend
        backend = open_local_backend(Path({str(tmp_path)!r}))
        tracker = next(iter(backend.trackers())).id
        started = backend.start()
        # as the journal sends a switch and a stop: a description, a time of the click
        backend.switch(tracker, "first part", dt.datetime.now())  # naive: this computer's
        backend.stop("second part", dt.datetime.now(dt.UTC))
        after = backend.status()
        assert started.running is not None and after.running is None, (started, after)
        assert backend.day_total() == after.daytotal_s
        assert backend._engine is None
        backend.close()
        print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in
                                ("sqlalchemy", "alembic"))))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == []
    again = open_local_backend(tmp_path)
    try:
        blocks = again.report(ReportQuery())
        assert [b.description for b in blocks] == ["first part", "second part"]
    finally:
        again.close()


def test_a_database_from_before_the_latest_schema_is_upgraded_by_the_engine(
    tmp_path: Path,
) -> None:
    open_local_backend(tmp_path).close()
    import sqlite3

    with sqlite3.connect(tmp_path / "local.sqlite") as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'older'")
    # not at the head the read path knows: the engine is opened (and would migrate)
    from tracktray.engine.readpath import PlainReader

    assert PlainReader.open(tmp_path / "local.sqlite") is None
    assert PlainReader.open(tmp_path / "missing.sqlite") is None
