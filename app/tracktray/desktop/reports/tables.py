"""The reports window's lists: blocks as a table model, tracker totals as a tree.

The block list is a model (not one item per cell) so a year of a busy person —
tens of thousands of blocks — opens at once and costs little memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from tracktray.domain import Block
from tracktray.domain.summary import TrackerTotal, decimal_hours, hours_minutes
from tracktray.i18n import N_, _, format_clock, format_date

__all__ = ["DESCRIPTION_COLUMN", "BlocksModel", "fill_tracker_tree"]

AnyIndex = QModelIndex | QPersistentModelIndex
#: the block list's columns (the exports keep their own, language-free ones)
COLUMNS = (
    N_("Date"),
    N_("From"),
    N_("To"),
    N_("Tracker"),
    N_("Description"),
    N_("Kind"),
    N_("Duration"),
    N_("Hours"),
)
DESCRIPTION_COLUMN = COLUMNS.index("Description")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _shown_row(block: Block, tracker_name: Callable[[int | None], str]) -> list[object]:
    """One block as the window shows it, in the person's language and formats."""
    return [
        format_date(block.time_in.date()),
        format_clock(block.time_in),
        format_clock(block.time_out) if block.time_out else _("running"),
        tracker_name(block.tracker_id),
        block.description,
        _("free") if block.free else _("worked"),
        hours_minutes(block.total_s),
        QLocale().toString(float(decimal_hours(block.total_s)), "f", 2),
    ]


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
            row = self._cache[index.row()] = _shown_row(self._blocks[index.row()], self._name)
        return str(row[index.column()])

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation is Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None


def fill_tracker_tree(widget: QTreeWidget, totals: Sequence[TrackerTotal]) -> None:
    """Tracker, worked (H:MM and hours), free: parents include their sub-trackers."""
    widget.clear()
    items: dict[int | None, QTreeWidgetItem] = {}
    for total in totals:
        columns = [
            total.name,
            hours_minutes(total.worked_s),
            QLocale().toString(float(decimal_hours(total.worked_s)), "f", 2),
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
