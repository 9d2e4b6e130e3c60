"""The "Away and reminders" part of the Settings dialog.

Edits the idle preferences (see :class:`~tracktray.store.settings.Preferences`) and says
plainly whether this computer can tell when the person is away; where it cannot, the
away controls are disabled rather than pretending.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QLocale, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from tracktray.desktop.idle_prefs import days_from_bits, parse_time
from tracktray.i18n import _
from tracktray.store.settings import Preferences

__all__ = ["IdleSettings"]

#: ISO weekdays, Monday first, as the working days are stored (bit 0 = Monday)
ISO_WEEKDAYS = range(1, 8)


def _minutes(seconds: int, low: int, high: int) -> int:
    return max(low, min(high, round(seconds / 60)))


class IdleSettings(QGroupBox):
    def __init__(
        self,
        preferences: Preferences,
        explanation: str,
        parent: QWidget | None = None,
        *,
        lock_events: bool = True,
    ) -> None:
        super().__init__(_("Away and reminders"), parent)
        self._original = preferences
        self.explanation = QLabel(explanation)
        self.explanation.setWordWrap(True)
        # the first words of choose.py's "cannot tell" sentence, as the catalog words it
        cannot = _("TrackTray cannot tell when you are away on this computer. {reasons}")
        available = not explanation.startswith(cannot.split("{reasons}")[0].strip())
        self.ask_when_back = QCheckBox(_("When I come back, ask what to do with the time away"))
        self.ask_when_back.setChecked(preferences.idle_detection)
        self.ask_when_back.setEnabled(available)
        self.idle_after = QSpinBox()
        self.idle_after.setRange(1, 240)
        self.idle_after.setSuffix(_(" min"))
        self.idle_after.setValue(_minutes(preferences.idle_after_s, 1, 240))
        self.idle_after.setEnabled(available)
        self.stop_on_lock = QCheckBox(_("Stop the timer when the screen locks"))
        self.stop_on_lock.setChecked(preferences.stop_on_lock)
        self.stop_on_sleep = QCheckBox(_("Stop the timer when the computer sleeps"))
        self.stop_on_sleep.setChecked(preferences.stop_on_sleep)
        self.stop_on_shutdown = QCheckBox(_("Stop the timer when the computer shuts down"))
        self.stop_on_shutdown.setChecked(preferences.stop_on_shutdown)
        for box in (self.stop_on_lock, self.stop_on_sleep, self.stop_on_shutdown):
            box.setEnabled(lock_events)  # nothing would ever tell us
        self.forgotten = QCheckBox(_("Ask “Still working?” when a timer runs longer than"))
        self.forgotten.setChecked(preferences.forgotten_prompt)
        self.forgotten_after = QSpinBox()
        self.forgotten_after.setRange(1, 24)
        self.forgotten_after.setSuffix(_(" h"))
        self.forgotten_after.setValue(max(1, min(24, round(preferences.forgotten_after_s / 3600))))
        self.remind = QCheckBox(_("Remind me when nothing is tracked, after"))
        self.remind.setChecked(preferences.reminder_enabled)
        self.remind.setEnabled(available)
        self.remind_after = QSpinBox()
        self.remind_after.setRange(5, 240)
        self.remind_after.setSuffix(_(" min of activity"))
        self.remind_after.setValue(_minutes(preferences.reminder_after_s, 5, 240))
        days = days_from_bits(preferences.work_days)
        locale = QLocale()
        self.day_boxes = [
            QCheckBox(locale.dayName(day, QLocale.FormatType.ShortFormat)) for day in ISO_WEEKDAYS
        ]
        day_row = QHBoxLayout()
        for number, box in enumerate(self.day_boxes, start=1):
            box.setChecked(number in days)
            day_row.addWidget(box)
        start = parse_time(preferences.work_start, dt.time(9))
        end = parse_time(preferences.work_end, dt.time(18))
        self.work_start = QTimeEdit(QTime(start.hour, start.minute))
        self.work_end = QTimeEdit(QTime(end.hour, end.minute))
        for edit in (self.work_start, self.work_end):
            edit.setDisplayFormat("HH:mm")
        hours_row = QHBoxLayout()
        hours_row.addWidget(self.work_start)
        hours_row.addWidget(QLabel(_("to")))
        hours_row.addWidget(self.work_end)
        # The wrapped explanation sits in a box layout above the form: a QFormLayout row
        # gives a word-wrapped label the height of a wider line, and cuts it off.
        column = QVBoxLayout(self)
        column.addWidget(self.explanation)
        form = QFormLayout()
        column.addLayout(form)
        form.addRow(self.ask_when_back)
        form.addRow(_("Away after:"), self.idle_after)
        form.addRow(self.stop_on_lock)
        form.addRow(self.stop_on_sleep)
        form.addRow(self.stop_on_shutdown)
        form.addRow(self.forgotten, self.forgotten_after)
        form.addRow(self.remind, self.remind_after)
        form.addRow(_("Working days:"), day_row)
        form.addRow(_("Working hours:"), hours_row)

    def edited(self, preferences: Preferences) -> Preferences:
        """``preferences`` with this section's values."""
        bits = sum(1 << n for n, box in enumerate(self.day_boxes) if box.isChecked())
        original = self._original
        return dataclasses.replace(
            preferences,
            idle_detection=self.ask_when_back.isChecked(),
            idle_after_s=_kept(original.idle_after_s, self.idle_after.value(), 60, 1, 240),
            stop_on_lock=self.stop_on_lock.isChecked(),
            stop_on_sleep=self.stop_on_sleep.isChecked(),
            stop_on_shutdown=self.stop_on_shutdown.isChecked(),
            forgotten_prompt=self.forgotten.isChecked(),
            forgotten_after_s=_kept(
                original.forgotten_after_s, self.forgotten_after.value(), 3600, 1, 24
            ),
            reminder_enabled=self.remind.isChecked(),
            reminder_after_s=_kept(
                original.reminder_after_s, self.remind_after.value(), 60, 5, 240
            ),
            work_days=bits or original.work_days,
            work_start=self.work_start.time().toString("HH:mm"),
            work_end=self.work_end.time().toString("HH:mm"),
        )


def _kept(original_s: int, shown: int, unit_s: int, low: int, high: int) -> int:
    """Seconds for a spin box value; a value set in the file that the box cannot show
    exactly (seconds, or outside its range) stays as it is unless the person changed it."""
    if max(low, min(high, round(original_s / unit_s))) == shown:
        return original_s
    return shown * unit_s
