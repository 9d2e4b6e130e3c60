"""Pick the idle backend that works in the session this process runs in.

Called once, on a worker (probing means opening the X display or asking the bus).
Order: Windows and macOS have one road each. On Linux a Wayland session goes to the
compositor (GNOME's Mutter, then the freedesktop screen saver that KDE implements),
because under Wayland an X11 client sees only the input of other X11 clients; an X11
session asks the X server first. Every refusal is kept, so Settings can say plainly
why there is no idle detection.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tracktray.desktop.idle._source import IdleSource, IdleUnavailable
from tracktray.i18n import _

__all__ = ["IdleChoice", "choose_source"]

log = logging.getLogger(__name__)

Factory = Callable[[], IdleSource]


@dataclass(frozen=True)
class IdleChoice:
    source: IdleSource | None
    #: why each backend tried before (or instead of) the chosen one said no
    refusals: tuple[str, ...] = ()

    @property
    def explanation(self) -> str:
        """One plain paragraph for Settings."""
        if self.source is not None:
            return _("Idle time comes from {name}.").format(name=_(self.source.name))
        reasons = " ".join(self.refusals) or _("This system is not supported.")
        return _("TrackTray cannot tell when you are away on this computer. {reasons}").format(
            reasons=reasons
        )


def _x11() -> IdleSource:
    from tracktray.desktop.idle.x11 import X11Idle

    return X11Idle()


def _mutter() -> IdleSource:
    from tracktray.desktop.idle.dbus_sources import MutterIdle

    return MutterIdle()


def _screensaver() -> IdleSource:
    from tracktray.desktop.idle.dbus_sources import FreedesktopScreenSaverIdle

    return FreedesktopScreenSaverIdle()


def _windows() -> IdleSource:
    from tracktray.desktop.idle.windows import WindowsIdle

    return WindowsIdle()


def _macos() -> IdleSource:
    from tracktray.desktop.idle.macos import MacIdle

    return MacIdle()


def candidates(platform: str, environ: Mapping[str, str]) -> Sequence[Factory]:
    """The backends worth trying here, best first."""
    if platform in ("win32", "cygwin"):
        return (_windows,)
    if platform == "darwin":
        return (_macos,)
    wayland = environ.get("XDG_SESSION_TYPE") == "wayland" or (
        bool(environ.get("WAYLAND_DISPLAY")) and environ.get("XDG_SESSION_TYPE") != "x11"
    )
    if wayland:
        return (_mutter, _screensaver)
    if environ.get("DISPLAY"):
        return (_x11, _mutter, _screensaver)
    return (_mutter, _screensaver)


def choose_source(
    platform: str = sys.platform,
    environ: Mapping[str, str] | None = None,
    factories: Sequence[Factory] | None = None,
) -> IdleChoice:
    """The first backend that answers; blocking, so call it on a worker."""
    env = os.environ if environ is None else environ
    refusals: list[str] = []
    for factory in factories if factories is not None else candidates(platform, env):
        try:
            source = factory()
        except IdleUnavailable as exc:
            refusals.append(str(exc))
            continue
        log.info("idle time from %s", source.name)
        return IdleChoice(source, tuple(refusals))
    return IdleChoice(None, tuple(refusals))
