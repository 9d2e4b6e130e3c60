"""Add time…: a block in the past (or one still running) from the tray.

Date, from, to (or "still running"), a tracker from the menu's tree, a description.
The times are this computer's, like the clock on the panel. The form checks what it can
before sending and says what is wrong in one sentence; the server's refusals are shown
in its own words. An overlap names the overlapped block and links to its edit page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
)

from tracktray.accounts import Backend
from tracktray.api import Overlap
from tracktray.desktop.form_window import FormWindow
from tracktray.desktop.session import Session
from tracktray.desktop.text import format_duration
from tracktray.desktop.tracker_picker import TrackerPicker
from tracktray.domain import Block, ReportQuery
from tracktray.i18n import _, format_clock, format_date, format_datetime

__all__ = ["AddTimeDialog", "describe_block", "local_moment"]

#: tolerated difference between this computer's clock and the server's
FUTURE_SLACK = dt.timedelta(seconds=60)


def local_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """``day`` at ``time`` on this computer's clock, as an aware time.

    A time the clocks skipped (the spring DST jump) is refused rather than shifted.
    """
    wall = dt.datetime.combine(day, time)
    aware = wall.astimezone()
    if aware.replace(tzinfo=None) != wall or aware.astimezone().replace(tzinfo=None) != wall:
        raise ValueError(
            _("{time} does not exist on {day}: the clocks jumped.").format(
                time=format_clock(time), day=format_date(day)
            )
        )
    return aware


def describe_block(block: Block, tracker_name: str) -> str:
    """``“planning” on Acme / Website, 2026-11-28 09:00–10:30``."""
    until = format_clock(block.time_out) if block.time_out else _("now")
    when = f"{format_datetime(block.time_in)}–{until}"
    if block.description:
        return _("“{description}” on {tracker}, {when}").format(
            description=block.description, tracker=tracker_name, when=when
        )
    return f"{tracker_name}, {when}"


class AddTimeDialog(FormWindow):
    def __init__(
        self,
        session: Session,
        *,
        recent_ids: Sequence[int] = (),
        now: dt.datetime | None = None,
    ) -> None:
        super().__init__(session, _("Add time"), _("Add"))
        now = (now or dt.datetime.now()).astimezone()
        self.date_edit = QDateEdit(QDate(now.year, now.month, now.day))
        self.date_edit.setCalendarPopup(True)
        # Translators: a Qt date format for the date field (German: dd.MM.yyyy)
        self.date_edit.setDisplayFormat(_("yyyy-MM-dd"))
        self.date_edit.setMaximumDate(QDate(now.year, now.month, now.day))
        end = now.replace(second=0, microsecond=0)
        begin = max(end - dt.timedelta(hours=1), end.replace(hour=0, minute=0))
        self.from_edit = QTimeEdit(QTime(begin.hour, begin.minute))
        self.to_edit = QTimeEdit(QTime(end.hour, end.minute))
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("HH:mm")
        self.running_box = QCheckBox(_("still running"))
        self.running_box.toggled.connect(lambda on: self.to_edit.setEnabled(not on))
        self.picker = TrackerPicker()
        self.picker.set_trackers(session.tree, recent_ids)
        target = session.start_target()
        self.picker.select(recent_ids[0] if recent_ids else target[0] if target else None)
        self.description = QLineEdit()
        self.description.setPlaceholderText(_("What did you work on? (optional)"))
        times = QHBoxLayout()
        times.addWidget(self.from_edit)
        times.addWidget(self.to_edit)
        times.addWidget(self.running_box)
        form = QFormLayout()
        account = session.account.shown_label if session.account is not None else ""
        form.addRow(_("Account:"), QLabel(account))
        form.addRow(_("Date:"), self.date_edit)
        form.addRow(_("From – to:"), times)
        form.addRow(_("Tracker:"), self.picker)
        form.addRow(_("Description:"), self.description)
        self.body.addLayout(form)
        self.action_button.clicked.connect(self.submit)
        self.description.returnPressed.connect(self.submit)
        self.place()
        self.picker.filter.setFocus()  # type to find the tracker; the times have defaults

    def set_times(self, day: dt.date, start: dt.time, stop: dt.time | None) -> None:
        """Fill the date and times (tests and the history import use this)."""
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.from_edit.setTime(QTime(start.hour, start.minute))
        self.running_box.setChecked(stop is None)
        if stop is not None:
            self.to_edit.setTime(QTime(stop.hour, stop.minute))

    # -- checking and sending -----------------------------------------------------------

    def checked_request(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime | None, int]:
        """(start, stop or None, tracker id), or ValueError with the sentence to show."""
        day = self.date_edit.date().toPython()
        assert isinstance(day, dt.date)
        start = local_moment(day, _time_of(self.from_edit))
        tracker = self.picker.selected()
        if tracker is None:
            raise ValueError(_("Choose a tracker."))
        if start > now + FUTURE_SLACK:
            raise ValueError(
                _("The start ({start}) is in the future.").format(start=format_clock(start))
            )
        if self.running_box.isChecked():
            status = self.session.status
            if status is not None and status.running is not None:
                raise ValueError(
                    _(
                        "{tracker} is running already: stop it first, or give this block an end."
                    ).format(tracker=status.running.tracker.name)
                )
            return start, None, tracker.id
        stop = local_moment(day, _time_of(self.to_edit))
        if stop <= start:
            raise ValueError(
                _(
                    "The end ({end}) must be after the start ({start}); "
                    "for a block past midnight, add one block per day."
                ).format(end=format_clock(stop), start=format_clock(start))
            )
        if stop > now + FUTURE_SLACK:
            raise ValueError(
                _("The end ({end}) is in the future; tick “still running”.").format(
                    end=format_clock(stop)
                )
            )
        return start, stop, tracker.id

    def submit(self) -> None:
        request = self.begin_request(lambda: self.checked_request(dt.datetime.now().astimezone()))
        if request is None:
            return
        start, stop, tracker_id = request
        description = self.description.text().strip()
        entry = {
            "start": start.isoformat(),
            "stop": stop.isoformat() if stop is not None else None,
            "tracker_id": tracker_id,
            "description": description,
        }
        self.record("add", entry, self._added, lambda exc: self._refused(exc, start, stop))

    def _added(self, block: Block | None) -> None:
        self.action_button.setEnabled(True)
        if block is None:  # sent before (a replay found it there)
            sentence = _("That block was already on the server.")
            self.say(sentence)
            self.finished_request.emit(True, sentence)
            return
        name = self._tracker_name(block.tracker_id)
        sentence = _("Added {block} ({duration}).").format(
            block=describe_block(block, name), duration=format_duration(block.total_s)
        )
        self.say(sentence)
        self.description.clear()
        self.session.poll_now()  # today's total in the menu
        self.finished_request.emit(True, sentence)

    def _refused(self, exc: Exception, start: dt.datetime, stop: dt.datetime | None) -> None:
        if not isinstance(exc, Overlap):
            self.action_button.setEnabled(True)
            self.say(str(exc), problem=True)
            self.finished_request.emit(False, str(exc))
            return
        # Name the block in the way: look it up around the time asked for.
        until = stop or dt.datetime.now().astimezone()
        query = ReportQuery(
            start=start - dt.timedelta(days=1), stop=until + dt.timedelta(days=1), include_open=True
        )

        def work(backend: Backend) -> list[Block]:
            return backend.report(query)

        self.run(
            work,
            lambda blocks: self._show_overlap(exc, blocks),
            lambda _e: self._show_overlap(exc, []),
        )

    def _show_overlap(self, exc: Overlap, blocks: list[Block]) -> None:
        self.action_button.setEnabled(True)
        other = next((b for b in blocks if b.id == exc.block_id), None)
        if other is not None:
            name = self._tracker_name(other.tracker_id)
            sentence = _("That time overlaps {other}.").format(other=describe_block(other, name))
        else:
            sentence = _("That time overlaps a block you already have.")
        if exc.url:
            self.say(sentence, problem=True, link=(exc.url, _("Edit that block")))
        else:
            self.say(
                _("{sentence} Change or delete it first.").format(sentence=sentence), problem=True
            )
        self.finished_request.emit(False, self.message_text)

    def _tracker_name(self, tracker_id: int | None) -> str:
        tracker = self.session.tree.get(tracker_id) if tracker_id is not None else None
        return tracker.display_path if tracker is not None else f"tracker {tracker_id}"


def _time_of(edit: QTimeEdit) -> dt.time:
    time = edit.time()
    return dt.time(time.hour(), time.minute())
