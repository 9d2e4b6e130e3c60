"""A small always-on-top window for desktops without a system tray (some GNOME setups).

It shows the same icon, header and day total as the tray and offers the same controls:
a Start/Stop button (the tray's left click) and a button that opens the tray's menu.
A line at the bottom says once, in plain words, why there is a window at all.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracktray.i18n import N_, _

__all__ = ["NO_TRAY_SENTENCE", "FallbackWindow"]

NO_TRAY_SENTENCE = N_(
    "This desktop has no system tray, so TrackTray shows this small window instead. "
    "Closing it keeps TrackTray running; Quit is in the menu."
)


class FallbackWindow(QWidget):
    def __init__(self, menu: QMenu) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        # not translated: the name of the program
        self.setWindowTitle("TrackTray")
        self.icon_label = QLabel()
        self.header_label = QLabel()
        self.today_label = QLabel()
        self.toggle_button = QPushButton(_("Start"))
        self.menu_button = QToolButton()
        self.menu_button.setText(_("Menu"))
        self.menu_button.setMenu(menu)
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.why_label = QLabel(_(NO_TRAY_SENTENCE))
        self.why_label.setWordWrap(True)
        self.why_label.setStyleSheet("color: palette(mid);")

        top = QHBoxLayout()
        top.addWidget(self.icon_label)
        texts = QVBoxLayout()
        texts.addWidget(self.header_label)
        texts.addWidget(self.today_label)
        top.addLayout(texts, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.toggle_button, 1)
        buttons.addWidget(self.menu_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.why_label)
        self.setMaximumWidth(360)

    def show_state(
        self, icon: QIcon, header: str, today: str, toggle_text: str, can_toggle: bool
    ) -> None:
        self.icon_label.setPixmap(icon.pixmap(QSize(32, 32)))
        self.header_label.setText(header)
        self.today_label.setText(today)
        self.toggle_button.setText(toggle_text)
        self.toggle_button.setEnabled(can_toggle)
