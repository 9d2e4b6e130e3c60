"""The settings dialog: poll interval, click action, notifications, start at login, and
the "Away and reminders" section (:mod:`tracktray.desktop.idle_settings`).

It edits a copy of :class:`~tracktray.store.settings.Preferences` and hands the new one
to the app through :attr:`SettingsDialog.saved`; the app writes the file and the
autostart entry on a worker (both are disk writes).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from tracktray.desktop.idle_settings import IdleSettings

if TYPE_CHECKING:
    from tracktray.store.settings import Preferences

__all__ = ["SettingsDialog"]

CLICK_ACTIONS = (("toggle", "Start or stop tracking"), ("menu", "Open the menu"))
#: polling faster than this gains nothing a person notices and loads the server
MIN_POLL_S = 10
MAX_POLL_S = 3600


class SettingsDialog(QDialog):
    #: the edited Preferences
    saved = Signal(object)

    def __init__(
        self,
        preferences: Preferences,
        parent: QWidget | None = None,
        *,
        idle_explanation: str = "",
        lock_events: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("TrackTray settings")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._original = preferences
        self.poll_interval = QSpinBox()
        self.poll_interval.setRange(MIN_POLL_S, MAX_POLL_S)
        self.poll_interval.setSuffix(" s")
        self.poll_interval.setValue(max(MIN_POLL_S, min(MAX_POLL_S, preferences.poll_interval_s)))
        self.click_action = QComboBox()
        for key, label in CLICK_ACTIONS:
            self.click_action.addItem(label, key)
        self.click_action.setCurrentIndex(
            max(0, self.click_action.findData(preferences.click_action))
        )
        self.notifications = QCheckBox("Show notifications")
        self.notifications.setChecked(preferences.notifications)
        self.start_at_login = QCheckBox("Start TrackTray when I log in")
        self.start_at_login.setChecked(preferences.start_at_login)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Ask the server every:", self.poll_interval)
        form.addRow("A click on the icon:", self.click_action)
        form.addRow(self.notifications)
        form.addRow(self.start_at_login)
        self.idle = IdleSettings(preferences, idle_explanation, lock_events=lock_events)
        form.addRow(self.idle)
        form.addRow(buttons)

    def preferences(self) -> Preferences:
        edited = self.idle.edited(self._original)
        return dataclasses.replace(
            edited,
            poll_interval_s=self.poll_interval.value(),
            click_action=self.click_action.currentData(),
            notifications=self.notifications.isChecked(),
            start_at_login=self.start_at_login.isChecked(),
        )

    def accept(self) -> None:
        self.saved.emit(self.preferences())
        super().accept()
