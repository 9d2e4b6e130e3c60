"""The rules of idle handling, with an injected clock: absences, the check schedule,
the reminder's working hours and rate, and the words."""

from __future__ import annotations

import datetime as dt

import pytest

from tracktray.desktop.away_text import away_text, long_block_flag
from tracktray.desktop.idle.away import AwayTracker, next_check_in
from tracktray.desktop.idle.reminder_rules import ReminderRules, WorkingHours
from tracktray.desktop.idle_prefs import days_from_bits, parse_time, working_hours_from
from tracktray.store.settings import Preferences

T0 = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)  # a Friday


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_an_absence_runs_from_the_last_input_to_the_first_input_after_it() -> None:
    tracker = AwayTracker(threshold_s=600)
    assert tracker.observe(at(5), idle_s=30) is None
    assert not tracker.away
    assert tracker.observe(at(20), idle_s=14 * 60) is None  # last input at 9:06
    assert tracker.away and tracker.away_since == at(6)
    assert tracker.observe(at(30), idle_s=24 * 60) is None  # still away
    away = tracker.observe(at(41), idle_s=60)  # input again at 9:40
    assert away is not None
    assert (away.since, away.until, away.reason) == (at(6), at(40), "idle")
    assert not tracker.away


def test_while_locked_typing_the_password_is_not_coming_back() -> None:
    tracker = AwayTracker(threshold_s=600)
    tracker.observe(at(0), idle_s=0)
    since = tracker.went(at(10), 0, "lock")
    assert since == at(10)
    # the reading right after the lock says the last input was at 9:07
    assert tracker.went(at(10), 180, "lock") == at(7)
    assert tracker.observe(at(30), idle_s=1) is None  # unlock screen input: still gone
    tracker.came_back()
    away = tracker.observe(at(31), idle_s=2)
    assert away is not None and away.since == at(7) and away.reason == "lock"


def test_a_short_absence_ends_without_a_prompt() -> None:
    tracker = AwayTracker(threshold_s=600)
    tracker.went(at(0), 0, "lock")
    tracker.came_back()
    assert tracker.observe(at(3), idle_s=0) is None


def test_checks_wait_until_the_threshold_could_be_reached_and_at_least_a_minute() -> None:
    tracker = AwayTracker(threshold_s=600)
    assert next_check_in(tracker, idle_s=0) == 600
    assert next_check_in(tracker, idle_s=570) == 60
    tracker.observe(at(0), idle_s=700)
    assert next_check_in(tracker, idle_s=700) == 60  # away: once a minute for the return
    assert next_check_in(AwayTracker(threshold_s=2), idle_s=0) == 2  # only from the file


HOURS = WorkingHours(days=frozenset({1, 2, 3, 4, 5}), start=dt.time(9), end=dt.time(17))


def test_reminder_after_continuous_activity_and_at_most_once_an_hour() -> None:
    rules = ReminderRules(HOURS, after_s=15 * 60, away_threshold_s=600)
    assert not rules.observe(at(0), idle_s=5)  # activity starts being counted
    assert not rules.observe(at(10), idle_s=5)
    assert rules.observe(at(15), idle_s=5)  # 15 min of activity: remind
    assert not rules.observe(at(16), idle_s=5)
    assert not rules.observe(at(74), idle_s=5)  # 59 min after the reminder
    assert rules.observe(at(75), idle_s=5)  # an hour later


def test_reminder_never_while_idle_or_locked_and_the_count_starts_again() -> None:
    rules = ReminderRules(HOURS, after_s=15 * 60, away_threshold_s=600)
    rules.observe(at(0), idle_s=0)
    assert not rules.observe(at(16), idle_s=11 * 60)  # idle: no reminder, count reset
    assert not rules.observe(at(17), idle_s=0)
    assert not rules.observe(at(30), idle_s=0, gone=True)  # locked
    assert not rules.observe(at(31), idle_s=0)
    assert rules.observe(at(46), idle_s=0)


def test_reminder_only_in_working_hours_and_the_next_check_waits_for_them() -> None:
    rules = ReminderRules(HOURS, after_s=60, away_threshold_s=600)
    evening = T0.replace(hour=17, minute=30)
    assert not rules.observe(evening, idle_s=0)
    assert not rules.observe(evening + dt.timedelta(minutes=5), idle_s=0)
    # Friday evening → Monday 9:00
    monday = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
    assert rules.next_check_in(evening, floor_s=60) == (monday - evening).total_seconds()
    assert rules.next_check_in(at(30), floor_s=60) == 60
    never = ReminderRules(
        WorkingHours(frozenset(), dt.time(9), dt.time(17)), after_s=60, away_threshold_s=600
    )
    assert never.next_check_in(at(0), floor_s=60) is None


def test_preferences_become_working_hours() -> None:
    assert days_from_bits(0b0011111) == {1, 2, 3, 4, 5}
    assert days_from_bits(0b1100000) == {6, 7}
    assert parse_time("07:30", dt.time(9)) == dt.time(7, 30)
    assert parse_time("half past seven", dt.time(9)) == dt.time(9)
    hours = working_hours_from(Preferences(work_start="08:00", work_end="12:00"))
    assert hours == WorkingHours(frozenset({1, 2, 3, 4, 5}), dt.time(8), dt.time(12))


@pytest.mark.parametrize(
    ("started", "now", "flag"),
    [
        ("2026-11-27 08:00", "2026-11-27 18:00", None),
        ("2026-11-26 16:00", "2026-11-27 09:00", "⚠ Running since yesterday — forgotten?"),
        ("2026-11-27 16:00", "2026-11-30 08:00", "⚠ Running over the weekend — forgotten?"),
        ("2026-11-23 16:00", "2026-11-26 08:00", "⚠ Running for 3 days — forgotten?"),
    ],
)
def test_the_tooltip_flags_a_block_across_midnight_or_a_weekend(
    started: str, now: str, flag: str | None
) -> None:
    def local(text: str) -> dt.datetime:
        return dt.datetime.fromisoformat(text).astimezone()

    assert long_block_flag(local(started), local(now)) == flag


def test_the_prompt_says_when_and_how_long() -> None:
    since = dt.datetime(2026, 11, 27, 10, 42).astimezone()
    until = since + dt.timedelta(minutes=35)
    assert away_text(since, until, "Website", "idle") == (
        "You were away from 10:42 to 11:17 (35 min) while Website was running."
    )
    assert away_text(since, until, "Website", "lock").startswith("The screen was locked from")
