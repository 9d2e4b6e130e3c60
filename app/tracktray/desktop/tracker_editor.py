"""The inline editor of the Manage trackers window: one panel, four questions.

Add, Rename, Move under and Archive each ask one thing; instead of a modal prompt
(which would freeze the tray) the window shows this panel under its list. The panel asks,
checks the answer, and reports it through :attr:`TrackerEditor.answered`; Cancel or
Escape hides it. It never calls the backend itself.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracktray.domain import Tracker
from tracktray.i18n import N_, _

__all__ = ["EditMode", "TrackerEditor"]

TOP_LEVEL = N_("(top level)")


class EditMode(enum.Enum):
    ADD = "Add"
    RENAME = "Rename"
    MOVE = "Move"
    ARCHIVE = "Archive"


class TrackerEditor(QFrame):
    #: (mode, name or "", parent id or None) once the person confirms
    answered = Signal(object, str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.mode: EditMode | None = None
        self.question = QLabel("")
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.name_edit = QLineEdit()
        self.name_edit.returnPressed.connect(self.confirm)
        self.parent_label = QLabel(_("Under:"))
        self.parent_box = QComboBox()
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.confirm_button = QPushButton(_("OK"))
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        under = QHBoxLayout()
        under.addWidget(self.parent_label)
        under.addWidget(self.parent_box, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.name_edit)
        layout.addLayout(under)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        self.hide()

    # -- opening the panel for one question ------------------------------------------

    def ask_add(self, parents: Iterable[Tracker], under: int | None) -> None:
        self._open(EditMode.ADD, _("Name of the new tracker:"), _("Add"), name="")
        self._fill_parents(parents, under)

    def ask_rename(self, tracker: Tracker) -> None:
        self._open(
            EditMode.RENAME,
            _("New name for “{display_path}”:").format(display_path=tracker.display_path),
            _("Rename"),
        )
        self.name_edit.setText(tracker.name)
        self.name_edit.selectAll()

    def ask_move(self, tracker: Tracker, parents: Iterable[Tracker]) -> None:
        self._open(
            EditMode.MOVE,
            _("Move “{display_path}” under:").format(display_path=tracker.display_path),
            _("Move"),
        )
        self.name_edit.hide()
        self._fill_parents(parents, tracker.parent_id)

    def ask_archive(self, sentence: str) -> None:
        self._open(EditMode.ARCHIVE, sentence, _("Archive"))
        self.name_edit.hide()
        self.parent_label.hide()
        self.parent_box.hide()
        self.confirm_button.setFocus()

    def _open(self, mode: EditMode, question: str, verb: str, name: str | None = None) -> None:
        self.mode = mode
        self.question.setText(question)
        self.confirm_button.setText(verb)
        self.problem.setText("")
        self.name_edit.show()
        self.parent_label.hide()
        self.parent_box.hide()
        if name is not None:
            self.name_edit.setText(name)
        self.show()
        self.name_edit.setFocus()

    def _fill_parents(self, parents: Iterable[Tracker], selected: int | None) -> None:
        self.parent_box.clear()
        self.parent_box.addItem(_(TOP_LEVEL), None)
        for tracker in parents:
            self.parent_box.addItem(tracker.display_path, tracker.id)
        index = self.parent_box.findData(selected) if selected is not None else 0
        self.parent_box.setCurrentIndex(max(0, index))
        self.parent_label.show()
        self.parent_box.show()

    def choose_parent(self, parent_id: int | None) -> None:
        """Select ``parent_id`` (None: the top level) in the "Under" box."""
        index = self.parent_box.findData(parent_id) if parent_id is not None else 0
        self.parent_box.setCurrentIndex(max(0, index))

    # -- answering ----------------------------------------------------------------------

    def confirm(self) -> None:
        mode = self.mode
        if mode is None:
            return
        name = self.name_edit.text().strip()
        if mode in (EditMode.ADD, EditMode.RENAME) and not name:
            self.problem.setText(_("Type a name first."))
            self.name_edit.setFocus()
            return
        parent_id = None if self.parent_box.isHidden() else self.parent_box.currentData()
        self.close_panel()
        self.answered.emit(mode, name, parent_id)

    def cancel(self) -> None:
        self.close_panel()

    def close_panel(self) -> None:
        self.mode = None
        self.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        super().keyPressEvent(event)
