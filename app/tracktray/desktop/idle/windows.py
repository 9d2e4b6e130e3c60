"""Idle time on Windows: ``GetLastInputInfo`` and ``GetTickCount`` through ctypes.

``LASTINPUTINFO.dwTime`` is the tick count (milliseconds since boot, 32 bits, wraps
after 49.7 days) of the session's last input; the idle time is the difference to
``GetTickCount()``, taken modulo 2**32 so a wrap in between still gives the right answer.
Written here, tested here only through its ctypes seam (see docs/desktop-platforms.md).
"""

from __future__ import annotations

import ctypes
from typing import Any

from tracktray.desktop.idle._source import IdleUnavailable
from tracktray.i18n import N_, _

__all__ = ["WindowsIdle"]


class LASTINPUTINFO(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint)]


def _libraries() -> tuple[Any, Any]:
    windll = getattr(ctypes, "windll", None)
    if windll is None:
        raise IdleUnavailable(_("GetLastInputInfo exists only on Windows."))
    return windll.user32, windll.kernel32


class WindowsIdle:
    name = N_("Windows (GetLastInputInfo)")

    def __init__(self, libraries: tuple[Any, Any] | None = None) -> None:
        self._user32, self._kernel32 = libraries or _libraries()
        self._kernel32.GetTickCount.restype = ctypes.c_uint
        self.idle_seconds()

    def idle_seconds(self) -> float:
        info = LASTINPUTINFO()
        info.cbSize = ctypes.sizeof(LASTINPUTINFO)
        if not self._user32.GetLastInputInfo(ctypes.byref(info)):
            raise IdleUnavailable(_("Windows did not say when the last input was."))
        now = int(self._kernel32.GetTickCount())
        return float((now - int(info.dwTime)) % 2**32) / 1000.0

    def close(self) -> None:
        pass  # nothing is held open
