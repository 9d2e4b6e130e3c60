"""When was the person away, and for how long: the rules, with no Qt and no clock of their own.

:class:`AwayTracker` is fed idle readings (``observe(now, idle_s)``) and lock / sleep
events, and says when an absence of at least the threshold ended. An absence starts at
the last input before it (``now - idle_s``), not when it was noticed, and ends at the
first input after it. While the screen is locked or the computer asleep nothing counts
as coming back: typing the password is not work.

:func:`next_check_in` is why idle detection is cheap: while the person is present, the
idle time cannot reach the threshold before ``threshold - idle_s`` seconds have passed,
so the next reading waits that long (at least a minute); only while away, waiting for
the return, does it read once a minute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

__all__ = ["MIN_CHECK_S", "Away", "AwayTracker", "next_check_in"]

#: never read the idle time more often than this (unless the threshold is shorter)
MIN_CHECK_S: Final = 60.0
#: two readings of the same last input differ by rounding; this much is not new input
_SAME_INPUT: Final = dt.timedelta(seconds=2)


@dataclass(frozen=True)
class Away:
    """One absence: from the last input before it to the first input after it."""

    since: dt.datetime
    until: dt.datetime
    #: "idle", "lock" or "sleep": what made it (for the prompt's wording)
    reason: str = "idle"

    @property
    def seconds(self) -> float:
        return (self.until - self.since).total_seconds()


class AwayTracker:
    def __init__(self, threshold_s: float) -> None:
        self.threshold_s = threshold_s
        #: the last input seen (None before the first reading)
        self.last_input: dt.datetime | None = None
        self._away_since: dt.datetime | None = None
        self._reason = "idle"
        self._gone = False

    @property
    def away(self) -> bool:
        return self._away_since is not None

    @property
    def away_since(self) -> dt.datetime | None:
        return self._away_since

    @property
    def gone(self) -> bool:
        """The screen is locked or the computer asleep."""
        return self._gone

    def observe(self, now: dt.datetime, idle_s: float) -> Away | None:
        """A reading of the idle time; returns the absence that just ended, if long enough."""
        input_at = now - dt.timedelta(seconds=max(0.0, idle_s))
        if self._gone:
            return None
        since = self._away_since
        if since is None:
            self.last_input = input_at
            if idle_s >= self.threshold_s:
                self._away_since, self._reason = input_at, "idle"
            return None
        if input_at <= since + _SAME_INPUT:
            return None  # still away
        self._away_since, self.last_input = None, input_at
        absence = Away(since, input_at, self._reason)
        return absence if absence.seconds >= self.threshold_s else None

    def went(self, now: dt.datetime, idle_s: float, reason: str) -> dt.datetime:
        """The screen locked or the computer is going to sleep; returns when they left.

        Called at the event (``idle_s`` = 0 when unknown) and again with the reading
        taken right after it, which moves the start back to the last input."""
        input_at = now - dt.timedelta(seconds=max(0.0, idle_s))
        since = self._away_since
        if since is None or (
            input_at < since and (self.last_input is None or input_at >= self.last_input)
        ):
            # a reading right after the event tells the last input better than the event
            self._away_since, self._reason = input_at, reason
        self._gone = True
        return self._away_since or input_at

    def came_back(self) -> None:
        """Unlocked or awake again: the next reading may end the absence."""
        self._gone = False

    def reset(self) -> None:
        """A block started or stopped: an absence before it is not this block's concern."""
        self._away_since, self._gone, self.last_input = None, False, None


def next_check_in(tracker: AwayTracker, idle_s: float, floor_s: float = MIN_CHECK_S) -> float:
    """Seconds until the next idle reading is worth making."""
    floor = min(floor_s, tracker.threshold_s)
    if tracker.away or tracker.gone:
        return floor
    return max(floor, tracker.threshold_s - idle_s)
