"""The reports window against the real engine: over HTTPS (with and without reporting
rights, a TimeTrack account) and in local mode (a busy month, a big tree)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from tests.desktop.harness import Harness
from tests.support import timetrack_fixtures
from tests.support.timetrack_fixtures import TimeTrackServer
from tracktray.accounts.local import open_local_backend
from tracktray.accounts.timetrack import join_key_secret
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.menu import find_action
from tracktray.desktop.reports.window import ReportsWindow
from tracktray.domain.summary import Period
from tracktray.engine.tables import blocks as blocks_table
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import (
    LOCAL_ACCOUNT,
    AccountConfig,
    AccountKind,
    Preferences,
    Settings,
)

timetrack_server = timetrack_fixtures.timetrack_server

MakeApp = Callable[..., Harness]
FAST = dataclasses.replace(Preferences(), poll_interval_s=60, local_notice_shown=True)
MONDAY = dt.date(2026, 11, 16)


def server_app(
    make_app: MakeApp, trackmypeople_server: Any, user: Any, kind: AccountKind = "trackmypeople"
) -> Harness:
    url = trackmypeople_server.api_url if kind == "trackmypeople" else trackmypeople_server.origin
    account = AccountConfig(
        id="work", kind=kind, label="Work", url=url, username=user.username,
        ca_file=str(trackmypeople_server.ca_file),
    )  # fmt: skip
    h = make_app(Settings(accounts=(LOCAL_ACCOUNT, account), active_account_id="work",
                          preferences=FAST))  # fmt: skip
    h.wait_ready()
    return h


def open_reports(h: Harness, qtbot: QtBot) -> ReportsWindow:
    h.open_menu()
    action = find_action(h.app.view.menu, Command(Kind.REPORTS))
    assert action is not None
    action.trigger()
    window = h.app.dialogs["reports"]
    assert isinstance(window, ReportsWindow) and not window.isModal()
    qtbot.waitUntil(lambda: window.data is not None, timeout=10_000)
    return window


def show(qtbot: QtBot, window: ReportsWindow, period: Period, anchor: dt.date) -> None:
    with qtbot.waitSignal(window.loaded, timeout=20_000):
        window.set_period(period, anchor)


def tree_rows(window: ReportsWindow) -> list[tuple[str, str, str, str]]:
    out = []
    tree = window.tracker_tree

    def walk(item: Any, depth: int) -> None:
        out.append(("  " * depth + item.text(0), item.text(1), item.text(2), item.text(3)))
        for i in range(item.childCount()):
            walk(item.child(i), depth + 1)

    for i in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(i), 0)
    return out


def test_a_week_per_tracker_per_day_and_exports(
    make_app: MakeApp, qtbot: QtBot, trackmypeople_server: Any, tmp_path: Path
) -> None:
    user = trackmypeople_server.new_user()
    CredentialStore().set("work", user.password)
    engine, t = trackmypeople_server.engine, user.trackers
    engine.add(user.profile_id, dt.datetime(2026, 11, 17, 9), dt.datetime(2026, 11, 17, 10, 30),
               t["Acme/Website/Design"], "mock-ups é")  # fmt: skip
    engine.add(user.profile_id, dt.datetime(2026, 11, 18, 11), dt.datetime(2026, 11, 18, 12),
               t["Acme/Website/Backend"], "API")  # fmt: skip
    engine.add_free(user.profile_id, Decimal(2), dt.date(2026, 11, 19), t["Internal/Holidays"])
    h = server_app(make_app, trackmypeople_server, user)
    window = open_reports(h, qtbot)
    assert not window.person_box.isVisible(), "no reporting rights: no person picker"
    show(qtbot, window, Period.WEEK, MONDAY + dt.timedelta(days=2))

    assert window.days() == (MONDAY, MONDAY + dt.timedelta(days=6))
    assert window.summary_label.text() == (
        "Mon 16 Nov 2026 – Sun 22 Nov 2026: worked 2:30 (2.50 h), free 2:00 (2.00 h)."
    )
    assert tree_rows(window) == [
        ("Acme", "2:30", "2.50", ""),
        ("  Website", "2:30", "2.50", ""),
        ("    Backend", "1:00", "1.00", ""),
        ("    Design", "1:30", "1.50", ""),
        ("Internal", "0:00", "0.00", "2:00"),
        ("  Holidays", "0:00", "0.00", "2:00"),
    ]
    days = {d: (t.worked_s, t.free_s) for d, t in window.data.summary.days}  # type: ignore[union-attr]
    assert len(days) == 7 and days[dt.date(2026, 11, 17)] == (5400, 0)
    assert days[dt.date(2026, 11, 19)] == (0, 7200)
    assert window.blocks_model.rowCount() == 3
    model = window.blocks_model
    assert [model.data(model.index(0, c)) for c in range(8)] == [
        "2026-11-17", "09:00", "10:30", "Acme / Website / Design", "mock-ups é", "worked",
        "1:30", "1.50",
    ]  # fmt: skip

    # the previous week is empty; the month holds the same
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.previous_button.click()
    assert window.blocks_model.rowCount() == 0
    show(qtbot, window, Period.MONTH, MONDAY)
    assert window.days() == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert len(window.data.summary.days) == 30  # type: ignore[union-attr]

    # exports: CSV with a BOM, XLSX readable as a workbook
    with qtbot.waitSignal(window.exported, timeout=10_000) as saved:
        window.export(tmp_path / "week.csv", "csv")
    assert saved.args == [True, str(tmp_path / "week.csv")]
    raw = (tmp_path / "week.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:4] == ["Date", "From", "To", "Tracker"] and rows[1][4] == "mock-ups é"
    with qtbot.waitSignal(window.exported, timeout=10_000) as saved:
        window.export(tmp_path / "week.xlsx", "xlsx")
    assert saved.args[0] is True
    with zipfile.ZipFile(tmp_path / "week.xlsx") as book:
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "Acme / Website / Design" in strings and "mock-ups é" in strings
    dialog = window.ask_export("csv")  # the save dialog is not modal
    assert dialog.windowModality().name == "NonModal"
    dialog.close()


def test_the_running_block_counts_to_now_and_a_dst_week(
    make_app: MakeApp, qtbot: QtBot, trackmypeople_server: Any
) -> None:
    user = trackmypeople_server.new_user()  # Europe/Brussels: clocks went back on 2026-10-25
    CredentialStore().set("work", user.password)
    design = user.trackers["Acme/Website/Design"]
    # 01:00 to 04:00 on the wall clock of the night the clocks went back: 4 hours worked
    start = dt.datetime(2026, 10, 25, 0, 0, tzinfo=dt.UTC) - dt.timedelta(hours=1)
    trackmypeople_server.engine.add(user.profile_id, start, start + dt.timedelta(hours=4), design)
    trackmypeople_server.engine.start(user.profile_id, design)
    h = server_app(make_app, trackmypeople_server, user)
    window = open_reports(h, qtbot)
    show(qtbot, window, Period.WEEK, dt.date(2026, 10, 25))
    days = dict(window.data.summary.days)  # type: ignore[union-attr]
    assert list(days) == [dt.date(2026, 10, 19) + dt.timedelta(days=i) for i in range(7)]
    assert days[dt.date(2026, 10, 25)].worked_s == 4 * 3600
    # the profile's today (Europe/Brussels), which is not this computer's near midnight
    profile_today = dt.datetime.now(ZoneInfo("Europe/Brussels")).date()
    show(qtbot, window, Period.DAY, profile_today)
    assert window.summary_label.text().endswith("the running block is counted up to now.")
    assert window.blocks_model.data(window.blocks_model.index(0, 2)) == "running"


def test_a_manager_picks_a_person_and_sees_their_time(
    make_app: MakeApp, qtbot: QtBot, trackmypeople_server: Any
) -> None:
    manager = trackmypeople_server.new_user(can_see_reporting=True)
    worker = trackmypeople_server.new_user()
    CredentialStore().set("work", manager.password)
    support = worker.trackers["Acme/Support"]
    morning = dt.datetime(2026, 11, 17, 8)
    trackmypeople_server.engine.add(worker.profile_id, morning, morning.replace(hour=12), support)
    h = server_app(make_app, trackmypeople_server, manager)
    window = open_reports(h, qtbot)
    qtbot.waitUntil(lambda: window.person_box.count() > 1)
    assert window.person_box.isVisible()
    names = [window.person_box.itemText(i) for i in range(window.person_box.count())]
    assert names[0] == "Me" and f"{worker.username.capitalize()} Tester" in names
    show(qtbot, window, Period.WEEK, MONDAY)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.person_box.setCurrentIndex(names.index(f"{worker.username.capitalize()} Tester"))
    assert [r[:2] for r in tree_rows(window)] == [("Acme", "4:00"), ("  Support", "4:00")]


def test_a_timetrack_account_shows_attendance_against_the_daily_target(
    make_app: MakeApp, qtbot: QtBot, trackmypeople_server: Any, timetrack_server: TimeTrackServer
) -> None:
    user = trackmypeople_server.new_user(timezone="UTC")
    CredentialStore().set("work", join_key_secret(timetrack_server.key, timetrack_server.secret))
    client = timetrack_server.client(user.username, zone="UTC")
    client.add_attendance(dt.datetime(2026, 11, 17, 8), dt.datetime(2026, 11, 17, 15))
    client.close()
    trackmypeople_server.engine.add(user.profile_id, dt.datetime(2026, 11, 17, 9),
                          dt.datetime(2026, 11, 17, 11), user.trackers["Acme/Website"])  # fmt: skip
    h = server_app(make_app, trackmypeople_server, user, kind="timetrack")
    window = open_reports(h, qtbot)
    show(qtbot, window, Period.WEEK, MONDAY)
    assert window.tabs.tabText(1) == "Attendance"
    table = window.attendance_table
    assert table.rowCount() == 7
    tuesday = [table.item(1, c).text() for c in range(5)]  # type: ignore[union-attr]
    assert tuesday == ["2026-11-17", "7:00", "0:00", "8:00", "−1:00"]
    assert window.attendance_label.text() == "At work 7:00 of a 40:00 target (−33:00)."
    assert window.data is not None and window.data.summary.totals.worked_s == 7200


def test_a_busy_month_and_a_tree_of_200_trackers_in_local_mode(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    backend = open_local_backend(tmp_path / "data")
    leaves = []
    for group in range(20):
        parent = backend.add_tracker(f"Client {group:02d}")
        leaves += [backend.add_tracker(f"Project {p}", parent) for p in range(9)]
    rows = []
    first = dt.datetime(2026, 11, 1, 6, tzinfo=dt.UTC)
    for i in range(2000):  # 2,000 blocks of 6 minutes, 67 a day
        start = first + dt.timedelta(days=i // 67, minutes=6 * (i % 67) * 2)
        rows.append(dict(profile_id=backend.profile_id, tracker_id=leaves[i % len(leaves)],
                         kind="project", start_utc=start, stop_utc=start + dt.timedelta(minutes=6),
                         description=f"block {i}", created_at=start, updated_at=start))  # fmt: skip
    with backend.engine.db.begin() as conn:
        conn.execute(insert(blocks_table), rows)
    backend.close()
    h = make_app()
    h.wait_ready()
    window = open_reports(h, qtbot)
    show(qtbot, window, Period.MONTH, dt.date(2026, 11, 1))
    assert window.blocks_model.rowCount() == 2000
    assert window.data is not None and window.data.summary.totals.worked_s == 2000 * 360
    top = tree_rows(window)
    assert sum(1 for name, *_ in top if not name.startswith(" ")) == 20
    assert sum(int(r[1].split(":")[0]) * 60 + int(r[1].split(":")[1])
               for r in top if not r[0].startswith(" ")) == 2000 * 6  # fmt: skip
    assert len(top) == 200


def test_the_window_is_loaded_only_when_first_opened() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; import tracktray.desktop.controller, tracktray.desktop.app; "
        "print(sorted(m for m in sys.modules if m.startswith(('tracktray.desktop.reports', "
        "'xlsxwriter', 'tracktray.desktop.add_time', 'tracktray.desktop.free_time'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
