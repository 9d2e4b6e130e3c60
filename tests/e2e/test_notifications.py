"""Notifications reach a real freedesktop service (dunst), seen on the bus.

The Notifier runs in this process (its D-Bus client needs no display); dunst draws on
the session's Xvfb. ``dunstctl`` plays the person clicking the notification.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from jeepney import Message
from pytestqt.qtbot import QtBot

from tests.e2e.screen import NOTIFY_CALLS
from tests.support.desktop_env import DesktopSession, bus_monitor
from tracktray.desktop.notify import Notifier


@pytest.fixture
def notifier(desktop: DesktopSession, qtbot: QtBot) -> Iterator[Notifier]:
    desktop.dunstctl("close-all")
    notifier = Notifier(bus_address=desktop.bus_address)
    yield notifier
    notifier.close()


def test_a_notification_reaches_the_desktop_service(
    desktop: DesktopSession, notifier: Notifier, qtbot: QtBot
) -> None:
    with bus_monitor(desktop.bus_address, NOTIFY_CALLS) as seen:
        with qtbot.waitSignal(notifier.delivered, timeout=5000) as blocker:
            notifier.notify(
                "Update available",
                "tracktray 0.2.0 is ready.",
                actions=[("download", "Download")],
            )
        qtbot.waitUntil(lambda: len(seen) >= 1, timeout=5000)
    assert blocker.args == ["freedesktop"]
    calls: list[Message] = seen
    app_name, _replaces, icon, summary, body, actions, hints, _timeout = calls[0].body
    assert icon.startswith("file://") and icon.endswith("/tracktray.svg")
    assert (app_name, summary, body) == (
        "tracktray",
        "Update available",
        "tracktray 0.2.0 is ready.",
    )
    # dunst announces the "actions" capability, so the button and a click on the body
    # (the "default" action) are both offered.
    assert actions == ["default", "Download", "download", "Download"]
    assert hints["desktop-entry"] == ("s", "tracktray")
    qtbot.waitUntil(lambda: desktop.dunstctl("count", "displayed") == "1", timeout=5000)


def test_choosing_the_action_in_the_service_calls_back_on_the_qt_thread(
    desktop: DesktopSession, notifier: Notifier, qtbot: QtBot
) -> None:
    chosen: list[str] = []
    with qtbot.waitSignal(notifier.delivered, timeout=5000):
        notifier.notify(
            "Signed out",
            "The server did not accept the password.",
            actions=[("sign-in", "Sign in")],
            on_action=chosen.append,
        )
    qtbot.waitUntil(lambda: desktop.dunstctl("count", "displayed") == "1", timeout=5000)
    with qtbot.waitSignal(notifier.action_invoked, timeout=5000) as blocker:
        desktop.dunstctl("action", "0")  # the person clicks the notification
    assert blocker.args == ["sign-in"]
    assert chosen == ["sign-in"]


def test_switched_off_nothing_reaches_the_bus(
    desktop: DesktopSession, notifier: Notifier, qtbot: QtBot
) -> None:
    notifier.enabled = False
    with (
        bus_monitor(desktop.bus_address, NOTIFY_CALLS) as seen,
        qtbot.assertNotEmitted(notifier.delivered, wait=300),
    ):
        notifier.notify("Started Website", "Started on another device.")
    assert seen == []
    assert desktop.dunstctl("count", "displayed") == "0"
