"""Capped exponential backoff with jitter, for reads only.

Reads are idempotent, so a connection that failed is simply tried again a few times
("full jitter": a random wait up to the capped exponential, so many widgets that lost
the same server do not come back in lockstep). Writes never go through here: a write
whose answer was lost is re-checked by the client instead (see ``trackmypeople.py``).
The sleep and the random source are injectable so tests never wait.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from tracktray.contracts.errors import ServerUnavailable

__all__ = ["RetryPolicy", "retry_read"]

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a read is tried again."""

    #: total tries of one read, the first included
    attempts: int = 3
    base_s: float = 0.25
    cap_s: float = 4.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = field(default=random.random)

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
