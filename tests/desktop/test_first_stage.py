"""The first stage's icon: clicks made before the app takes it over are not lost."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from tracktray.desktop.first_stage import FirstLook

Reason = QSystemTrayIcon.ActivationReason


def test_clicks_before_the_take_over_reach_the_app_in_order_and_later_ones_directly(
    qapp: Any,
) -> None:
    parent = QObject()
    icon = QSystemTrayIcon()
    first = FirstLook(icon, "local", ([], None), parent)
    seen: list[object] = []
    icon.activated.emit(Reason.Trigger)  # a left click while the app still loads
    icon.activated.emit(Reason.Context)  # the menu comes with the app: nothing kept
    first.click()  # the bench's click
    assert seen == []

    first.hand_over(seen.append, lambda: seen.append("click"))
    assert seen == [Reason.Trigger, "click"]
    first.click()
    assert seen[-1] == "click"
    icon.activated.emit(Reason.Trigger)  # the app's own view listens from now on
    assert seen == [Reason.Trigger, "click", "click"]
