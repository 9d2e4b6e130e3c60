"""Capped exponential backoff with jitter, for reads only.

Reads are idempotent, so a connection that failed is simply tried again a few times
("full jitter": a random wait up to the capped exponential, so many widgets that lost
the same server do not come back in lockstep). Writes never go through here: a write
whose answer was lost is re-checked by the client instead (see ``trackmypeople.py``).
The sleep and the random source are injectable so tests never wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from tracktray.contracts.errors import ServerUnavailable
from tracktray.domain.values import Value, set_field

__all__ = ["RetryPolicy", "retry_read"]

T = TypeVar("T")


def _random_fraction() -> float:
    """``random.random()``, imported when a read is first tried again: ``tracktray
    status`` asks once and seldom needs it (``random`` costs ~0.6 ms of its imports)."""
    import random

    return random.random()


class RetryPolicy(Value):
    """How often and how patiently a read is tried again.

    A :class:`Value`, not a frozen dataclass: ``tracktray status`` builds one, and
    ``dataclasses`` (with ``inspect``) costs ~7 ms of that command's imports."""

    __slots__ = ("attempts", "base_s", "cap_s", "jitter", "sleep")
    _fields = ("attempts", "base_s", "cap_s", "sleep", "jitter")
    #: total tries of one read, the first included
    attempts: int
    base_s: float
    cap_s: float
    sleep: Callable[[float], None]
    jitter: Callable[[], float]

    def __init__(
        self,
        attempts: int = 3,
        base_s: float = 0.25,
        cap_s: float = 4.0,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = _random_fraction,
    ) -> None:
        set_field(self, "attempts", attempts)
        set_field(self, "base_s", base_s)
        set_field(self, "cap_s", cap_s)
        set_field(self, "sleep", sleep)
        set_field(self, "jitter", jitter)

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1-based)."""
        if retry_after is not None and 0 <= retry_after <= self.cap_s:
            return retry_after
        return self.jitter() * min(self.cap_s, self.base_s * 2.0 ** (retry - 1))


def retry_read(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    retryable: Callable[[ServerUnavailable], bool] = lambda _e: True,
) -> T:
    """Run ``call``; on a retryable ServerUnavailable wait and run it again."""
    attempt = 1
    while True:
        try:
            return call()
        except ServerUnavailable as exc:
            if attempt >= policy.attempts or not retryable(exc):
                raise
            policy.sleep(policy.delay(attempt, exc.retry_after))
            attempt += 1
