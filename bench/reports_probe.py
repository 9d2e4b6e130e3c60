"""Run inside one process: the real tray app in local mode, then Reports… opened once.

Started by ``bench/reports_window.py`` in a sandbox HOME. Prints one JSON line:
resident memory before and after opening the window, and how long the window took to
show a busy month and a year (from the menu command to the ``loaded`` signal, the
report read and summed on the worker, the table, tree and chart drawn).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.procprobe import memory_mb

BLOCKS_PER_DAY = 100


def fill(data_dir: Path, days: int) -> None:
    """``days`` days up to yesterday, 100 blocks of 5 minutes each, bulk-inserted."""
    from sqlalchemy import insert

    from tracktray.accounts.local import open_local_backend
    from tracktray.engine.tables import blocks

    backend = open_local_backend(data_dir)
    leaves = []
    for client in range(10):
        parent = backend.add_tracker(f"Client {client}")
        leaves += [backend.add_tracker(f"Project {p}", parent) for p in range(5)]
    today = dt.datetime.now(dt.UTC).replace(hour=6, minute=0, second=0, microsecond=0)
    rows = []
    for day in range(1, days + 1):
        base = today - dt.timedelta(days=day)
        for n in range(BLOCKS_PER_DAY):
            start = base + dt.timedelta(minutes=6 * n)
            rows.append(
                {"profile_id": backend.profile_id, "tracker_id": leaves[n % len(leaves)],
                 "kind": "project", "start_utc": start, "stop_utc": start + dt.timedelta(minutes=5),
                 "description": f"block {n}", "created_at": start, "updated_at": start}
            )  # fmt: skip
    with backend.engine.db.begin() as conn:
        conn.execute(insert(blocks), rows)
    backend.close()


def main(home: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from tracktray.desktop.commands import Command, Kind
    from tracktray.desktop.controller import TrayApp
    from tracktray.desktop.garbage import collect_due_generations
    from tracktray.desktop.session import Phase
    from tracktray.store.credentials import CredentialStore
    from tracktray.store.settings import SettingsStore

    data_dir = home / "data"
    fill(data_dir, 366)
    app = QApplication([])
    tray = TrayApp(
        settings_store=SettingsStore(home / "config"),
        credentials=CredentialStore(),
        data_dir=data_dir,
        quit_app=lambda: None,
    )
    tray.start()

    def spin(until: Callable[[], bool], timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not until():
            if time.monotonic() > deadline:
                raise TimeoutError("the widget did not answer")
            app.processEvents()
            time.sleep(0.002)

    def settle() -> None:
        for _ in range(50):
            app.processEvents()
            time.sleep(0.01)
        collect_due_generations()

    spin(lambda: tray.session.phase is Phase.READY and tray.bridge.pending == 0)
    settle()  # the idle widget, before the window was ever opened
    pid = os.getpid()
    before = memory_mb(pid)[0]
    loaded: list[float] = []
    started = time.perf_counter()
    tray.dispatch(Command(Kind.REPORTS))  # first open: import, build, a week drawn
    # imported by the command above (not before the "before" figure)
    from tracktray.desktop.reports.window import ReportsWindow
    from tracktray.domain.summary import Period

    def opened() -> ReportsWindow:
        window = tray.dialogs["reports"]
        assert isinstance(window, ReportsWindow)
        window.loaded.connect(lambda: loaded.append(time.perf_counter()))
        spin(lambda: bool(loaded))
        return window

    window = opened()
    open_s = loaded[-1] - started

    def timed(window: ReportsWindow, change: Callable[[], None]) -> tuple[float, int]:
        loaded.clear()
        begun = time.perf_counter()
        change()
        spin(lambda: bool(loaded))
        return loaded[-1] - begun, window.blocks_model.rowCount()

    yesterday = dt.date.today() - dt.timedelta(days=1)
    month_s, month_blocks = timed(window, lambda: window.set_period(Period.MONTH, yesterday))
    settle()
    rss_open = memory_mb(pid)[0]
    window.close()  # the window was opened once, on a busy month: what stays
    settle()
    after = memory_mb(pid)[0]
    loaded.clear()
    tray.dispatch(Command(Kind.REPORTS))
    again = opened()
    year_s, year_blocks = timed(
        again, lambda: again.set_range(yesterday - dt.timedelta(days=364), yesterday)
    )
    settle()
    rss_year = memory_mb(pid)[0]
    print(json.dumps({
        "rss_before_mb": round(before, 1), "rss_open_mb": round(rss_open, 1),
        "rss_after_mb": round(after, 1), "rss_year_mb": round(rss_year, 1),
        "open_s": round(open_s, 3),
        "month_s": round(month_s, 3), "month_blocks": month_blocks,
        "year_s": round(year_s, 3), "year_blocks": year_blocks,
    }))  # fmt: skip
    tray.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
