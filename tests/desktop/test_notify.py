"""Notifier roads that need no display: fallbacks, the settings switch, balloon clicks.

The freedesktop road against a real service (dunst) is tested in
``tests/e2e/test_notifications.py``.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from tests.support.desktop_env import missing_programs, private_session_bus
from tracktray.desktop.notify import Notifier


@pytest.fixture
def tray(qtbot: QtBot) -> Iterator[QSystemTrayIcon]:
    icon = QSystemTrayIcon(QIcon())
    yield icon
    icon.deleteLater()


@pytest.fixture
def notifier(qtbot: QtBot) -> Iterator[Notifier]:
    notifier = Notifier()
    yield notifier
    notifier.close()


@pytest.fixture(scope="module")
def empty_bus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real session bus on which no notification service runs."""
    if missing := missing_programs("dbus-daemon"):
        pytest.skip(f"needs {missing[0]}")
    folder = tmp_path_factory.mktemp("bus")
    with private_session_bus(folder, folder) as address:
        yield address


def test_without_a_session_bus_the_tray_balloon_shows_it(
    qtbot: QtBot, notifier: Notifier, tray: QSystemTrayIcon
) -> None:
    # tests/conftest.py sets DBUS_SESSION_BUS_ADDRESS=disabled:, as on a bare X session.
    notifier.set_fallback_tray(tray)
    with qtbot.waitSignal(notifier.delivered, timeout=5000) as blocker:
        notifier.notify("Signed out", "The server did not accept the password.")
    assert blocker.args == ["tray"]


def test_without_a_notification_service_the_tray_balloon_shows_it(
    qtbot: QtBot, empty_bus: str, tray: QSystemTrayIcon
) -> None:
    notifier = Notifier(bus_address=empty_bus)
    notifier.set_fallback_tray(tray)
    try:
        with qtbot.waitSignal(notifier.delivered, timeout=5000) as blocker:
            notifier.notify("Started Website", "Started on another device.")
        assert blocker.args == ["tray"]
    finally:
        notifier.close()


def test_a_bus_that_went_away_falls_back_instead_of_raising(
    qtbot: QtBot, tmp_path: Path, tray: QSystemTrayIcon
) -> None:
    notifier = Notifier(bus_address=f"unix:path={tmp_path / 'gone'}")
    notifier.set_fallback_tray(tray)
    try:
        for _ in range(2):  # the second call retries the bus, and falls back again
            with qtbot.waitSignal(notifier.delivered, timeout=5000) as blocker:
                notifier.notify("Offline", "The server cannot be reached.")
            assert blocker.args == ["tray"]
    finally:
        notifier.close()


def test_switched_off_shows_nothing(
    qtbot: QtBot, notifier: Notifier, tray: QSystemTrayIcon
) -> None:
    notifier.set_fallback_tray(tray)
    notifier.enabled = False
    with qtbot.assertNotEmitted(notifier.delivered, wait=300):
        notifier.notify("Started Website", "Started on another device.")


def test_with_neither_service_nor_tray_nothing_breaks(qtbot: QtBot, notifier: Notifier) -> None:
    with qtbot.waitSignal(notifier.delivered, timeout=5000) as blocker:
        notifier.notify("Offline", "The server cannot be reached.")
    assert blocker.args == ["none"]


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_macos_and_windows_use_the_balloon_for_now(
    qtbot: QtBot, tray: QSystemTrayIcon, platform: str
) -> None:
    notifier = Notifier(platform=platform)
    notifier.set_fallback_tray(tray)
    with qtbot.waitSignal(notifier.delivered, timeout=1000) as blocker:
        notifier.notify("Update available", "tracktray 0.2.0 is ready.")
    assert blocker.args == ["tray"]


def test_clicking_the_balloon_runs_the_first_action(qtbot: QtBot, tray: QSystemTrayIcon) -> None:
    notifier = Notifier(platform="win32")
    notifier.set_fallback_tray(tray)
    chosen: list[str] = []
    notifier.notify(
        "Update available",
        "tracktray 0.2.0 is ready.",
        actions=[("download", "Download"), ("later", "Later")],
        on_action=chosen.append,
    )
    with qtbot.waitSignal(notifier.action_invoked) as blocker:
        tray.messageClicked.emit()  # what Qt emits when the person clicks the balloon
    assert blocker.args == ["download"]
    assert chosen == ["download"]
    # A second click on nothing (the balloon is gone) does not repeat the action.
    with qtbot.assertNotEmitted(notifier.action_invoked):
        tray.messageClicked.emit()


def test_a_hung_notification_service_never_stalls_the_ui_and_falls_back(
    qtbot: QtBot, empty_bus: str, tray: QSystemTrayIcon
) -> None:
    # A service that owns the name and never answers: the worst case for a blocking call.
    with open_dbus_connection(empty_bus) as hung:
        hung.send_and_get_reply(message_bus.RequestName("org.freedesktop.Notifications"))
        notifier = Notifier(bus_address=empty_bus, service_timeout_s=0.5)
        notifier.set_fallback_tray(tray)
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start()
        try:
            with qtbot.waitSignal(notifier.delivered, timeout=5000) as blocker:
                called = time.monotonic()
                notifier.notify("Started Website", "Started on another device.")
                returned = time.monotonic()
        finally:
            timer.stop()
            notifier.close()
    assert blocker.args == ["tray"]
    assert returned - called < 0.05
    # Half the service timeout: a bound only a call blocking on the service can break,
    # loose enough for a busy 2-core CI machine.
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert len(ticks) > 20 and max(gaps) < 0.25, f"the event loop stalled {max(gaps):.3f} s"
