"""Idle detection: seconds since the last input, and locked / asleep events.

One small interface (:class:`IdleSource`) with a backend per session kind, chosen at
start by :func:`choose_source`; :class:`IdleWatch` reads it on a worker when asked.
See docs/desktop.md ("Away, forgotten, not tracking") and docs/desktop-platforms.md.
"""

from tracktray.desktop.idle._source import IdleSource, IdleUnavailable
from tracktray.desktop.idle.away import Away, AwayTracker, next_check_in
from tracktray.desktop.idle.choose import IdleChoice, choose_source

__all__ = [
    "Away",
    "AwayTracker",
    "IdleChoice",
    "IdleSource",
    "IdleUnavailable",
    "choose_source",
    "next_check_in",
]
