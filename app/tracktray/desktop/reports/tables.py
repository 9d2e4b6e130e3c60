"""The reports window's lists: blocks as a table model, tracker totals as a tree.

The block list is a model (not one item per cell) so a year of a busy person —
tens of thousands of blocks — opens at once and costs little memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from tracktray.desktop.reports.export import COLUMNS, block_row
from tracktray.domain import Block
from tracktray.domain.summary import TrackerTotal, decimal_hours, hours_minutes

__all__ = ["BlocksModel", "fill_tracker_tree"]

AnyIndex = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class BlocksModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._blocks: Sequence[Block] = ()
        self._name: Callable[[int | None], str] = str
        self._cache: dict[int, list[object]] = {}

    def set_blocks(self, blocks: Sequence[Block], name: Callable[[int | None], str]) -> None:
        self.beginResetModel()
        self._blocks, self._name, self._cache = blocks, name, {}
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._blocks)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= len(COLUMNS) - 2:
            return RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._cache.get(index.row())
        if row is None:  # rows are formatted when first shown, not all at once
            row = self._cache[index.row()] = block_row(self._blocks[index.row()], self._name)
        return str(row[index.column()])

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation is Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


def fill_tracker_tree(widget: QTreeWidget, totals: Sequence[TrackerTotal]) -> None:
    """Tracker, worked (H:MM and hours), free: parents include their sub-trackers."""
    widget.clear()
    items: dict[int | None, QTreeWidgetItem] = {}
    for total in totals:
        columns = [
            total.name,
            hours_minutes(total.worked_s),
            f"{decimal_hours(total.worked_s)}",
            hours_minutes(total.free_s) if total.free_s else "",
        ]
        parent = items.get(total.parent_id) if total.parent_id is not None else None
        item = QTreeWidgetItem(parent, columns) if parent else QTreeWidgetItem(columns)
        for column in (1, 2, 3):
            item.setTextAlignment(column, RIGHT)
        if parent is None:
            widget.addTopLevelItem(item)
        if total.tracker_id is not None:
            items[total.tracker_id] = item
    # a flat list (no sub-trackers with time) needs no room for expand arrows
    widget.setRootIsDecorated(any(t.parent_id is not None for t in totals))
    widget.expandAll()
    for column in range(widget.columnCount()):
        widget.resizeColumnToContents(column)
