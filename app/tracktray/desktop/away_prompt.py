"""The coming-back prompt: keep the idle time, cut it off, or put it on another tracker.

A plain non-modal window (never ``exec()``, never a QMessageBox helper, which are
application-modal): the tray keeps answering while it is open. It reports the answer
through :attr:`AwayPrompt.chosen` and calls no backend itself.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracktray.desktop.away_text import away_text, clock_text
from tracktray.desktop.idle.away import Away
from tracktray.desktop.windows import place_centred
from tracktray.domain import TrackerTree
from tracktray.i18n import _

__all__ = ["AwayChoice", "AwayPrompt"]


class AwayChoice(enum.Enum):
    KEEP = "keep"
    #: stop the block at the start of the absence
    STOP = "stop"
    #: stop at the start of the absence and start the same tracker again now
    DISCARD = "discard"
    #: the absence goes to another tracker, then the block goes on
    MOVE = "move"


class AwayPrompt(QWidget):
    #: (AwayChoice, tracker id for MOVE else None)
    chosen = Signal(object, object)

    def __init__(
        self,
        away: Away,
        *,
        tracker_name: str,
        tree: TrackerTree,
        current_id: int | None,
        cut_note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Welcome back"))
        self.setMinimumWidth(380)  # the sentences read as lines, not a column
        self.away = away
        self._answered = False
        layout = QVBoxLayout(self)
        self.message = QLabel(away_text(away.since, away.until, tracker_name, away.reason))
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.note = QLabel(cut_note)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(cut_note))
        layout.addWidget(self.note)
        self.keep_button = QPushButton(_("&Keep"))
        self.stop_button = QPushButton(_("&Stop at {since}").format(since=clock_text(away.since)))
        self.discard_button = QPushButton(_("&Discard the idle time and go on"))
        self.move_button = QPushButton(_("&Put the idle time on another tracker…"))
        for button in (self.keep_button, self.stop_button, self.discard_button, self.move_button):
            layout.addWidget(button)
        self.keep_button.clicked.connect(lambda: self._answer(AwayChoice.KEEP, None))
        self.stop_button.clicked.connect(lambda: self._answer(AwayChoice.STOP, None))
        self.discard_button.clicked.connect(lambda: self._answer(AwayChoice.DISCARD, None))
        self.move_button.clicked.connect(self._show_trackers)
        # the tracker picker appears in place (no second window, no nested loop)
        self.tracker_box = QComboBox()
        self.tracker_box.setEditable(True)  # type to filter a long tree
        self.tracker_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for tracker in tree:
            if tracker.trackable and tracker.id != current_id:
                self.tracker_box.addItem(tracker.display_path, tracker.id)
        completer = self.tracker_box.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.put_button = QPushButton(_("Put it &there"))
        self.put_button.clicked.connect(self._put)
        picker = QHBoxLayout()
        picker.addWidget(self.tracker_box, 1)
        picker.addWidget(self.put_button)
        self.picker = QWidget()
        self.picker.setLayout(picker)
        self.picker.setVisible(False)
        layout.addWidget(self.picker)
        if self.tracker_box.count() == 0:
            self.move_button.setEnabled(False)
            self.move_button.setToolTip(_("There is no other tracker to put it on."))
        self.keep_button.setDefault(True)
        self.adjustSize()
        place_centred(self)  # not over the panel where no window manager places it

    def _show_trackers(self) -> None:
        self.picker.setVisible(True)
        self.tracker_box.setFocus()

    def _put(self) -> None:
        index = self.tracker_box.findText(self.tracker_box.currentText())
        if index < 0:
            self.tracker_box.setFocus()
            return  # the typed text names no tracker: the prompt stays open
        self._answer(AwayChoice.MOVE, self.tracker_box.itemData(index))

    def _answer(self, choice: AwayChoice, tracker_id: int | None) -> None:
        if self._answered:
            return
        self._answered = True
        self.chosen.emit(choice, tracker_id)
        self.close()

    def closeEvent(self, event: object) -> None:
        # Closing the window is "Keep": the block stays as it is.
        if not self._answered:
            self._answered = True
            self.chosen.emit(AwayChoice.KEEP, None)
        super().closeEvent(event)  # type: ignore[arg-type]
