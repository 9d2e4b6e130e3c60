"""An idle widget sleeps: no timer under a minute while the menu is closed.

The header ticks only while the menu is open; a network change asks for a poll at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tracktray.accounts.local import open_local_backend
from tracktray.desktop.icons import TrayState
from tracktray.desktop.polling import resting_key
from tracktray.domain import RunningBlock, Status, TrackerRef
from tracktray.store.settings import Preferences, Settings, Stamp

MakeApp = Callable[..., Harness]


def active_timers(h: Harness) -> list[QTimer]:
    return [t for t in h.app.findChildren(QTimer) if t.isActive()]


def test_between_polls_nothing_wakes_more_than_once_a_minute(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    h = make_app()
    h.wait_ready()
    h.wait_idle()
    # the next poll is scheduled, on the account worker's own timer
    qtbot.waitUntil(lambda: h.app.session.next_poll_in_ms is not None)
    assert (h.app.session.next_poll_in_ms or 0) > 55_000
    timers = active_timers(h)
    assert all(t.remainingTime() > 55_000 or t.interval() >= 60_000 for t in timers), [
        (t.objectName(), t.interval(), t.remainingTime()) for t in timers
    ]


def test_the_header_ticks_while_the_menu_is_open_and_stops_when_it_closes(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    offset = [dt.timedelta(0)]
    h = make_app(clock=lambda: dt.datetime.now(dt.UTC) + offset[0])
    h.wait_ready()
    h.click()
    h.wait_state(TrayState.RUNNING)
    menu = h.app.view.menu
    menu.popup(menu.pos())
    qtbot.waitUntil(menu.isVisible)
    built = h.app.view.built
    assert built is not None
    assert built.header.text().endswith(", 0 min")
    offset[0] = dt.timedelta(minutes=7)
    qtbot.waitUntil(lambda: built.header.text().endswith(", 7 min"), timeout=3_000)
    assert built.today.text() == "Today: 7 min"
    menu.close()
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert all(t.interval() >= 60_000 or t.remainingTime() > 55_000 for t in active_timers(h))


def test_the_computer_waking_up_asks_for_a_poll_at_once(make_app: MakeApp, qtbot: QtBot) -> None:
    h = make_app()
    h.wait_ready()
    h.wait_idle()
    qtbot.waitUntil(lambda: h.app._network is not None)
    # an account that never went offline does not load Qt's network backend plugin
    # (the network coming back: tests/desktop/test_server_account.py)
    assert h.app.network.network_events is None
    with qtbot.waitSignal(h.app.session.polled, timeout=5_000):
        # logind: the computer woke up, as the idle watch's listener hears it
        h.app.idle_watch.session_event.emit("sleep", False)


def test_a_poll_is_one_task_on_one_worker_with_the_settings_check_riding_along(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    h = make_app()
    h.wait_ready()
    h.wait_idle()
    lanes: list[str] = []
    real_run = h.app.bridge.run

    def counting_run(lane: str, *args: object, **kwargs: object) -> None:
        lanes.append(lane)
        real_run(lane, *args, **kwargs)  # type: ignore[arg-type]

    h.app.bridge.run = counting_run  # type: ignore[method-assign]
    stamps: list[str] = []
    store = h.app.sync.store
    real_stamp = store.stamp

    def stamp() -> Stamp:
        stamps.append(threading.current_thread().name)
        return real_stamp()

    store.stamp = stamp  # type: ignore[method-assign]
    with qtbot.waitSignal(h.app.session.polled, timeout=10_000):
        h.app.session.poll_now()
    h.wait_idle()
    assert h.app.session.account is not None
    assert lanes == [h.app.session.account.id]  # one hop: no settings task of its own
    # and the settings file was still looked at, on the account's worker
    assert len(stamps) == 1 and stamps[0].startswith("tracktray-")


def test_a_resting_poll_stays_on_its_worker_until_something_changes(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    fast = dataclasses.replace(Preferences(), poll_interval_s=1, local_notice_shown=True)
    h = make_app(Settings(preferences=fast))
    h.wait_ready()
    h.wait_idle()
    delivered: list[bool] = []
    h.app.session.polled.connect(delivered.append)
    rounds = [0, 0]  # times the worker's timer came round, the deadline seen last
    qtbot.waitUntil(lambda: _timer_came_round(h, rounds) >= 3, timeout=10_000)
    assert delivered == [], "nothing changed: the Qt thread was not woken"
    # ...yet each resting poll confirmed the status drawn: it stands, as of the last one
    drawn, standing = h.app.session.server_status, h.app.session.standing_status()
    assert drawn is not None and standing is not None
    assert standing.fetched_at > drawn.fetched_at
    assert standing.replace(fetched_at=drawn.fetched_at) == drawn

    other = open_local_backend(tmp_path / "data")  # another program starts a block
    try:
        other.start()
        h.wait_state(TrayState.RUNNING)  # the next poll hands the change over
        assert delivered and all(delivered)
    finally:
        other.close()


def _timer_came_round(h: Harness, rounds: list[int]) -> int:
    """Counts the polls of the worker's timer: each one moves the next deadline out."""
    due = h.app.session.next_poll_in_ms
    if due is not None:
        if due > rounds[1]:
            rounds[0] += 1
        rounds[1] = due
    return rounds[0]


