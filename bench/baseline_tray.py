"""The floor: a bare PySide6 tray app (one icon, a one-item menu) and nothing else.

Every widget figure is compared to this program measured in the same run, on the same
Qt platform. It reports "icon shown" at the first event-loop turn after
``QSystemTrayIcon.show()`` — the same moment the tray app reports its own ``icon-shown``
— as ``<monotonic-ns> icon-shown``: printed on stdout and, when
``TRACKTRAY_BENCH_EVENTS`` names a file, appended to it like the app's events.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon


def _report(event: str) -> None:
    line = f"{time.monotonic_ns()} {event}\n"
    sys.stdout.write(line)
    sys.stdout.flush()
    path = os.environ.get("TRACKTRAY_BENCH_EVENTS")
    if path:
        with open(path, "a", encoding="ascii") as events:
            events.write(line)


def main() -> int:
    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    pixmap = QPixmap(22, 22)
    pixmap.fill(QColor("#3a7bd5"))
    tray = QSystemTrayIcon(QIcon(pixmap))
    menu = QMenu()
    menu.addAction("Quit", app.quit)
    tray.setContextMenu(menu)
    tray.setToolTip("baseline")
    tray.show()
    QTimer.singleShot(0, lambda: _report("icon-shown"))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
