"""Qt side of the bench hooks: bench commands read by the Qt event loop itself.

The app calls :func:`install` once its tray exists; unless ``TRACKTRAY_BENCH_COMMANDS``
names a FIFO it returns None and does nothing else. A ``QSocketNotifier`` on the FIFO
hands each line to the Qt thread — no extra thread, no signal emitted from Python — so
``ping <n>`` answered with the ``pong <n>`` event measures exactly how long the event
loop took to get to it (the longest such delay is the longest freeze a user would feel).
``click`` runs the same slot as a left click on the tray icon.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

from tracktray.desktop import benchhooks


class _CommandReader(QObject):
    def __init__(self, path: str, click: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        # Read *and* write end: the FIFO then never reports end-of-file when the bench
        # closes it (which would wake the loop forever), and opening never blocks.
        # Kept open for the life of the process, like the tray itself.
        self._fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
        self._click = click
        self._partial = b""
        self._notifier = QSocketNotifier(self._fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)

    def _on_readable(self) -> None:
        try:
            data = os.read(self._fd, 65536)
        except BlockingIOError:
            return
        *lines, self._partial = (self._partial + data).split(b"\n")
        for line in lines:
            name, _space, argument = line.decode(errors="replace").strip().partition(" ")
            if name == "ping":
                benchhooks.emit(f"pong {argument}")
            elif name == "click":
                self._click()


def install(parent: QObject, click: Callable[[], None]) -> QObject | None:
    """Start reading bench commands; the reader lives as long as ``parent``."""
    path = benchhooks.commands_path()
    if path is None:
        return None
    return _CommandReader(path, click, parent)
