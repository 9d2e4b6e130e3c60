"""The Attendances window: one week of clock-in/clock-out entries, added, fixed, deleted.

Every server call goes the one road of the widget, the session's account lane
(:meth:`tracktray.desktop.session.Session.run_on_backend`), so the window never
freezes, its changes reach the server in the order they were made, and an answer for an
account that is no longer open never arrives. A refused
change shows the server's own sentence under the table and leaves the list as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracktray.accounts.timetrack import AttendanceBackend
from tracktray.desktop.attendance_editor import AttendanceEditor, EntryValues
from tracktray.desktop.dialogs import confirm
from tracktray.domain.timetrack import Attendance
from tracktray.i18n import N_, _, format_clock, format_weekday_date, pgettext

__all__ = ["AttendancesWindow", "Record", "RunOnAttendance", "hours_minutes", "week_of"]

#: writes a change to the journal and sends it: (kind, args, on_outcome(state, sentence))
Record = Callable[[str, dict[str, Any], Callable[[str, str], None]], None]


def _args(values: EntryValues) -> dict[str, Any]:
    """An entry's values as the journal keeps them (wall-clock times, ISO text)."""
    return {
        "start": values.start.isoformat(),
        "end": values.end.isoformat(),
        "break_minutes": values.break_minutes,
        "notes": values.notes,
    }


#: runs ``work(face)`` off the Qt thread on the account's lane, then one of the callbacks
RunOnAttendance = Callable[
    [Callable[[AttendanceBackend], Any], Callable[[Any], None], Callable[[Exception], None]],
    None,
]

COLUMNS = (N_("From"), N_("To"), N_("Break"), N_("Worked"), N_("Notes"), N_("Made by"))


def week_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def hours_minutes(minutes: int) -> str:
    return f"{max(0, minutes) // 60}:{max(0, minutes) % 60:02d}"


