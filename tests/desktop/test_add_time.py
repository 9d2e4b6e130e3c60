"""Add time… and Free time… against the real engine: over HTTPS and in local mode."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tests.desktop.proxy import TcpProxy
from tracktray.desktop.add_time import AddTimeDialog
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.free_time import FreeTimeDialog
from tracktray.desktop.menu import find_action
from tracktray.domain import ReportQuery
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import LOCAL_ACCOUNT, AccountConfig, Preferences, Settings

MakeApp = Callable[..., Harness]
LEFT = Qt.MouseButton.LeftButton
FAST = dataclasses.replace(Preferences(), poll_interval_s=60, local_notice_shown=True)


@pytest.fixture
def server_app(make_app: MakeApp, trackmypeople_server: Any, server_user: Any) -> Harness:
    CredentialStore().set("work", server_user.password)
    account = AccountConfig(
        id="work",
        kind="trackmypeople",
        label="Work",
        url=trackmypeople_server.api_url,
        username=server_user.username,
        ca_file=str(trackmypeople_server.ca_file),
    )
    settings = Settings(
        accounts=(LOCAL_ACCOUNT, account), active_account_id="work", preferences=FAST
    )
    h = make_app(settings)
    h.wait_ready()
    return h


def open_window(h: Harness, kind: Kind, key: str) -> Any:
    h.open_menu()
    action = find_action(h.app.view.menu, Command(kind))
    assert action is not None and action.isEnabled()
    action.trigger()
    return h.app.dialogs[key]


def press(qtbot: QtBot, window: Any, ok: bool) -> str:
    with qtbot.waitSignal(window.finished_request, timeout=10_000) as blocker:
        qtbot.mouseClick(window.action_button, LEFT)
    assert blocker.args[0] is ok, blocker.args
    return str(blocker.args[1])


def yesterday() -> dt.date:
    return dt.date.today() - dt.timedelta(days=1)


def test_add_time_on_a_server_account_and_an_overlap_with_its_edit_link(
    server_app: Harness, qtbot: QtBot, trackmypeople_server: Any, server_user: Any
) -> None:
    h = server_app
    window = open_window(h, Kind.ADD_TIME, "add-time")
    assert isinstance(window, AddTimeDialog) and not window.isModal()
    design = server_user.trackers["Acme/Website/Design"]
    window.picker.filter.setText("desi")  # the filter narrows the tree
    assert window.picker.selected_id() == design
    window.set_times(yesterday(), dt.time(9, 0), dt.time(10, 30))
    window.description.setText("planning")
    said = press(qtbot, window, ok=True)
    assert (
        said.startswith("Added “planning” on Acme / Website / Design, ") and "(1 h 30 min)" in said
    )
    blocks = trackmypeople_server.engine.report(server_user.profile_id, ReportQuery())
    assert [(b.tracker_id, b.total_s, b.description) for b in blocks] == [
        (design, 5400, "planning")
    ]

    # an overlap names the block in the way and links to its edit page
    window.set_times(yesterday(), dt.time(10, 0), dt.time(11, 0))
    said = press(qtbot, window, ok=False)
    assert said.startswith("That time overlaps “planning” on Acme / Website / Design, ")
    link = f'href="{trackmypeople_server.origin}/blocks/{blocks[0].id}/edit"'
    assert link in window.message.text() and "Edit that block" in window.message.text()
    assert window.message.openExternalLinks()
    label = window.message  # shown whole: the window grew to fit two lines and the link
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.geometry().bottom() <= window.contentsRect().bottom()

    # checked before sending, in one sentence; nothing reaches the server
    window.set_times(yesterday(), dt.time(11, 0), dt.time(10, 0))
    said = press(qtbot, window, ok=False)
    assert said.startswith("The end (10:00) must be after the start (11:00)")
    tomorrow = dt.datetime.now() + dt.timedelta(hours=3)
    if tomorrow.date() == dt.date.today():
        window.set_times(dt.date.today(), tomorrow.time(), None)
        assert press(qtbot, window, ok=False).endswith("is in the future.")
    assert len(trackmypeople_server.engine.report(server_user.profile_id, ReportQuery())) == 1

    # the server's refusal in its own words: a tracker archived since the list was read
    extra = trackmypeople_server.engine.add_tracker(f"Temp {server_user.username}")
    trackmypeople_server.engine.grant_role(server_user.profile_id, extra)
    h.app.session.refresh_tree()
    qtbot.waitUntil(lambda: h.app.session.tree.get(extra) is not None)
    window.picker.filter.clear()
    window.picker.set_trackers(h.app.session.tree)
    window.picker.select(extra)
    trackmypeople_server.engine.archive_tracker(extra)
    window.set_times(yesterday(), dt.time(14, 0), dt.time(15, 0))
    said = press(qtbot, window, ok=False)
    assert "is archived" in said


def test_add_time_in_local_mode_overlap_without_an_edit_page(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    h = make_app()
    h.wait_ready()
    window = open_window(h, Kind.ADD_TIME, "add-time")
    window.set_times(yesterday(), dt.time(8, 0), dt.time(9, 0))
    press(qtbot, window, ok=True)
    window.set_times(yesterday(), dt.time(8, 30), None)  # still running, from 08:30
    said = press(qtbot, window, ok=False)
    assert said.startswith("That time overlaps General, ")
    assert said.endswith("08:00–09:00. Change or delete it first.")
    assert "<a " not in window.message.text()
    h.click()  # the tray answers while the window is open
    qtbot.waitUntil(
        lambda: h.app.session.status is not None and h.app.session.status.running is not None
    )
    window.set_times(dt.date.today(), dt.time(0, 0), None)
    assert "running already" in press(qtbot, window, ok=False)


def test_free_time_reads_hours_as_people_write_them(
    server_app: Harness, qtbot: QtBot, trackmypeople_server: Any, server_user: Any
) -> None:
    h = server_app
    window = open_window(h, Kind.FREE_TIME, "free-time")
    assert isinstance(window, FreeTimeDialog)
    holidays = server_user.trackers["Internal/Holidays"]
    window.picker.select(holidays)
    window.hours_edit.setText("seven")
    assert press(qtbot, window, ok=False) == (
        "“seven” is not a number of hours (e.g. 7.5, 7,5 or 7:30)."
    )
    window.hours_edit.setText("25")
    assert press(qtbot, window, ok=False) == "Hours must be more than 0 and at most 24."
    for typed, day in (("7:30", 1), ("7,5", 2), ("7.5", 3)):
        window.hours_edit.setText(typed)
        window.set_date(dt.date.today() - dt.timedelta(days=day))
        window.description.setText("leave")
        said = press(qtbot, window, ok=True)
        assert said.startswith("Added 7 h 30 min of free time on ")
        assert said.endswith("Internal / Holidays (“leave”).")
    blocks = trackmypeople_server.engine.report(server_user.profile_id, ReportQuery(free=True))
    assert sorted(b.total_s for b in blocks) == [27000] * 3
    assert all(b.free and b.tracker_id == holidays for b in blocks)
    assert Decimal(27000) / 3600 == Decimal("7.5")


def test_a_time_the_clocks_skipped_is_refused_not_shifted(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from tracktray.desktop.add_time import local_moment

    monkeypatch.setenv("TZ", "Europe/Brussels")
    time.tzset()
    try:
        with pytest.raises(ValueError, match=r"02:30 does not exist on 2026-03-29"):
            local_moment(dt.date(2026, 3, 29), dt.time(2, 30))
        autumn = local_moment(dt.date(2026, 10, 25), dt.time(2, 30))  # happens twice
        assert autumn.utcoffset() == dt.timedelta(hours=2)  # the first time
    finally:
        monkeypatch.undo()
        time.tzset()


def test_time_added_while_the_server_is_away_is_kept_and_lands_later(
    make_app: MakeApp, trackmypeople_server: Any, server_user: Any, qtbot: QtBot
) -> None:
    """Add time goes through the journal like a click: written with its time first, so
    a server that is away gets it when it is back, nothing typed is lost."""
    origin = urlsplit(trackmypeople_server.origin)
    proxy = TcpProxy((origin.hostname or "127.0.0.1", origin.port or 443))
    try:
        CredentialStore().set("work", server_user.password)
        account = AccountConfig(
            id="work",
            kind="trackmypeople",
            label="Work",
            url=f"{proxy.origin}/api/",
            username=server_user.username,
            ca_file=str(trackmypeople_server.ca_file),
        )
        settings = Settings(
            accounts=(LOCAL_ACCOUNT, account), active_account_id="work", preferences=FAST
        )
        h = make_app(settings)
        h.wait_ready()
        window = open_window(h, Kind.ADD_TIME, "add-time")
        window.set_times(yesterday(), dt.time(14, 0), dt.time(15, 0))
        window.description.setText("written offline")
        proxy.down()
        said = press(qtbot, window, ok=True)
        assert "kept and will be sent when the server is back" in said

        def landed() -> list[tuple[int, str]]:
            blocks = trackmypeople_server.engine.report(server_user.profile_id, ReportQuery())
            return [(b.total_s, b.description) for b in blocks]

        assert landed() == []
        proxy.up()
        h.app.session.poll_now()  # the journal is sent after a successful poll
        qtbot.waitUntil(lambda: landed() == [(3600, "written offline")], timeout=15_000)
    finally:
        proxy.down()
