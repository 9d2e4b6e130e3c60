"""A bar per day, drawn with QPainter: worked time, free time stacked on it, a target line.

No chart library: a month is 31 rectangles and a few labels, and QtCharts alone would
cost more memory than the whole widget. Up to ~40 days every bar is labelled; a year
is drawn as thin bars with a label per month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from tracktray.domain import DayTotals
from tracktray.i18n import _

__all__ = ["FREE_COLOUR", "TARGET_COLOUR", "WORKED_COLOUR", "DayChart"]

WORKED_COLOUR = QColor("#2f6fb3")
FREE_COLOUR = QColor("#7fbf7f")
TARGET_COLOUR = QColor("#d08020")
LABEL_EVERY_DAY = 40


class DayChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: Sequence[tuple[dt.date, DayTotals]] = ()
        self._targets: dict[dt.date, int] = {}
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(480, 180)

    def set_days(
        self, days: Sequence[tuple[dt.date, DayTotals]], targets: dict[dt.date, int] | None = None
    ) -> None:
        """The bars to draw; ``targets`` (seconds per day) draws the daily target line."""
        self._days = days
        self._targets = targets or {}
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        locale = QLocale()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        metrics = painter.fontMetrics()
        line = metrics.height()
        top_s = max(
            [d.worked_s + d.free_s for _, d in self._days] + list(self._targets.values()) + [3600]
        )
        scale_h = (top_s + 3599) // 3600  # whole hours at the top of the scale
        # room on the left for the widest hour label ("24 Std." is wider than "24 h"), at
        # the top for the legend, below for the days
        label_w = metrics.horizontalAdvance(_("{hours} h").format(hours=scale_h)) + line * 0.6
        area = QRectF(self.rect()).adjusted(label_w, line * 1.8, -line * 0.5, -line * 1.5)
        text_colour = self.palette().windowText().color()
        if not self._days or area.width() <= 0 or area.height() <= 0:
            return
        per_hour = area.height() / scale_h
        grid = QPen(text_colour)
        grid.setStyle(Qt.PenStyle.DotLine)
        for hour in range(0, scale_h + 1, max(1, scale_h // 4)):
            y = area.bottom() - hour * per_hour
            painter.setPen(grid)
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(0, y - line / 2, area.left() - 4, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                _("{hours} h").format(hours=hour),
            )
        slot = area.width() / len(self._days)
        bar = max(1.0, slot * 0.7)
        labelled = len(self._days) <= LABEL_EVERY_DAY
        for index, (day, totals) in enumerate(self._days):
            x = area.left() + index * slot + (slot - bar) / 2
            worked_h = totals.worked_s / 3600 * per_hour
            free_h = totals.free_s / 3600 * per_hour
            painter.fillRect(QRectF(x, area.bottom() - worked_h, bar, worked_h), WORKED_COLOUR)
            painter.fillRect(QRectF(x, area.bottom() - worked_h - free_h, bar, free_h), FREE_COLOUR)
            target = self._targets.get(day)
            if target:
                painter.setPen(QPen(TARGET_COLOUR, 2))
                y = area.bottom() - target / 3600 * per_hour
                painter.drawLine(QPointF(x - 1, y), QPointF(x + bar + 1, y))
            text = ""
            if labelled:
                text = (
                    locale.toString(QDate(day.year, day.month, day.day), "ddd d")
                    if len(self._days) <= 7
                    else f"{day.day}"
                )
            elif day.day == 1:
                text = locale.monthName(day.month, QLocale.FormatType.ShortFormat)
            if text:
                painter.setPen(text_colour)
                painter.drawText(
                    QRectF(x - slot, area.bottom() + 2, bar + 2 * slot, line),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    text,
                )
        self._legend(painter, area, line)

    def _legend(self, painter: QPainter, area: QRectF, line: int) -> None:
        entries = [(_("worked"), WORKED_COLOUR), (_("free"), FREE_COLOUR)]
        if self._targets:
            entries.append((_("target"), TARGET_COLOUR))
        metrics = painter.fontMetrics()
        x = area.right()
        top = area.top() - line * 1.6
        for label, colour in reversed(entries):
            x -= metrics.horizontalAdvance(label) + line * 1.6
            painter.fillRect(QRectF(x, top + line * 0.15, line * 0.8, line * 0.8), colour)
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QPointF(x + line, top + metrics.ascent()), label)