class AttendancesWindow(QWidget):
    #: an entry was added, changed or deleted (the tray refreshes its day total)
    changed = Signal()
    #: a week finished loading (tests wait on it)
    loaded = Signal()

    def __init__(
        self,
        run: RunOnAttendance,
        *,
        today: dt.date | None = None,
        record: Record | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Attendances"))
        self._run = run
        self._record = record
        self._today = today or dt.date.today()
        self._week = week_of(self._today)
        self._entries: list[Attendance] = []
        self._closed = False

        self.previous = QPushButton(_("◀ Previous week"))
        self.this_week = QPushButton(_("This week"))
        self.next = QPushButton(_("Next week ▶"))
        self.picker = QDateEdit()
        self.picker.setCalendarPopup(True)
        self.picker.setDisplayFormat(_("'Week of' yyyy-MM-dd"))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.total = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        self.add_button = QPushButton(_("Add…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete"))

        nav = QHBoxLayout()
        for widget in (self.previous, self.this_week, self.picker, self.next):
            nav.addWidget(widget)
        actions = QHBoxLayout()
        for widget in (self.add_button, self.edit_button, self.delete_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.total)
        layout = QVBoxLayout(self)
        layout.addLayout(nav)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        self.resize(720, 420)

        self.previous.clicked.connect(lambda: self.show_week(self._week - dt.timedelta(7)))
        self.next.clicked.connect(lambda: self.show_week(self._week + dt.timedelta(7)))
        self.this_week.clicked.connect(lambda: self.show_week(self._today))
        self.picker.dateChanged.connect(self._on_picked)
        self.add_button.clicked.connect(self.on_add)
        self.edit_button.clicked.connect(self.on_edit)
        self.delete_button.clicked.connect(self.on_delete)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.on_edit())
        self.show_week(self._today)

    # -- the week ------------------------------------------------------------------------

    @property
    def week(self) -> dt.date:
        return self._week

    @property
    def entries(self) -> list[Attendance]:
        return list(self._entries)

    def show_week(self, day: dt.date) -> None:
        self._week = week_of(day)
        self.picker.blockSignals(True)
        self.picker.setDate(QDate(self._week.year, self._week.month, self._week.day))
        self.picker.blockSignals(False)
        self.reload()

    def _on_picked(self, value: QDate) -> None:
        self.show_week(dt.date(value.year(), value.month(), value.day()))

    def reload(self) -> None:
        start = dt.datetime.combine(self._week, dt.time())
        end = dt.datetime.combine(self._week + dt.timedelta(days=6), dt.time(23, 59, 59))
        week = self._week
        self.total.setText(_("Loading…"))
        self._run(
            lambda face: face.attendances(start, end),
            lambda entries: self._show(week, entries),
            self._failed,
        )

    def _show(self, week: dt.date, entries: list[Attendance]) -> None:
        if week != self._week or self._closed:  # moved on to another week, or closed
            return
        self._entries = list(entries)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            same_day = entry.end.date() == entry.start.date()
            cells = (
                f"{format_weekday_date(entry.start.date())} {format_clock(entry.start)}",
                format_clock(entry.end)
                if same_day
                else f"{format_weekday_date(entry.end.date())} {format_clock(entry.end)}",
                hours_minutes(entry.break_minutes),
                hours_minutes(entry.worked_minutes),
                entry.notes,
                pgettext("attendance", "manual")
                if entry.manual
                else pgettext("attendance", "clock"),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                self.table.setItem(row, column, item)
        total = sum(e.worked_minutes for e in entries)
        self.total.setText(_("Worked this week: {total}").format(total=hours_minutes(total)))
        self._update_buttons()
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        if self._closed:
            return
        self.total.setText("")
        self.message.setText(str(error))
        self.loaded.emit()

    def selected(self) -> Attendance | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self._entries[row] if row < len(self._entries) else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    # -- changes -------------------------------------------------------------------------

    def on_add(self) -> None:
        day = self._today if week_of(self._today) == self._week else self._week
        suggestion = EntryValues(
            dt.datetime.combine(day, dt.time(9)), dt.datetime.combine(day, dt.time(17)), 30, ""
        )

        def chosen(values: EntryValues | None) -> None:
            if values is None or self._closed:
                return
            self._change(
                lambda face: face.add_attendance(
                    values.start,
                    values.end,
                    break_minutes=values.break_minutes,
                    notes=values.notes,
                ),
                _("The entry could not be added"),
                ("attendance_add", _args(values)),
            )

        AttendanceEditor.ask(_("Add attendance"), suggestion, self, chosen)

    def on_edit(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        current = EntryValues(entry.start, entry.end, entry.break_minutes, entry.notes)

        def chosen(values: EntryValues | None) -> None:
            if values is None or values == current or self._closed:
                return
            self._change(
                lambda face: face.edit_attendance(
                    entry.id,
                    start=values.start,
                    end=values.end,
                    break_minutes=values.break_minutes,
                    notes=values.notes,
                ),
                _("The entry could not be changed"),
                ("attendance_edit", {"id": entry.id, **_args(values)}),
            )

        AttendanceEditor.ask(_("Edit attendance"), current, self, chosen)

    def on_delete(self) -> None:
        entry = self.selected()
        if entry is None:
            return

        def answered(yes: bool) -> None:
            if yes and not self._closed:
                self._change(
                    lambda face: face.delete_attendance(entry.id),
                    _("The entry could not be deleted"),
                    ("attendance_delete", {"id": entry.id}),
                )

        self.confirm_delete(entry, self, answered)

    @classmethod
    def confirm_delete(
        cls, entry: Attendance, parent: QWidget | None, answer: Callable[[bool], None]
    ) -> None:
        """Ask before deleting (non-modal; the answer comes later). Tests may replace this."""
        confirm(
            parent,
            _("Delete attendance"),
            _("Delete the entry of {day}, {start}–{end}?").format(
                day=format_weekday_date(entry.start.date()),
                start=format_clock(entry.start),
                end=format_clock(entry.end),
            ),
            answer,
            yes=_("Delete"),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        # answers still on their way must not touch a closed window (its account may be
        # closed too: the window closes when the active account changes)
        self._closed = True
        super().closeEvent(event)

    def _change(
        self,
        work: Callable[[AttendanceBackend], object],
        failure: str,
        entry: tuple[str, dict[str, Any]],
    ) -> None:
        """Make a change: through the journal when the window has one (the widget), so
        it is kept with its time when the server is away; else straight on the lane."""
        self.message.setText("")
        if self._record is not None:
            kind, args = entry

            def outcome(state: str, sentence: str) -> None:
                if state == "done":
                    self.changed.emit()
                    if not self._closed:
                        self.reload()
                elif not self._closed:
                    self.message.setText(
                        sentence if state == "waiting" else f"{failure}: {sentence}"
                    )
                    self.loaded.emit()

            self._record(kind, args, outcome)
            return

        def done(_result: object) -> None:
            self.changed.emit()
            if not self._closed:
                self.reload()

        def failed(error: Exception) -> None:
            if self._closed:
                return
            self.message.setText(f"{failure}: {error}")
            self.loaded.emit()

        self._run(work, done, failed)
