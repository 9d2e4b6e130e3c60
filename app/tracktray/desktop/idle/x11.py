"""Idle time on X11: the MIT-SCREEN-SAVER extension through ctypes (libX11 + libXss).

``XScreenSaverQueryInfo`` fills a struct whose ``idle`` field is the milliseconds since
the last input the X server saw (keyboard or pointer, from any client, XTest included).
No Python X library is needed: two C calls. The display connection is opened once and
kept; the calls run on the idle worker, never on the Qt thread.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

from tracktray.desktop.idle._source import IdleUnavailable
from tracktray.i18n import N_, _

__all__ = ["X11Idle"]


class XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("eventMask", ctypes.c_ulong),
    ]


#: the Linux sonames, tried before ``find_library`` (which runs ``ldconfig``, ~20 ms)
_SONAMES = {"X11": "libX11.so.6", "Xss": "libXss.so.1"}


def _load(name: str) -> Any:
    soname = _SONAMES.get(name)
    if soname is not None:
        try:
            return ctypes.CDLL(soname)
        except OSError:
            pass  # another system's naming: ask the linker cache
    from ctypes import util  # only here: it imports subprocess (~0.4 MiB kept all day)

    path = util.find_library(name)
    if path is None:
        raise IdleUnavailable(_("The library lib{name} is not installed.").format(name=name))
    try:
        return ctypes.CDLL(path)
    except OSError as exc:
        raise IdleUnavailable(
            _("The library lib{name} cannot be loaded: {exc}.").format(name=name, exc=exc)
        ) from None


class X11Idle:
    name = N_("X11 (screen saver extension)")

    def __init__(self, display: str | None = None, load: Callable[[str], Any] = _load) -> None:
        xlib, xss = load("X11"), load("Xss")
        xlib.XOpenDisplay.restype = ctypes.c_void_p
        xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        xlib.XDefaultRootWindow.restype = ctypes.c_ulong
        xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
        xlib.XFree.argtypes = [ctypes.c_void_p]
        xss.XScreenSaverQueryExtension.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_int),
        ]
        xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(XScreenSaverInfo)
        xss.XScreenSaverQueryInfo.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.POINTER(XScreenSaverInfo),
        ]
        self._xlib, self._xss = xlib, xss
        self._display: int | None = xlib.XOpenDisplay(display.encode() if display else None)
        if not self._display:
            self._display = None
            raise IdleUnavailable(_("No X display can be opened (not an X11 session)."))
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(
            self._display, ctypes.byref(event_base), ctypes.byref(error_base)
        ):
            self.close()
            raise IdleUnavailable(_("The X server has no screen saver extension."))
        self._root = xlib.XDefaultRootWindow(self._display)
        self._info = xss.XScreenSaverAllocInfo()

    def idle_seconds(self) -> float:
        if self._display is None:
            raise IdleUnavailable(_("The X display was closed."))
        if not self._xss.XScreenSaverQueryInfo(self._display, self._root, self._info):
            raise IdleUnavailable(_("The X server did not answer the idle time query."))
        return float(self._info.contents.idle) / 1000.0

    def close(self) -> None:
        display, self._display = self._display, None
        if display is not None:
            info = getattr(self, "_info", None)
            if info:
                self._xlib.XFree(info)
            self._xlib.XCloseDisplay(display)
