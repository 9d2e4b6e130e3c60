"""The not-tracking reminder in the real app: its schedule, its rate, its action; and
the one-time offer after a few days of use. The clock is injected: no test waits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tests.desktop.idle_harness import StandInIdle, idle_source
from tests.support.clock import FakeClock
from tracktray.desktop.icons import TrayState
from tracktray.store.settings import Preferences, Settings

__all__ = ["idle_source"]

MakeApp = Callable[..., Harness]

# A Wednesday, 10:00 in the computer's own zone (working hours are local)
WEDNESDAY_10 = dt.datetime(2026, 11, 25, 10, 0).astimezone()


def _app(make_app: MakeApp, clock: FakeClock, **prefs: object) -> Harness:
    preferences = Preferences(local_notice_shown=True, reminder_offered=True, **prefs)  # type: ignore[arg-type]
    h = make_app(Settings(preferences=preferences), clock=clock)
    h.wait_ready()
    h.wait_idle()
    return h


def _reading(h: Harness, qtbot: QtBot) -> None:
    with qtbot.waitSignal(h.app.idle_watch.reading):
        h.app.idle_watch.read_now()


def test_reminder_after_the_set_activity_then_at_most_once_an_hour_and_its_action_starts(
    make_app: MakeApp, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    clock = FakeClock(WEDNESDAY_10)
    idle_source.fixed_idle_s = 3.0  # the person is at the keyboard
    h = _app(make_app, clock, reminder_enabled=True, reminder_after_s=15 * 60)
    assert h.app.idle_watch.next_reading_in_ms is not None, "readings while nothing runs"
    reminders: list[None] = []
    h.app.idle.reminded.connect(lambda: reminders.append(None))
    for _minute in range(14):
        _reading(h, qtbot)
        clock.advance(minutes=1)
    assert reminders == []
    with qtbot.waitSignal(h.app.notifier.delivered) as delivered:
        _reading(h, qtbot)  # 14 min after the first reading… and one more minute:
        clock.advance(minutes=1)
        _reading(h, qtbot)
    assert reminders == [None]
    assert delivered.args == ["tray"]  # no notification service in this test: the balloon
    for _minute in range(58):  # the next hour is quiet
        clock.advance(minutes=1)
        _reading(h, qtbot)
    assert reminders == [None]
    clock.advance(minutes=2)
    _reading(h, qtbot)
    assert len(reminders) == 2
    # "Start General": a click on the message runs the first action
    h.app.view.icon.messageClicked.emit()
    h.wait_state(TrayState.RUNNING)
    status = h.app.session.status
    assert status is not None and status.running is not None
    assert status.running.tracker.name == "General"


def test_no_reminder_while_idle_outside_working_hours_or_when_off(
    make_app: MakeApp, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    clock = FakeClock(WEDNESDAY_10.replace(hour=19))
    idle_source.fixed_idle_s = 1.0
    h = _app(make_app, clock, reminder_enabled=True, reminder_after_s=5 * 60)
    # outside working hours the next reading waits for Thursday 9:00
    next_ms = h.app.idle_watch.next_reading_in_ms
    assert next_ms is not None and abs(next_ms - 14 * 3600 * 1000) < 5000
    with qtbot.assertNotEmitted(h.app.idle.reminded):
        for _minute in range(10):
            _reading(h, qtbot)
            clock.advance(minutes=1)
        clock.set(WEDNESDAY_10)
        idle_source.fixed_idle_s = 11 * 60.0  # away: never reminded while idle
        for _minute in range(10):
            _reading(h, qtbot)
            clock.advance(minutes=1)


def test_off_by_default_nothing_is_read_while_stopped(
    make_app: MakeApp, idle_source: StandInIdle
) -> None:
    h = _app(make_app, FakeClock(WEDNESDAY_10))
    assert h.app.idle_watch.available
    assert h.app.idle_watch.next_reading_in_ms is None
    assert idle_source.readings == 0


def test_the_reminder_is_offered_once_after_three_days_of_use(
    make_app: MakeApp, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    clock = FakeClock(WEDNESDAY_10)
    first = make_app(clock=clock)
    first.wait_ready()
    first.wait_idle()
    assert first.store.load().preferences.first_used_on == "2026-11-25"
    first.app.shutdown()
    clock.advance(days=3)
    second = make_app(clock=clock)
    with qtbot.waitSignal(second.app.notifier.delivered):
        second.wait_ready()
    second.wait_idle()
    prefs = second.store.load().preferences
    assert prefs.reminder_offered and not prefs.reminder_enabled
    second.app.view.icon.messageClicked.emit()  # "Set up reminders…"
    assert "settings" in second.app.dialogs
    second.app.dialogs["settings"].close()
    second.app.shutdown()
    third = make_app(clock=clock)
    with qtbot.assertNotEmitted(third.app.notifier.delivered, wait=300):
        third.wait_ready()
        third.wait_idle()
