"""Preferences of the idle features turned into rules, and back into words for Settings."""

from __future__ import annotations

import datetime as dt

from tracktray.desktop.idle.reminder_rules import ReminderRules, WorkingHours
from tracktray.store.settings import Preferences

__all__ = ["days_from_bits", "parse_time", "reminder_rules_from", "working_hours_from"]

_DEFAULT_START, _DEFAULT_END = dt.time(9), dt.time(18)


def parse_time(text: str, default: dt.time) -> dt.time:
    """``"09:30"`` → 09:30; anything else → ``default`` (a hand-edited file must not crash)."""
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        return default


def days_from_bits(bits: int) -> frozenset[int]:
    """Bit 0 = Monday … bit 6 = Sunday → ISO weekdays."""
    return frozenset(day for day in range(1, 8) if bits & (1 << (day - 1)))


def working_hours_from(prefs: Preferences) -> WorkingHours:
    return WorkingHours(
        days=days_from_bits(prefs.work_days),
        start=parse_time(prefs.work_start, _DEFAULT_START),
        end=parse_time(prefs.work_end, _DEFAULT_END),
    )


def reminder_rules_from(prefs: Preferences) -> ReminderRules:
    return ReminderRules(
        working_hours_from(prefs),
        after_s=float(prefs.reminder_after_s),
        away_threshold_s=float(prefs.idle_after_s),
    )
