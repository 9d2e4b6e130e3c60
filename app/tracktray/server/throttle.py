"""Throttling of failed sign-ins, per account and per client address.

Each key (an account name, a client address, a TimeTrack API key) has a bucket of
``burst`` failures that refills one failure every ``window / burst`` seconds. While a
bucket is empty, sign-ins for that key are answered 429 with ``Retry-After`` before any
password is hashed. Successes cost nothing, so a team behind one NAT address is not
slowed down by its own widgets.

State lives in this process's memory (one server process = one set of counters) and is
only touched from the event loop, so it needs no lock. It is bounded: beyond
``max_keys`` keys, the ones that have refilled completely are forgotten first.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Bucket", "Throttle"]


@dataclass(frozen=True)
class Bucket:
    """``burst`` failures, then one more every ``window_s / burst`` seconds."""

    burst: int
    window_s: float

    @property
    def refill_s(self) -> float:
        return self.window_s / self.burst


class Throttle:
    def __init__(
        self,
        bucket: Bucket,
        *,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bucket = bucket
        self._max_keys = max_keys
        self._clock = clock
        # key -> (failures still allowed, when that was computed)
        self._tokens: dict[str, tuple[float, float]] = {}
        self.refused = 0

    def _level(self, key: str, now: float) -> float:
        tokens, since = self._tokens.get(key, (float(self.bucket.burst), now))
        return min(float(self.bucket.burst), tokens + (now - since) / self.bucket.refill_s)

    def wait_s(self, key: str) -> int:
        """0 when ``key`` may try now, else whole seconds until it may (``Retry-After``)."""
        if key not in self._tokens:
            return 0
        level = self._level(key, self._clock())
        if level >= 1:
            return 0
        return max(1, math.ceil((1 - level) * self.bucket.refill_s))

    def failed(self, key: str) -> None:
        now = self._clock()
        self._tokens[key] = (max(0.0, self._level(key, now) - 1), now)
        if len(self._tokens) > self._max_keys:
            self._forget_refilled(now)

    def succeeded(self, key: str) -> None:
        self._tokens.pop(key, None)

    def _forget_refilled(self, now: float) -> None:
        full = [k for k in self._tokens if self._level(k, now) >= self.bucket.burst]
        for key in full:
            del self._tokens[key]
        while len(self._tokens) > self._max_keys:  # still too many: drop the oldest
            del self._tokens[next(iter(self._tokens))]
