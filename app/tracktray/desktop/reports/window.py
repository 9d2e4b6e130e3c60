"""The reports window: a period, per-tracker totals, a bar per day, the blocks; export.

Everything slow happens on the account's lane: the report, the tree, the reportees,
the TimeTrack work reports, and the summing (a year can be tens of thousands of
blocks). The window only draws what comes back. It is non-modal and never runs a
nested event loop; even the save dialog of an export is a plain non-modal window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from tracktray.accounts import Backend, Capability
from tracktray.desktop.form_window import FormWindow
from tracktray.desktop.reports.chart import DayChart
from tracktray.desktop.reports.export import write_csv, write_xlsx
from tracktray.desktop.reports.tables import DESCRIPTION_COLUMN, BlocksModel, fill_tracker_tree
from tracktray.desktop.session import Session
from tracktray.desktop.windows import place_centred
from tracktray.domain import Profile, ReportQuery, TrackerTree
from tracktray.domain.summary import (
    Period,
    ReportSummary,
    decimal_hours,
    hours_minutes,
    period_days,
    shift_period,
    summarize,
)
from tracktray.domain.timetrack import WorkDay
from tracktray.i18n import _

__all__ = ["ReportsWindow"]

RESIZE_SAMPLE_ROWS = 60


@runtime_checkable
class WorkReports(Protocol):
    """TimeTrack accounts: attendance per day against the daily target."""

    def work_reports(self, start: dt.datetime, end: dt.datetime) -> list[WorkDay]: ...


@dataclass(frozen=True, slots=True)
class Loaded:
    summary: ReportSummary
    tree: TrackerTree
    work_days: list[WorkDay] | None


class ReportsWindow(FormWindow):
    #: a report was drawn (tests and the bench wait on it)
    loaded = Signal()
    #: an export finished: (True, path) or (False, the sentence shown)
    exported = Signal(bool, str)

    def __init__(self, session: Session, *, today: dt.date | None = None) -> None:
        super().__init__(session, _("Reports"), _("Refresh"))
        self.action_button.clicked.connect(self.load)
        self._today = today or dt.date.today()
        self._anchor = self._today
        self._tree = session.tree
        self.data: Loaded | None = None
        self.period_box = QComboBox()
        for period in Period:
            self.period_box.addItem(_(period.value), period)
        self.period_box.setCurrentIndex(1)  # a week
        self.period_box.currentIndexChanged.connect(self._on_period)
        self.previous_button = QPushButton("◀")
        self.next_button = QPushButton("▶")
        self.today_button = QPushButton(_("Today"))
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.today_button.clicked.connect(self._back_to_today)
        self.first_edit = QDateEdit()
        self.last_edit = QDateEdit()
        for edit in (self.first_edit, self.last_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(_("yyyy-MM-dd"))
            edit.dateChanged.connect(self._on_custom_dates)
        self.person_box = QComboBox()
        self.person_box.addItem(_("Me"), None)
        self.person_box.setVisible(False)
        self.person_box.currentIndexChanged.connect(lambda _i: self.load())
        controls = QHBoxLayout()
        for widget in (
            self.period_box, self.previous_button, self.today_button, self.next_button,
            self.first_edit, QLabel(_("to")), self.last_edit,
        ):  # fmt: skip
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.person_box)
        self.summary_label = QLabel(_("Loading…"))
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.tracker_tree = QTreeWidget()
        self.tracker_tree.setHeaderLabels([_("Tracker"), _("Worked"), _("Hours"), _("Free")])
        # names take the room left over, so the figures sit together on the right
        self.tracker_tree.header().setStretchLastSection(False)
        self.tracker_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chart = DayChart()
        self.blocks_model = BlocksModel()
        self.blocks_view = QTableView()
        self.blocks_view.setModel(self.blocks_model)
        self.blocks_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.blocks_view.verticalHeader().setVisible(False)
        # one line of text per block, like the tracker list beside it (the style's default
        # row is twice as tall and shows half as many blocks)
        self.blocks_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.blocks_view.horizontalHeader().setStretchLastSection(False)
        # the description takes the room left over; numbers keep their fitted width
        self.blocks_view.horizontalHeader().setSectionResizeMode(
            DESCRIPTION_COLUMN, QHeaderView.ResizeMode.Stretch
        )
        # size columns from the first rows only: measuring a year of blocks takes seconds
        self.blocks_view.horizontalHeader().setResizeContentsPrecision(RESIZE_SAMPLE_ROWS)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.tracker_tree)
        top.addWidget(self.chart)
        top.setSizes([300, 500])
        time_tab = QSplitter(Qt.Orientation.Vertical)
        time_tab.addWidget(top)
        time_tab.addWidget(self.blocks_view)
        time_tab.setSizes([220, 300])  # a taller window lengthens the block list
        time_tab.setStretchFactor(1, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(time_tab, _("Time"))
        self.attendance_table = QTableWidget(0, 5)
        self.attendance_table.setHorizontalHeaderLabels(
            [_("Date"), _("At work"), _("Break"), _("Target"), _("Difference")]
        )
        self.attendance_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.attendance_table.verticalHeader().setVisible(False)
        self.attendance_label = QLabel("")
        attendance = QWidget()
        attendance_layout = QVBoxLayout(attendance)
        attendance_layout.addWidget(self.attendance_label)
        attendance_layout.addWidget(self.attendance_table)
        self._attendance_tab = attendance
        self.csv_button = QPushButton(_("Export CSV…"))
        self.xlsx_button = QPushButton(_("Export XLSX…"))
        self.csv_button.clicked.connect(lambda: self.ask_export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.ask_export("xlsx"))
        exports = QHBoxLayout()
        exports.addWidget(self.csv_button)
        exports.addWidget(self.xlsx_button)
        exports.addStretch(1)
        self.body.addLayout(controls)
        self.body.addWidget(self.summary_label)
        self.body.addWidget(self.tabs, 1)
        self.body.addLayout(exports)
        # the tables get the window's spare height, not the (empty) message line below
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.setStretchFactor(self.body, 1)
        self.resize(900, 640)
        place_centred(self)
        self._show_dates()
        self._load_people()
        self.load()

    # -- the period ------------------------------------------------------------------

    @property
    def period(self) -> Period:
        value = self.period_box.currentData()
        assert isinstance(value, Period)
        return value

    def set_period(self, period: Period, anchor: dt.date | None = None) -> None:
        """Show ``period`` around ``anchor`` (tests and the bench start here)."""
        self._anchor = anchor or self._anchor
        self.period_box.blockSignals(True)
        self.period_box.setCurrentIndex(self.period_box.findData(period))
        self.period_box.blockSignals(False)
        self._show_dates()
        self.load()

    def set_range(self, first: dt.date, last: dt.date) -> None:
        self.period_box.blockSignals(True)
        self.period_box.setCurrentIndex(self.period_box.findData(Period.CUSTOM))
        self.period_box.blockSignals(False)
        self._set_edits(first, last)
        self._show_dates()
        self.load()

    def days(self) -> tuple[dt.date, dt.date]:
        if self.period is Period.CUSTOM:
            first, last = self.first_edit.date().toPython(), self.last_edit.date().toPython()
            assert isinstance(first, dt.date) and isinstance(last, dt.date)
            return first, max(first, last)
        return period_days(self.period, self._anchor)

    def _on_period(self) -> None:
        self._show_dates()
        self.load()

    def _step(self, steps: int) -> None:
        if self.period is Period.CUSTOM:
            first, last = self.days()
            span = (last - first).days + 1
            self._set_edits(*(d + dt.timedelta(days=span * steps) for d in (first, last)))
        else:
            self._anchor = shift_period(self.period, self._anchor, steps)
        self._show_dates()
        self.load()

    def _back_to_today(self) -> None:
        self._anchor = self._today
        if self.period is Period.CUSTOM:
            self.period_box.setCurrentIndex(self.period_box.findData(Period.WEEK))
            return  # the period change reloads
        self._show_dates()
        self.load()

    def _on_custom_dates(self) -> None:
        if self.period is Period.CUSTOM and not self._setting_edits:
            self.load()

    _setting_edits = False
    #: loads asked for so far; only the answer to the latest is shown
    _asked = 0

    def _set_edits(self, first: dt.date, last: dt.date) -> None:
        self._setting_edits = True
        try:
            self.first_edit.setDate(QDate(first.year, first.month, first.day))
            self.last_edit.setDate(QDate(last.year, last.month, last.day))
        finally:
            self._setting_edits = False

    def _show_dates(self) -> None:
        custom = self.period is Period.CUSTOM
        if not custom:
            self._set_edits(*self.days())
        for edit in (self.first_edit, self.last_edit):
            edit.setEnabled(custom)

    # -- people ----------------------------------------------------------------------

    def _load_people(self) -> None:
        if Capability.REPORTEES not in self.session.capabilities:
            return

        def work(backend: Backend) -> list[Profile]:
            return backend.reportees()

        self.run(work, self._show_people, lambda _exc: None)  # no rights: no picker

    def _show_people(self, people: list[Profile]) -> None:
        # Everyone sees their own reports: the list always holds the caller, so a picker
        # is worth showing only when it names someone else too.
        if len(people) < 2:
            return
        self.person_box.blockSignals(True)
        for person in people:
            if not (person.username and person.username == self._own_username()):
                self.person_box.addItem(person.display_name, person.id)
        self.person_box.blockSignals(False)
        self.person_box.setVisible(True)

    def _own_username(self) -> str:
        account = self.session.account
        return account.username if account is not None else ""

    # -- loading ---------------------------------------------------------------------

    def load(self) -> None:
        first, last = self.days()
        person = self.person_box.currentData()
        start = dt.datetime.combine(first, dt.time())  # naive: the profile's own midnight
        stop = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
        query = ReportQuery(profile_id=person, start=start, stop=stop, include_open=True)
        self.summary_label.setText(_("Loading…"))
        own = person is None
        self._asked += 1
        asked = self._asked

        def work(backend: Backend) -> Loaded:
            tree = backend.trackers()
            blocks = backend.report(query)
            work_days = None
            if own and isinstance(backend, WorkReports):
                # the API's "to" includes its day: end on the last day, not the next midnight
                reported = backend.work_reports(start, stop - dt.timedelta(seconds=1))
                work_days = [d for d in reported if first <= d.work_date <= last]
            return Loaded(summarize(blocks, tree, first, last), tree, work_days)

        def shown(data: Loaded) -> None:
            if asked == self._asked:  # else an older answer: the question changed since
                self._show(data)

        self.run(work, shown, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.summary_label.setText("")
        self.say(str(exc), problem=True)
        self.loaded.emit()

    def _show(self, data: Loaded) -> None:
        self.data = data
        self._tree = data.tree
        self.say("")
        summary = data.summary
        totals = summary.totals
        locale = QLocale()
        # Translators: a Qt date format (QLocale), as in "Mon 23 Nov 2026"
        day_format = _("ddd d MMM yyyy")

        def day(value: dt.date) -> str:
            return locale.toString(QDate(value.year, value.month, value.day), day_format)

        def hours(seconds: int) -> str:
            return locale.toString(float(decimal_hours(seconds)), "f", 2)

        sentence = (
            _("{first} – {last}: worked {worked} ({worked_hours} h), free {free} ({free_hours} h)")
            if totals.free_s
            else _("{first} – {last}: worked {worked} ({worked_hours} h)")
        )
        text = sentence.format(
            first=day(summary.first),
            last=day(summary.last),
            worked=hours_minutes(totals.worked_s),
            worked_hours=hours(totals.worked_s),
            free=hours_minutes(totals.free_s),
            free_hours=hours(totals.free_s),
        )
        running = sum(1 for b in summary.blocks if b.time_out is None)
        if running:
            text += _(" — the running block is counted up to now")
        self.summary_label.setText(f"{text}.")
        fill_tracker_tree(self.tracker_tree, summary.trackers)
        targets = {d.work_date: d.target_s for d in data.work_days or ()}
        self.chart.set_days(summary.days, targets)
        self.blocks_model.set_blocks(summary.blocks, self.tracker_name)
        self.blocks_view.resizeColumnsToContents()
        self._show_attendance(data.work_days)
        self.loaded.emit()

    def _show_attendance(self, work_days: list[WorkDay] | None) -> None:
        index = self.tabs.indexOf(self._attendance_tab)
        if work_days is None:
            if index >= 0:
                self.tabs.removeTab(index)
            return
        if index < 0:
            self.tabs.addTab(self._attendance_tab, _("Attendance"))
        table = self.attendance_table
        table.setRowCount(len(work_days))
        for row, day in enumerate(work_days):
            difference = day.worked_s - day.target_s
            sign = "−" if difference < 0 else "+"
            cells = [
                day.work_date.isoformat(),
                hours_minutes(day.worked_s),
                hours_minutes(day.break_s),
                hours_minutes(day.target_s),
                f"{sign}{hours_minutes(abs(difference))}",
            ]
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        worked = sum(d.worked_s for d in work_days)
        target = sum(d.target_s for d in work_days)
        difference = worked - target
        sign = "−" if difference < 0 else "+"
        self.attendance_label.setText(
            _("At work {worked} of a {target} target ({sign}{difference}).").format(
                worked=hours_minutes(worked),
                target=hours_minutes(target),
                sign=sign,
                difference=hours_minutes(abs(difference)),
            )
        )

    def tracker_name(self, tracker_id: int | None) -> str:
        tracker = self._tree.get(tracker_id) if tracker_id is not None else None
        if tracker is not None:
            return tracker.display_path
        return "" if tracker_id is None else f"Tracker {tracker_id}"

    # -- export ------------------------------------------------------------------------

    def ask_export(self, kind: str) -> QFileDialog:
        """A non-modal save dialog; the file is written when the person picks a name."""
        first, last = self.days()
        dialog = QFileDialog(self, f"Export {kind.upper()}")
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setNameFilter(f"{kind.upper()} files (*.{kind})")
        dialog.setDefaultSuffix(kind)
        dialog.selectFile(f"tracktray-{first}-{last}.{kind}")
        dialog.fileSelected.connect(lambda name: self.export(Path(name), kind))
        dialog.show()
        return dialog

    def export(self, path: Path, kind: str) -> None:
        data = self.data
        if data is None:
            self.say(_("Nothing to export yet: the report is still loading."), problem=True)
            return
        writer = write_xlsx if kind == "xlsx" else write_csv
        name = self.tracker_name

        def work(_backend: Backend) -> Path:
            return writer(path, data.summary, name)

        def done(written: Path) -> None:
            self.say(_("Saved {written}.").format(written=written))
            self.exported.emit(True, str(written))

        def failed(exc: Exception) -> None:
            sentence = (
                str(exc)
                if isinstance(exc, RuntimeError)
                else _("Could not save: {exc}").format(exc=exc)
            )
            self.say(sentence, problem=True)
            self.exported.emit(False, sentence)

        self.run(work, done, failed)
