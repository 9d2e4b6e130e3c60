""" "Still working on Website?": asked once when a block runs longer than the limit.

Non-modal like every window of the widget; the answer arrives through
:attr:`ForgottenPrompt.chosen` (True = stop at the last activity, False = keep).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from tracktray.desktop.away_text import clock_text, forgotten_text
from tracktray.desktop.windows import place_centred
from tracktray.i18n import _

__all__ = ["ForgottenPrompt"]


class ForgottenPrompt(QWidget):
    #: (stop: bool, at: datetime | None)
    chosen = Signal(bool, object)

    def __init__(
        self,
        *,
        tracker_name: str,
        started_at: dt.datetime,
        last_activity: dt.datetime | None,
        now: dt.datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Still working on {tracker_name}?").format(tracker_name=tracker_name))
        self.setMinimumWidth(380)
        self._answered = False
        self.last_activity = last_activity
        layout = QVBoxLayout(self)
        question = QLabel(
            _("<b>Still working on {tracker_name}?</b>").format(tracker_name=tracker_name)
        )
        layout.addWidget(question)
        self.message = QLabel(forgotten_text(tracker_name, started_at, last_activity, now))
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        stop_label = (
            _("&Stop at the last activity ({last_activity})").format(
                last_activity=clock_text(last_activity)
            )
            if last_activity is not None
            else _("&Stop now")
        )
        self.stop_button = QPushButton(stop_label)
        self.keep_button = QPushButton(_("&Keep"))
        self.keep_button.setDefault(True)
        layout.addWidget(self.stop_button)
        layout.addWidget(self.keep_button)
        self.stop_button.clicked.connect(lambda: self._answer(True))
        self.keep_button.clicked.connect(lambda: self._answer(False))
        self.adjustSize()
        place_centred(self)  # not over the panel where no window manager places it

    def _answer(self, stop: bool) -> None:
        if self._answered:
            return
        self._answered = True
        self.chosen.emit(stop, self.last_activity if stop else None)
        self.close()

    def closeEvent(self, event: object) -> None:
        if not self._answered:
            self._answered = True
            self.chosen.emit(False, None)
        super().closeEvent(event)  # type: ignore[arg-type]
