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
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracktray.desktop.idle_settings import IdleSettings
from tracktray.desktop.language import CHOICES
from tracktray.i18n import N_, _

if TYPE_CHECKING:
    from tracktray.store.settings import Preferences

__all__ = ["SettingsDialog"]

CLICK_ACTIONS = (("toggle", N_("Start or stop tracking")), ("menu", N_("Open the menu")))
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
        self.setWindowTitle(_("TrackTray settings"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._original = preferences
        self.poll_interval = QSpinBox()
        self.poll_interval.setRange(MIN_POLL_S, MAX_POLL_S)
        self.poll_interval.setSuffix(_(" s"))
        self.poll_interval.setValue(max(MIN_POLL_S, min(MAX_POLL_S, preferences.poll_interval_s)))
        self.click_action = QComboBox()
        for key, label in CLICK_ACTIONS:
            self.click_action.addItem(_(label), key)
        self.click_action.setCurrentIndex(
            max(0, self.click_action.findData(preferences.click_action))
        )
        self.notifications = QCheckBox(_("Show notifications"))
        self.notifications.setChecked(preferences.notifications)
        self.start_at_login = QCheckBox(_("Start TrackTray when I log in"))
        self.start_at_login.setChecked(preferences.start_at_login)
        self.language = QComboBox()
        for key, name in CHOICES:
            self.language.addItem(name or _("System"), key)
        self.language.setCurrentIndex(max(0, self.language.findData(preferences.language)))
        self.language_note = QLabel(_("Takes effect the next time TrackTray starts."))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)  # a box layout: the idle section's wrapped text grows
        form = QFormLayout()
        column.addLayout(form)
        form.addRow(_("Ask the server every:"), self.poll_interval)
        form.addRow(_("A click on the icon:"), self.click_action)
        form.addRow(self.notifications)
        form.addRow(self.start_at_login)
        form.addRow(_("Language:"), self.language)
        form.addRow("", self.language_note)
        self.idle = IdleSettings(preferences, idle_explanation, lock_events=lock_events)
        column.addWidget(self.idle)
        column.addWidget(buttons)

    def preferences(self) -> Preferences:
        edited = self.idle.edited(self._original)
        return dataclasses.replace(
            edited,
            poll_interval_s=self.poll_interval.value(),
            click_action=self.click_action.currentData(),
            notifications=self.notifications.isChecked(),
            start_at_login=self.start_at_login.isChecked(),
            language=self.language.currentData(),
        )

    def accept(self) -> None:
        self.saved.emit(self.preferences())
        super().accept()
