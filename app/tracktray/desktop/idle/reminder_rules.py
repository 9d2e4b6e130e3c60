"""When to remind a person that nothing is being tracked: working hours, activity, rate.

Pure rules over local wall-clock times handed in by the caller (an injectable clock),
so the schedule and the rate are tested without waiting. A reminder comes only

- on a working day, between the start and the end of working hours;
- after ``after_s`` of continuous activity with nothing running (an idle stretch of the
  away threshold, a lock or sleep starts the count again);
- at most once per ``every_s`` (an hour by default).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

__all__ = ["ReminderRules", "WorkingHours"]

HOUR_S: Final = 3600.0


@dataclass(frozen=True)
class WorkingHours:
    #: ISO weekdays, 1 = Monday … 7 = Sunday
    days: frozenset[int]
    start: dt.time
    end: dt.time

    def contains(self, local: dt.datetime) -> bool:
        return local.isoweekday() in self.days and self.start <= local.time() < self.end

    def next_start(self, local: dt.datetime) -> dt.datetime | None:
        """The next moment working hours begin (now if they already run)."""
        if self.contains(local):
            return local
        for days_ahead in range(8):
            day = local.date() + dt.timedelta(days=days_ahead)
            start = dt.datetime.combine(day, self.start, tzinfo=local.tzinfo)
            if day.isoweekday() in self.days and start > local:
                return start
        return None


class ReminderRules:
    def __init__(
        self,
        hours: WorkingHours,
        *,
        after_s: float,
        away_threshold_s: float,
        every_s: float = HOUR_S,
    ) -> None:
        self.hours = hours
        self.after_s = after_s
        self.away_threshold_s = away_threshold_s
        self.every_s = every_s
        self._active_since: dt.datetime | None = None
        self._last_reminder: dt.datetime | None = None

    def reset(self) -> None:
        """Something runs, or the person went away: the count starts again."""
        self._active_since = None

    def observe(self, local_now: dt.datetime, idle_s: float, *, gone: bool = False) -> bool:
        """A reading while nothing runs; True when a reminder is due now."""
        if gone or idle_s >= self.away_threshold_s or not self.hours.contains(local_now):
            self._active_since = None
            return False
        if self._active_since is None:
            self._active_since = local_now  # the first reading that saw the person here
            return False
        if (local_now - self._active_since).total_seconds() < self.after_s:
            return False
        if self._last_reminder is not None and (
            (local_now - self._last_reminder).total_seconds() < self.every_s
        ):
            return False
        self._last_reminder = local_now
        return True

    def next_check_in(self, local_now: dt.datetime, floor_s: float) -> float | None:
        """Seconds until the next reading is worth making; None: never (no working days)."""
        start = self.hours.next_start(local_now)
        if start is None:
            return None
        if start > local_now:
            return max(floor_s, (start - local_now).total_seconds())
        return floor_s
