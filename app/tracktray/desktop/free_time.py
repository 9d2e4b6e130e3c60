"""Free time…: leave, holiday, sick days — hours on a date, from the tray.

Hours as people write them (7.5, 7,5 or 7:30), a date (future dates too: leave is often
planned), a tracker from the menu's tree and a description. Free time never counts as
worked time; it is shown apart in the menu and in reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QFormLayout, QLineEdit

from tracktray.desktop.form_window import FormWindow
from tracktray.desktop.session import Session
from tracktray.desktop.text import format_duration
from tracktray.desktop.tracker_picker import TrackerPicker
from tracktray.domain import Block
from tracktray.domain.parsing import HoursOutOfRange, read_hours
from tracktray.i18n import _, format_date

__all__ = ["FreeTimeDialog"]


class FreeTimeDialog(FormWindow):
    def __init__(
        self, session: Session, *, recent_ids: Sequence[int] = (), today: dt.date | None = None
    ) -> None:
        super().__init__(session, _("Free time"), _("Add free time"))
        day = today or dt.date.today()
        self.hours_edit = QLineEdit()
        self.hours_edit.setPlaceholderText(_("e.g. 7.5, 7,5 or 7:30"))
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day))
        self.date_edit.setCalendarPopup(True)
        # Translators: a Qt date format for the date field (German: dd.MM.yyyy)
        self.date_edit.setDisplayFormat(_("yyyy-MM-dd"))
        self.picker = TrackerPicker()
        self.picker.set_trackers(session.tree, recent_ids)
        target = session.start_target()
        self.picker.select(recent_ids[0] if recent_ids else target[0] if target else None)
        self.description = QLineEdit()
        self.description.setPlaceholderText(_("Leave, holiday, sick day… (optional)"))
        form = QFormLayout()
        form.addRow(_("Hours:"), self.hours_edit)
        form.addRow(_("Date:"), self.date_edit)
        form.addRow(_("Tracker:"), self.picker)
        form.addRow(_("Description:"), self.description)
        self.body.addLayout(form)
        self.action_button.clicked.connect(self.submit)
        self.hours_edit.returnPressed.connect(self.submit)
        self.description.returnPressed.connect(self.submit)
        self.hours_edit.setFocus()
        self.place()

    def set_date(self, day: dt.date) -> None:
        self.date_edit.setDate(QDate(day.year, day.month, day.day))

    def checked_request(self) -> tuple[Decimal, dt.date, int]:
        """(hours, day, tracker id), or ValueError with the sentence to show."""
        if not self.hours_edit.text().strip():
            raise ValueError(_("Type the number of hours (e.g. 7.5, 7,5 or 7:30)."))
        typed = self.hours_edit.text().strip()
        try:
            hours = read_hours(typed)
        except HoursOutOfRange:
            raise ValueError(_("Hours must be more than 0 and at most 24.")) from None
        except ValueError:  # the domain's sentence is the server's (English): say it here
            raise ValueError(
                _("“{typed}” is not a number of hours (e.g. 7.5, 7,5 or 7:30).").format(
                    typed=typed[:40]
                )
            ) from None
        tracker = self.picker.selected()
        if tracker is None:
            raise ValueError(_("Choose a tracker."))
        day = self.date_edit.date().toPython()
        assert isinstance(day, dt.date)
        return hours, day, tracker.id

    def submit(self) -> None:
        request = self.begin_request(self.checked_request)
        if request is None:
            return
        hours, day, tracker_id = request
        description = self.description.text().strip()
        entry = {
            "hours": str(hours),
            "day": day.isoformat(),
            "tracker_id": tracker_id,
            "description": description,
        }
        self.record("addfree", entry, self._added, self._refused)

    def _added(self, block: Block | None) -> None:
        self.action_button.setEnabled(True)
        if block is None:  # sent before (a replay found it there)
            sentence = _("That free time was already on the server.")
            self.say(sentence)
            self.finished_request.emit(True, sentence)
            return
        tracker = self.session.tree.get(block.tracker_id) if block.tracker_id else None
        name = (
            tracker.display_path
            if tracker is not None
            else _("tracker {id}").format(id=block.tracker_id)
        )
        sentence = (
            _("Added {duration} of free time on {day}, {tracker} (“{description}”).")
            if block.description
            else _("Added {duration} of free time on {day}, {tracker}.")
        ).format(
            duration=format_duration(block.total_s),
            day=format_date(block.time_in.date()),
            tracker=name,
            description=block.description,
        )
        self.say(sentence)
        self.hours_edit.clear()
        self.description.clear()
        self.session.poll_now()
        self.finished_request.emit(True, sentence)

    def _refused(self, exc: Exception) -> None:
        self.action_button.setEnabled(True)
        self.say(str(exc), problem=True)
        self.finished_request.emit(False, str(exc))
