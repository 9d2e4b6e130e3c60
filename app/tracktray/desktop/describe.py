"""A small non-modal box that asks for an optional description on stop or switch.

Non-modal so the tray keeps answering while it is open; it reports its answer through
:attr:`DescribePrompt.chosen` and never calls the backend itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from tracktray.domain import TrackerTree
from tracktray.i18n import _

__all__ = ["DescribePrompt"]


class DescribePrompt(QDialog):
    #: (tracker id or None when stopping, description)
    chosen = Signal(object, str)

    def __init__(
        self,
        *,
        title: str,
        action_label: str,
        tree: TrackerTree | None = None,
        current_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        form = QFormLayout(self)
        self.tracker_box: QComboBox | None = None
        if tree is not None:
            box = QComboBox()
            box.setEditable(True)
            box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            for tracker in tree:
                if tracker.trackable and tracker.id != current_id:
                    box.addItem(tracker.display_path, tracker.id)
            completer = box.completer()
            if completer is not None:
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            form.addRow(_("Switch to:"), box)
            self.tracker_box = box
        self.description = QLineEdit()
        self.description.setPlaceholderText(_("What did you work on? (optional)"))
        form.addRow(_("Description:"), self.description)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton(action_label, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.description.setFocus()

    def accept(self) -> None:
        tracker_id: int | None = None
        if self.tracker_box is not None:
            index = self.tracker_box.findText(self.tracker_box.currentText())
            if index < 0:
                self.tracker_box.setFocus()
                return  # typed text names no tracker: keep the box open
            tracker_id = self.tracker_box.itemData(index)
        self.chosen.emit(tracker_id, self.description.text().strip())
        super().accept()
