"""The widget with a TimeTrack account against the real engine over HTTPS: a working day."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QFormLayout, QLabel
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tests.support import timetrack_fixtures
from tests.support.timetrack_fixtures import TimeTrackServer
from tracktray.accounts.timetrack import join_key_secret, split_key_secret
from tracktray.desktop.attendance_editor import AttendanceEditor, EntryValues
from tracktray.desktop.attendances import AttendancesWindow
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.icons import TrayState
from tracktray.desktop.menu import find_action
from tracktray.desktop.signin import SignInDialog
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import LOCAL_ACCOUNT, AccountConfig, Preferences, Settings

# the plugin's fixture, until tests/conftest.py registers tests.support.timetrack_fixtures
timetrack_server = timetrack_fixtures.timetrack_server

MakeApp = Callable[..., Harness]
FAST = dataclasses.replace(Preferences(), poll_interval_s=1, local_notice_shown=True)


def timetrack_settings(
    timetrack_server: TimeTrackServer, trackmypeople_server: Any, user: Any
) -> Settings:
    """Settings with ``user``'s TimeTrack account active (id "tt"), its key in the keyring."""
    account = AccountConfig(
        id="tt",
        kind="timetrack",
        label="TimeTrack",
        url=trackmypeople_server.origin,
        username=user.username,
        ca_file=str(trackmypeople_server.ca_file),
    )
    CredentialStore().set("tt", join_key_secret(timetrack_server.key, timetrack_server.secret))
    return Settings(accounts=(LOCAL_ACCOUNT, account), active_account_id="tt", preferences=FAST)


@pytest.fixture
def tt_app(
    make_app: MakeApp,
    timetrack_server: TimeTrackServer,
    trackmypeople_server: Any,
    computer_in_utc: None,  # the user's zone
) -> Harness:
    user = trackmypeople_server.new_user(timezone="UTC")
    h = make_app(timetrack_settings(timetrack_server, trackmypeople_server, user))
    h.wait_ready()
    return h


def menu_texts(h: Harness) -> list[str]:
    h.app.view.menu.aboutToShow.emit()
    return [a.text() for a in h.app.view.menu.actions() if not a.isSeparator()]


def trigger(h: Harness, command: Command) -> None:
    h.open_menu()
    action = find_action(h.app.view.menu, command)
    assert action is not None, (command, menu_texts(h))
    assert action.isEnabled()
    action.trigger()


