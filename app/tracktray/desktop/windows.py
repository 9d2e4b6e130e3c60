"""Where the widget's own windows appear: centred on the screen the pointer is on.

Without a window manager (or with one that places new windows at the origin) a window
would open over the panel and its tray; centring it keeps the tray visible and puts the
window where the person is looking.
"""

from __future__ import annotations

from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QWidget

__all__ = ["place_centred"]


def place_centred(window: QWidget) -> None:
    """Move ``window`` (sized already) to the centre of the pointer's screen."""
    screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame = window.frameGeometry()
    frame.moveCenter(area.center())
    window.move(frame.topLeft())
