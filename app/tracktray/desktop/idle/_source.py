"""The one small interface every idle backend offers, and its one error.

A backend answers a single question, *how many seconds since the person last touched
the keyboard or the pointer*, by a call that may block (a D-Bus round trip, an X
request): callers run it on a worker, never on the UI thread. Locked / asleep events
come separately from :mod:`tracktray.desktop.idle.session_events`.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["IdleSource", "IdleUnavailable"]


class IdleUnavailable(Exception):
    """This backend cannot tell the idle time here; the message says why in one sentence."""


class IdleSource(Protocol):
    #: shown in Settings: "X11 (screen saver extension)", "GNOME (Mutter idle monitor)", …
    name: str

    def idle_seconds(self) -> float:
        """Seconds since the last input; raises :class:`IdleUnavailable`."""
        ...

    def close(self) -> None: ...
