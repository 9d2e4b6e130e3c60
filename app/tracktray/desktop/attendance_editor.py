"""The small form that adds or changes one attendance entry.

Only the form's own sanity is checked here (a start and an end are given); the rules
(start before end, break shorter than the entry) are the server's, and its sentence is
shown by the Attendances window, so a person sees the same words the CLI prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from tracktray.desktop.dialogs import present
from tracktray.i18n import _

__all__ = ["AttendanceEditor", "EntryValues"]


@dataclass(frozen=True, slots=True)
class EntryValues:
    """What the form returns: wall-clock times on this computer, break in minutes."""

    start: dt.datetime
    end: dt.datetime
    break_minutes: int
    notes: str


def _qt(moment: dt.datetime) -> QDateTime:
    return QDateTime(
        QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute)
    )


def _py(value: QDateTime) -> dt.datetime:
    day, clock = value.date(), value.time()
    return dt.datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())


class AttendanceEditor(QDialog):
    def __init__(self, title: str, values: EntryValues, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.start = QDateTimeEdit(_qt(values.start))
        self.end = QDateTimeEdit(_qt(values.end))
        for edit in (self.start, self.end):
            edit.setDisplayFormat(_("ddd yyyy-MM-dd HH:mm"))
            edit.setCalendarPopup(True)
        self.break_minutes = QSpinBox()
        # the range is wide on purpose: the server, not the form, says what is too long
        self.break_minutes.setRange(0, 24 * 60)
        self.break_minutes.setSuffix(_(" min"))
        self.break_minutes.setValue(values.break_minutes)
        self.notes = QLineEdit(values.notes)
        form.addRow(_("From"), self.start)
        form.addRow(_("To"), self.end)
        form.addRow(_("Break"), self.break_minutes)
        form.addRow(_("Notes"), self.notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> EntryValues:
        return EntryValues(
            start=_py(self.start.dateTime()),
            end=_py(self.end.dateTime()),
            break_minutes=self.break_minutes.value(),
            notes=self.notes.text().strip(),
        )

    @classmethod
    def ask(
        cls,
        title: str,
        values: EntryValues,
        parent: QWidget | None,
        answer: Callable[[EntryValues | None], None],
    ) -> AttendanceEditor:
        """Show the form (non-modal; the tray keeps answering); ``answer`` gets the values,
        or None when cancelled or closed. Tests may replace this method."""
        dialog = cls(title, values, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        answered: list[bool] = []

        def finished(result: int) -> None:
            if answered:
                return
            answered.append(True)
            accepted = result == QDialog.DialogCode.Accepted.value
            answer(dialog.values() if accepted else None)

        dialog.finished.connect(finished)
        present(dialog)
        return dialog