def test_a_new_poll_interval_takes_effect_without_waiting_for_the_old_one(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    h = make_app()
    h.wait_ready()
    h.wait_idle()
    qtbot.waitUntil(lambda: (h.app.session.next_poll_in_ms or 0) > 55_000)
    h.app.session.poll_interval_s = 30  # what Settings does (a resting worker keeps time)
    qtbot.waitUntil(lambda: 25_000 < (h.app.session.next_poll_in_ms or 0) <= 30_000)


def test_a_running_block_ticks_its_minutes_without_waking_the_qt_thread_for_each_poll(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    offset = [dt.timedelta(0)]
    fast = dataclasses.replace(Preferences(), poll_interval_s=1, local_notice_shown=True)
    h = make_app(Settings(preferences=fast), clock=lambda: dt.datetime.now(dt.UTC) + offset[0])
    h.wait_ready()
    h.click()
    h.wait_state(TrayState.RUNNING)
    h.wait_idle()
    delivered: list[bool] = []
    h.app.session.polled.connect(delivered.append)
    rounds = [0, 0]
    qtbot.waitUntil(lambda: _timer_came_round(h, rounds) >= 3, timeout=10_000)
    assert delivered == [], "the same block, only older: the worker kept it"
    # ...and confirmed it: it stands for `tracktray status`, as of the last poll
    drawn, standing = h.app.session.server_status, h.app.session.standing_status()
    assert drawn is not None and standing is not None
    assert standing.fetched_at > drawn.fetched_at
    assert standing.daytotal_s >= drawn.daytotal_s + 1  # grown with the clock
    assert resting_key(standing) == resting_key(drawn)

    # today's total turns its minute on the Qt thread's own tick, not with a poll
    status = h.app.session.status
    assert status is not None
    offset[0] += dt.timedelta(seconds=58 - status.daytotal_at(h.app.view._clock()) % 60)
    h.app.view.refresh()
    shown = h.app.view.icon.toolTip()
    qtbot.waitUntil(lambda: h.app.view.icon.toolTip() != shown, timeout=5_000)
    assert "Today: 1 min" in h.app.view.icon.toolTip(), h.app.view.icon.toolTip()
    assert delivered == []

    other = open_local_backend(tmp_path / "data")  # another program stops the block
    try:
        other.stop()
        h.wait_state(TrayState.STOPPED)  # the next poll hands the change over
        assert delivered and all(delivered)
    finally:
        other.close()


def test_a_later_status_of_the_same_running_block_draws_the_same() -> None:
    now = dt.datetime(2026, 11, 29, 16, 0, tzinfo=dt.UTC)
    block = RunningBlock(TrackerRef(1, "Website"), now - dt.timedelta(minutes=5), 300)
    held = Status(daytotal_s=3_900, running=block, default_tracker=None, fetched_at=now)
    later = now + dt.timedelta(seconds=61)
    grown = held.replace(
        daytotal_s=3_961,
        running=block.replace(tracker_total_s=361),
        fetched_at=later,
    )
    assert resting_key(grown) == resting_key(held)
    more = grown.replace(daytotal_s=3_961 + 600)  # a block added elsewhere
    assert resting_key(more) != resting_key(held)
    other = grown.replace(running=block.replace(note="call"))
    assert resting_key(other) != resting_key(held)
    paused = held.replace(running=block.replace(paused=True))
    assert resting_key(paused) != resting_key(paused), "a pause's break grows: hand it over"
