"""Qt side of the bench hooks: bench commands delivered on the Qt thread.

The app calls :func:`install` once its tray exists; unless ``TRACKTRAY_BENCH_COMMANDS``
is set it returns None and does nothing else. ``ping <n>`` is answered with the
``pong <n>`` event from the Qt thread, so the bench sees how long the event loop took to
get to it (the longest such delay is the longest freeze a user would feel); ``click``
runs the same slot as a left click on the tray icon.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from tracktray.desktop import benchhooks


class _CommandBridge(QObject):
    #: emitted from the reader thread; Qt queues it to this object's (the Qt) thread
    received = Signal(str)


def install(parent: QObject, click: Callable[[], None]) -> QObject | None:
    """Start handling bench commands; the returned bridge lives as long as ``parent``."""
    if not benchhooks.commands_requested():
        return None
    bridge = _CommandBridge(parent)

    def on_command(line: str) -> None:
        name, _, argument = line.partition(" ")
        if name == "ping":
            benchhooks.emit(f"pong {argument}")
        elif name == "click":
            click()

    bridge.received.connect(on_command)
    benchhooks.listen(bridge.received.emit)
    return bridge
