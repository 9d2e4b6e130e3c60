"""A canary for the Qt binding: calls into PySide6 must not eat Python references.

PySide6/shiboken6 6.12.0 on Python 3.11 drops a reference to ``None`` (and to ``True``/
``False``) on many calls — it treats them as immortal, which they are only from Python
3.12 on. A tray app makes thousands of such calls and then crashes ("deallocating
None"). This test turns that crash into one clear failure naming the fix: a PySide6
without the bug (``PySide6-Essentials!=6.12.0`` on Python < 3.12).
"""

from __future__ import annotations

import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

CALLS = 500


class _Emitter(QObject):
    fired = Signal()


def test_qt_calls_keep_the_reference_counts_of_none_and_booleans(qtbot: QtBot) -> None:
    action = QAction("x")
    emitter = _Emitter()
    emitter.fired.connect(lambda: None)
    before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    for _ in range(CALLS):
        action.setText("y")
        action.trigger()
        emitter.fired.emit()
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    lost = [b - a for a, b in zip(after, before, strict=True)]
    assert max(lost) < CALLS // 2, (
        f"PySide6 {pyside_version} on Python {sys.version.split()[0]} loses references "
        f"(None, True, False: {lost} over {CALLS} calls): the widget would crash. "
        "Install a PySide6 without this bug (not 6.12.0 on Python < 3.12)."
    )
