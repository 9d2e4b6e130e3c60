"""Choosing a tracker in a window: the menu's tree, recent ones first, and a filter.

The same tree the "Switch to" menu shows (trackers one can track on, in tree order),
with the recently used ones listed on top. Typing in the filter field turns the list
into the trackers whose path contains the text, so a tree of hundreds stays quick.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from tracktray.domain import Tracker, TrackerTree
from tracktray.i18n import _

__all__ = ["TrackerPicker"]

ID_ROLE = Qt.ItemDataRole.UserRole
#: a short tree is read at a glance: a "Recent" section would only repeat it
RECENT_WORTH_IT = 8


class _FilterField(QLineEdit):
    """Up and Down move in the list below while typing stays here."""

    def __init__(self, picker: TrackerPicker) -> None:
        super().__init__()
        self._picker = picker

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._picker.step(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)


class TrackerPicker(QWidget):
    #: the chosen tracker changed (its id, or None)
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tree = TrackerTree()
        self._recent: list[int] = []
        self.filter = _FilterField(self)
        self.filter.setPlaceholderText(_("Filter trackers…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._redraw)
        self.list = QListWidget()
        self.list.setMinimumHeight(140)
        self.list.currentItemChanged.connect(lambda *_: self.chosen.emit(self.selected_id()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)

    def set_trackers(self, tree: TrackerTree, recent_ids: Sequence[int] = ()) -> None:
        selected = self.selected_id()
        self._tree = tree
        self._recent = [i for i in recent_ids if (t := tree.get(i)) is not None and t.trackable]
        self._redraw()
        if selected is not None:
            self.select(selected)

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        value = item.data(ID_ROLE) if item is not None else None
        return int(value) if value is not None else None

    def selected(self) -> Tracker | None:
        tracker_id = self.selected_id()
        return self._tree.get(tracker_id) if tracker_id is not None else None

    def select(self, tracker_id: int | None) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == tracker_id and tracker_id is not None:
                self.list.setCurrentItem(item)
                self.list.scrollToItem(item)
                return

    def step(self, delta: int) -> None:
        """Move the choice up or down, skipping the section titles."""
        row = self.list.currentRow()
        while 0 <= row + delta < self.list.count():
            row += delta
            if self.list.item(row).data(ID_ROLE) is not None:
                self.list.setCurrentRow(row)
                return

    def _redraw(self) -> None:
        selected = self.selected_id()
        self.list.clear()
        wanted = self.filter.text().strip().casefold()
        trackable = [t for t in self._tree if t.trackable]
        if wanted:
            for tracker in trackable:
                if wanted in tracker.display_path.casefold():
                    self._add(tracker.display_path, tracker.id)
            if not self.list.count():
                self._title(
                    _("No tracker matches “{query}”.").format(query=self.filter.text().strip())
                )
        else:
            if self._recent and len(trackable) > RECENT_WORTH_IT:
                self._title(_("Recent"))
                for tracker_id in self._recent:
                    recent = self._tree.get(tracker_id)
                    if recent is not None:
                        self._add(recent.display_path, recent.id)
                self._title(_("All trackers"))
            for tracker in trackable:
                self._add("    " * tracker.depth + tracker.name, tracker.id, tracker.display_path)
        self.select(selected)
        if self.list.currentItem() is None and wanted:
            self.step(1)

    def _add(self, text: str, tracker_id: int, tip: str = "") -> None:
        item = QListWidgetItem(text)
        item.setData(ID_ROLE, tracker_id)
        if tip:
            item.setToolTip(tip)
        self.list.addItem(item)

    def _title(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # readable, never chosen
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        self.list.addItem(item)
