"""The Windows and macOS idle backends behind their ctypes seam.

They cannot run here (no user32, no CoreGraphics): the tests hand in stand-ins for the
C functions that behave as the documented APIs do, and check the arithmetic and the
types the backends set on them. See docs/desktop-platforms.md: untested on the systems.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import pytest

from tracktray.desktop.idle import IdleUnavailable
from tracktray.desktop.idle.macos import ANY_INPUT_EVENT, COMBINED_SESSION_STATE, MacIdle
from tracktray.desktop.idle.windows import LASTINPUTINFO, WindowsIdle


class _CFunction:
    """A C function as ctypes exposes it: callable, with restype/argtypes to set."""

    def __init__(self, body: Any) -> None:
        self._body = body
        self.restype: Any = None
        self.argtypes: Any = None

    def __call__(self, *args: Any) -> Any:
        return self._body(*args)


class _Library:
    def __init__(self, **functions: Any) -> None:
        for name, body in functions.items():
            setattr(self, name, _CFunction(body))


def _windows(last_input_ms: int, tick_ms: int, ok: bool = True) -> tuple[_Library, _Library]:
    def get_last_input_info(pointer: Any) -> int:
        info = ctypes.cast(pointer, ctypes.POINTER(LASTINPUTINFO)).contents
        assert info.cbSize == ctypes.sizeof(LASTINPUTINFO) == 8
        info.dwTime = last_input_ms
        return 1 if ok else 0

    return _Library(GetLastInputInfo=get_last_input_info), _Library(GetTickCount=lambda: tick_ms)


def test_windows_idle_is_the_tick_count_minus_the_last_input() -> None:
    user32, kernel32 = _windows(last_input_ms=1_000_000, tick_ms=1_090_500)
    source = WindowsIdle((user32, kernel32))
    assert source.idle_seconds() == pytest.approx(90.5)
    assert getattr(kernel32, "GetTickCount").restype is ctypes.c_uint  # noqa: B009 (set by name)


def test_windows_idle_survives_the_tick_count_wrapping_after_49_days() -> None:
    source = WindowsIdle(_windows(last_input_ms=2**32 - 2_000, tick_ms=3_000))
    assert source.idle_seconds() == pytest.approx(5.0)


def test_windows_refusal_is_a_sentence() -> None:
    with pytest.raises(IdleUnavailable, match="did not say when the last input was"):
        WindowsIdle(_windows(0, 0, ok=False))


def test_windows_backend_is_refused_off_windows() -> None:
    with pytest.raises(IdleUnavailable, match="only on Windows"):
        WindowsIdle()


def test_macos_asks_the_combined_session_for_any_input_event() -> None:
    asked: list[tuple[int, int]] = []

    def seconds_since(state: int, event_type: int) -> float:
        asked.append((state, event_type))
        return 12.25

    library = _Library(CGEventSourceSecondsSinceLastEventType=seconds_since)
    source = MacIdle(library)
    assert source.idle_seconds() == 12.25
    assert asked[-1] == (COMBINED_SESSION_STATE, ANY_INPUT_EVENT) == (0, 0xFFFFFFFF)
    function = library.CGEventSourceSecondsSinceLastEventType  # type: ignore[attr-defined]
    assert function.restype is ctypes.c_double
    assert function.argtypes == [ctypes.c_int32, ctypes.c_uint32]


@pytest.mark.parametrize("answer", [math.nan, -1.0])
def test_macos_nonsense_is_refused(answer: float) -> None:
    library = _Library(CGEventSourceSecondsSinceLastEventType=lambda *_: answer)
    with pytest.raises(IdleUnavailable, match="no idle time"):
        MacIdle(library)


def test_macos_backend_is_refused_off_macos() -> None:
    with pytest.raises(IdleUnavailable, match="only on macOS"):
        MacIdle()
