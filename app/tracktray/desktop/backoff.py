"""How long to wait before asking an unreachable server again.

Exponential with "equal jitter": after the n-th failure in a row the wait is drawn
between half and all of ``base * 2**(n-1)``, capped. The jitter keeps a fleet of widgets
that lost the same server from all coming back in the same second.
"""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["Backoff"]


class Backoff:
    def __init__(
        self,
        base_s: float = 5.0,
        cap_s: float = 300.0,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._base_s = base_s
        self._cap_s = cap_s
        self._rng = rng
        self._failures = 0

    @property
    def failures(self) -> int:
        """Failures in a row since the last success."""
        return self._failures

    def failed(self) -> float:
        """Record a failure; return the seconds to wait before the next attempt."""
        self._failures += 1
        ceiling = min(self._cap_s, self._base_s * 2.0 ** (self._failures - 1))
        return ceiling / 2 + self._rng() * ceiling / 2

    def succeeded(self) -> None:
        self._failures = 0
