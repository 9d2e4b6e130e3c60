"""The settings dialog changes how the widget behaves; update checks are wired in."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tracktray import __version__
from tracktray.desktop import autostart
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.icons import TrayState
from tracktray.desktop.menu import find_action
from tracktray.desktop.settings_dialog import SettingsDialog
from tracktray.desktop.update import UpdateChoice
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import LOCAL_ACCOUNT, AccountConfig, Preferences, Settings

MakeApp = Callable[..., Harness]


def test_settings_change_polling_click_notifications_and_start_at_login(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    h = make_app()
    h.wait_ready()
    h.open_menu()
    find_action(h.app.view.menu, Command(Kind.SETTINGS)).trigger()  # type: ignore[union-attr]
    dialog = h.app.dialogs["settings"]
    assert isinstance(dialog, SettingsDialog)
    assert dialog.poll_interval.value() == 60
    dialog.poll_interval.setValue(30)
    dialog.click_action.setCurrentIndex(dialog.click_action.findData("menu"))
    dialog.notifications.setChecked(False)
    dialog.start_at_login.setChecked(True)
    dialog.accept()
    h.wait_idle()

    saved = h.store.load().preferences
    assert (saved.poll_interval_s, saved.click_action, saved.notifications) == (30, "menu", False)
    assert saved.start_at_login and autostart.autostart_enabled()
    assert h.app.session.poll_interval_s == 30
    assert not h.app.notifier.enabled
    h.app.session.poll_now()
    qtbot.waitUntil(lambda: 25_000 < (h.app.session.next_poll_in_ms or 0) <= 30_000)

    # a click now opens the menu instead of starting
    h.click()
    qtbot.waitUntil(h.app.view.menu.isVisible)
    h.app.view.menu.close()
    assert h.state is TrayState.STOPPED

    h.app.dispatch(Command(Kind.SETTINGS))
    dialog = h.app.dialogs["settings"]
    assert isinstance(dialog, SettingsDialog)
    dialog.start_at_login.setChecked(False)
    dialog.accept()
    h.wait_idle()
    assert not autostart.autostart_enabled()


@pytest.fixture
def dialogs(update_dialogs: dict[str, list[Any]]) -> dict[str, list[Any]]:
    update_dialogs["answer"] = [UpdateChoice.SKIP]
    return update_dialogs


def test_check_for_updates_answers_in_local_mode(
    make_app: MakeApp, qtbot: QtBot, dialogs: dict[str, list[Any]]
) -> None:
    h = make_app()
    h.wait_ready()
    h.app.dispatch(Command(Kind.CHECK_UPDATES))
    qtbot.waitUntil(lambda: bool(dialogs["told"]))
    assert "does not offer" in dialogs["told"][0]


def test_a_newer_release_is_offered_at_start_and_skipping_is_remembered(
    make_app: MakeApp,
    trackmypeople_server: Any,
    server_user: Any,
    qtbot: QtBot,
    dialogs: dict[str, list[Any]],
) -> None:
    trackmypeople_server.engine.set_release(
        "Linux_Qt", "99.0.0", "https://example.org/tracktray-99"
    )
    CredentialStore().set("upd", server_user.password)
    account = AccountConfig(
        id="upd",
        kind="trackmypeople",
        label="Updates",
        url=trackmypeople_server.api_url,
        username=server_user.username,
        ca_file=str(trackmypeople_server.ca_file),
    )
    prefs = dataclasses.replace(Preferences(), local_notice_shown=True, launched_before=True)
    accounts = (LOCAL_ACCOUNT, account)
    h = make_app(Settings(accounts=accounts, active_account_id="upd", preferences=prefs))
    # found at start: a notification and a menu entry, never a window of its own
    qtbot.waitUntil(lambda: h.app.updates.available is not None, timeout=10_000)
    assert dialogs["asked"] == []
    h.open_menu()
    entry = find_action(h.app.view.menu, Command(Kind.SHOW_UPDATE))
    assert entry is not None and entry.text() == "Update 99.0.0 available…"
    assert find_action(h.app.view.menu, Command(Kind.CHECK_UPDATES)) is None
    entry.trigger()
    qtbot.waitUntil(lambda: bool(dialogs["asked"]), timeout=10_000)
    assert dialogs["asked"][0].url == "https://example.org/tracktray-99"
    h.wait_idle()
    saved = h.store.load().preferences
    # TrackMyPeople names a release by its URL only, so that is what is skipped
    assert saved.skipped_version in ("99.0.0", "https://example.org/tracktray-99")
    assert set(saved.update_checks) == {"upd"}
    h.open_menu()  # skipped: the entry is gone
    assert find_action(h.app.view.menu, Command(Kind.SHOW_UPDATE)) is None

    # asked by hand, the same release is shown again
    trackmypeople_server.engine.set_release("Linux_Qt", __version__, "https://example.org/current")
    h.app.dispatch(Command(Kind.CHECK_UPDATES))
    qtbot.waitUntil(lambda: bool(dialogs["told"]), timeout=10_000)
    assert __version__ in dialogs["told"][0]
