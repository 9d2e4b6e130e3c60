"""Idle time on macOS: CoreGraphics' ``CGEventSourceSecondsSinceLastEventType`` via ctypes.

Asked for the combined session state (``kCGEventSourceStateCombinedSessionState`` = 0)
and any input event type (``kCGAnyInputEventType`` = ~0), it returns the seconds since
the last keyboard, pointer or tablet event as a double. It needs no accessibility
permission. Written here, tested here only through its ctypes seam.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any, Final

from tracktray.desktop.idle._source import IdleUnavailable
from tracktray.i18n import N_, _

__all__ = ["MacIdle"]

COMBINED_SESSION_STATE: Final = 0
ANY_INPUT_EVENT: Final = 0xFFFFFFFF
_FRAMEWORK: Final = "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"


def _core_graphics() -> Any:
    path = ctypes.util.find_library("CoreGraphics") or _FRAMEWORK
    try:
        return ctypes.CDLL(path)
    except OSError:
        raise IdleUnavailable(_("CoreGraphics exists only on macOS.")) from None


class MacIdle:
    name = N_("macOS (CoreGraphics event source)")

    def __init__(self, core_graphics: Any = None) -> None:
        library = core_graphics if core_graphics is not None else _core_graphics()
        self._seconds_since = library.CGEventSourceSecondsSinceLastEventType
        self._seconds_since.restype = ctypes.c_double
        self._seconds_since.argtypes = [ctypes.c_int32, ctypes.c_uint32]
        self.idle_seconds()

    def idle_seconds(self) -> float:
        seconds = float(self._seconds_since(COMBINED_SESSION_STATE, ANY_INPUT_EVENT))
        if seconds < 0 or seconds != seconds:  # NaN or negative: not a usable answer
            raise IdleUnavailable(_("macOS gave no idle time."))
        return seconds

    def close(self) -> None:
        pass
