"""The freeze probe sees a blocked Qt event loop: pings wait until the loop runs again.

A tiny Qt program installs the app's bench probe and blocks its event loop once for
0.4 s; the bench's pings around that moment must come back that late. This checks the
instrument, not the app: no figure of the tray app is asserted here.
"""

from __future__ import annotations

import sys
import time

from bench.figures_clicks import ping_delays
from bench.sandbox import Sandbox
from bench.trayproc import TrayProcess

_FREEZES_ONCE = """
import time
from PySide6.QtCore import QCoreApplication, QObject, QTimer
from tracktray.desktop import benchhooks, benchprobe

app = QCoreApplication([])
holder = QObject()
benchprobe.install(holder, lambda: None)
QTimer.singleShot(300, lambda: (benchhooks.emit("freeze"), time.sleep(0.4)))
QTimer.singleShot(0, lambda: benchhooks.emit("status-drawn"))
app.exec()
"""


def test_pings_measure_how_long_the_event_loop_was_blocked() -> None:
    with (
        Sandbox("probe-test") as box,
        TrayProcess(
            [sys.executable, "-c", _FREEZES_ONCE],
            box,
            {"QT_QPA_PLATFORM": "offscreen"},
            name="probe",
            commands=True,
        ) as program,
    ):
        program.wait_for("status-drawn")
        delays = ping_delays(program, lambda: time.sleep(1.0))
        program.wait_for("freeze")
    # the first ping after the loop froze was sent within ~10 ms of the freeze starting
    assert 370 <= max(delays) < 2000
    assert sorted(delays)[len(delays) // 2] < 100  # most pings came straight back
