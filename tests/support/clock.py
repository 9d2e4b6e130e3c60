"""A clock tests set and move by hand (the engine takes any ``() -> aware datetime``)."""

from __future__ import annotations

import datetime as dt
import threading


class FakeClock:
    def __init__(self, now: dt.datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = now
        self._lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        with self._lock:
            return self._now

    def set(self, now: dt.datetime) -> None:
        with self._lock:
            self._now = now

    def advance(self, **delta: float) -> None:
        with self._lock:
            self._now += dt.timedelta(**delta)
