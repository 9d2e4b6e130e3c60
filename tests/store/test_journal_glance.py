"""The first stage's plain read of the journal agrees with the journal's own reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tracktray.store import journal as journal_module
from tracktray.store import journal_glance
from tracktray.store.journal import Journal

NOW = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)


def test_the_glance_sees_the_remembered_status_and_the_waiting_clicks(tmp_path: Path) -> None:
    assert journal_glance.FILE_NAME == journal_module.FILE_NAME
    journal = Journal(tmp_path)
    journal.save_status("work", {"daytotal_s": 60, "running": None})
    for kind in ("start", "stop", "start"):
        journal.append("work", kind, {}, clicked_at=NOW, source="widget")
    journal.append("home", "start", {}, clicked_at=NOW, source="cli")
    done = journal.append("work", "stop", {}, clicked_at=NOW, source="widget")
    journal.finish(done.id, "done")

    for account in ("work", "home", "nobody"):
        seen = journal_glance.glance(tmp_path, account)
        assert seen is not None
        assert seen.last_status == journal.last_status(account)
        assert seen.unsent == len(journal.unfinished(account))
    work = journal_glance.glance(tmp_path, "work")
    assert work is not None and work.unsent == 3 and work.last_status is not None


def test_no_journal_yet_means_nothing_remembered_and_nothing_created(tmp_path: Path) -> None:
    seen = journal_glance.glance(tmp_path, "work")
    assert seen is not None and (seen.last_status, seen.unsent) == (None, 0)
    assert not list(tmp_path.iterdir())


def test_the_last_click_read_plainly_is_the_journals(tmp_path: Path) -> None:
    """``tracktray status`` checks a widget's answer against the last click this way."""
    assert journal_glance.last_click(tmp_path, "work") is None  # no journal yet
    journal = Journal(tmp_path)
    journal.save_status("home", {"daytotal_s": 0, "running": None})  # set up, no actions
    assert journal_glance.last_click(tmp_path, "work") is None
    later = NOW + dt.timedelta(minutes=5)
    journal.append("work", "start", {}, clicked_at=NOW, source="widget")
    journal.append("work", "stop", {}, clicked_at=later.astimezone(), source="cli")
    journal.append("home", "start", {}, clicked_at=NOW, source="cli")
    for account in ("work", "home", "nobody"):
        assert journal_glance.last_click(tmp_path, account) == journal.last_click(account)
    assert journal_glance.last_click(tmp_path, "work") == later


def test_a_journal_it_cannot_read_is_left_to_the_journal(tmp_path: Path) -> None:
    (tmp_path / journal_glance.FILE_NAME).write_bytes(b"not a database, " * 64)
    assert journal_glance.last_click(tmp_path, "work") == journal_glance.UNSURE
