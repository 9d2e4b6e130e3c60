"""Where an unasked-for window appears: the middle of the screen the pointer is on.

A window manager would place a new window itself, but not every desktop runs one that
does (and some put it at the top left, over the panel and its tray icons). The idle
prompts open without being asked for, so they go where the person is looking.
"""

from __future__ import annotations

from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QWidget

__all__ = ["center_on_pointer_screen"]


def center_on_pointer_screen(window: QWidget) -> None:
    screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
    if screen is None:
        return
    window.adjustSize()
    frame = window.frameGeometry()
    frame.moveCenter(screen.availableGeometry().center())
    window.move(frame.topLeft())