def test_clock_in_timer_pause_resume_stop_clock_out(
    tt_app: Harness, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = tt_app
    session = h.app.session
    assert h.state is TrayState.STOPPED
    assert "Clock in (at work today: 0 min)" in menu_texts(h)

    trigger(h, Command(Kind.CLOCK_IN))
    qtbot.waitUntil(lambda: session.status is not None and session.status.attendance is not None)
    h.wait_state(TrayState.STOPPED)
    assert "Clock out (at work 0 min)" in menu_texts(h)

    website = session.tree.find("Acme/Website")
    assert session.tree.find("Acme").trackable is False  # clients are not trackable
    trigger(h, Command(Kind.START, website.id))  # from the tree when nothing runs
    h.wait_state(TrayState.RUNNING)
    assert menu_texts(h)[1:3] == ["Stop Acme / Website", "Pause"]

    trigger(h, Command(Kind.PAUSE))
    h.wait_state(TrayState.PAUSED)
    texts = menu_texts(h)
    assert texts[0].endswith("(paused)") and "Resume" in texts

    trigger(h, Command(Kind.RESUME))
    h.wait_state(TrayState.RUNNING)
    trigger(h, Command(Kind.STOP))
    h.wait_state(TrayState.STOPPED)
    # the click starts the project used last
    assert menu_texts(h)[1] == "Start Website"

    trigger(h, Command(Kind.CLOCK_OUT))
    qtbot.waitUntil(lambda: session.status is not None and session.status.attendance is None)
    h.wait_state(TrayState.STOPPED)
    assert "Clock in (at work today: 0 min)" in menu_texts(h)

    trigger(h, Command(Kind.ATTENDANCES))
    window = h.app.dialogs["attendances"]
    assert isinstance(window, AttendancesWindow)
    qtbot.waitUntil(lambda: window.table.rowCount() == 1)
    made_by = window.table.item(0, 5)
    assert made_by is not None and made_by.text() == "clock"

    # fix the entry: the person left an hour after clocking out, with a 10-minute break
    [entry] = window.entries
    later = entry.end + dt.timedelta(hours=1)
    fixed = EntryValues(entry.start, later, 10, "forgot to clock")
    # the form answers through its callback (the fourth argument)
    monkeypatch.setattr(AttendanceEditor, "ask", staticmethod(lambda *args: args[3](fixed)))
    window.table.selectRow(0)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.edit_button.click()
    [edited] = window.entries
    assert (edited.end, edited.notes, edited.break_minutes) == (later, "forgot to clock", 10)
    assert edited.worked_minutes == 50  # clocked for seconds, plus the hour, minus the break
    assert window.message.text() == ""
    # the change went through the journal, like every click: kept with its time, confirmed
    kinds = [(e.kind, e.state) for e in session.journal.entries("tt")]
    assert ("attendance_edit", "done") in kinds and ("clock_in", "done") in kinds


@pytest.mark.usefixtures("computer_in_utc")  # the user's zone below
def test_sign_in_with_api_key_and_secret(
    make_app: MakeApp, timetrack_server: TimeTrackServer, trackmypeople_server: Any, qtbot: QtBot
) -> None:
    user = trackmypeople_server.new_user(timezone="UTC")
    h = make_app(Settings(preferences=FAST))
    h.wait_ready()
    h.app.dispatch(Command(Kind.ADD_ACCOUNT))
    dialog = h.app.dialogs["sign-in"]
    assert isinstance(dialog, SignInDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("timetrack"))
    form = dialog.layout()
    assert isinstance(form, QFormLayout)
    label = form.labelForField(dialog.password)
    assert isinstance(label, QLabel) and label.text() == "API key:"
    assert dialog.key_secret.secret.isVisibleTo(dialog)
    dialog.url.setText(trackmypeople_server.origin)
    dialog.username.setText(user.username)
    dialog.password.setText(timetrack_server.key)
    dialog.ca_file.setText(str(trackmypeople_server.ca_file))
    with qtbot.waitSignal(dialog.tested, timeout=10_000):
        dialog.test_button.click()
    assert dialog.result_label.text() == "Enter the API secret that goes with the key."
    dialog.key_secret.secret.setText("not-the-secret")
    with qtbot.waitSignal(dialog.tested, timeout=10_000):
        dialog.test_button.click()
    assert "did not accept the API key and secret" in dialog.result_label.text()
    dialog.key_secret.secret.setText(timetrack_server.secret)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000):
        dialog.sign_in_button.click()
    h.wait_ready()
    account = h.app.session.account
    assert account is not None and account.kind == "timetrack"
    h.wait_idle()
    stored = CredentialStore().get(account.id)
    assert stored is not None
    assert split_key_secret(stored) == (timetrack_server.key, timetrack_server.secret)
    assert timetrack_server.secret not in h.store.path.read_text(encoding="utf-8")
    assert any(t.startswith("Clock in") for t in menu_texts(h))


def test_the_attendances_window_closes_when_the_account_changes(
    tt_app: Harness, qtbot: QtBot
) -> None:
    """Issue 11, reproduction 5: no window goes on talking to a closed client."""
    h = tt_app
    trigger(h, Command(Kind.ATTENDANCES))
    window = h.app.dialogs["attendances"]
    assert isinstance(window, AttendancesWindow)
    qtbot.waitUntil(lambda: window.total.text() != "Loading…")
    trigger(h, Command(Kind.USE_ACCOUNT, "local"))
    assert not window.isVisible()
    assert "attendances" not in h.app.dialogs
    h.wait_ready()
    h.wait_idle()
    assert "closed" not in window.message.text()  # no "the client has been closed"
    assert not any("closed" in n.body for n in h.notices)
