"""The coming-back and forgotten-timer prompts against the real local engine.

A block is made to have run for a while (its start moved back in the engine), the
stand-in idle source says the person left and came back, and each answer of the prompt
is clicked; the resulting blocks are read back through ``report``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from tests.desktop.idle_harness import Running, StandInIdle, idle_source, now, running_for
from tracktray.accounts.local import LocalBackend
from tracktray.api import TimeNotApplied
from tracktray.desktop.away_prompt import AwayPrompt
from tracktray.desktop.forgotten_prompt import ForgottenPrompt
from tracktray.desktop.icons import TrayState

__all__ = ["idle_source", "running_for"]

StartRunning = Callable[..., Running]


def _away_then_back(r: Running, source: StandInIdle, away_min: int) -> AwayPrompt:
    """The person left ``away_min`` minutes ago and is back now: the prompt opens."""
    app = r.harness.app
    source.last_input = now() - dt.timedelta(minutes=away_min)
    app.idle_watch.read_now()  # the scheduled reading
    r.harness.qtbot.waitUntil(lambda: app.idle.tracker.away)
    assert "away" not in app.dialogs, "no prompt while the person is still away"
    source.last_input = now()
    with r.harness.qtbot.waitSignal(app.idle.prompted) as shown:
        app.idle_watch.read_now()
    assert shown.args == ["away"]
    prompt = app.dialogs["away"]
    assert isinstance(prompt, AwayPrompt)
    assert prompt.isVisible() and not prompt.isModal()
    return prompt


def _closed_minutes(r: Running) -> list[tuple[int | None, int | None]]:
    """(tracker, whole minutes or None while open) of every block, oldest first."""
    return [
        (b.tracker_id, round(b.total_s / 60) if b.time_out is not None else None)
        for b in r.blocks()
    ]


def _settled(r: Running, qtbot: QtBot, blocks: int) -> None:
    qtbot.waitUntil(lambda: len(r.blocks()) == blocks and not r.harness.app.session.waiting)
    r.harness.wait_idle()


def test_keep_leaves_the_block_as_it_was(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    r = running_for(60)
    prompt = _away_then_back(r, idle_source, away_min=25)
    assert "You were away from" in prompt.message.text()
    assert "(25 min) while General was running." in prompt.message.text()
    prompt.keep_button.click()
    r.harness.wait_idle()
    assert not prompt.isVisible()
    assert _closed_minutes(r) == [(1, None)]
    assert r.harness.state is TrayState.RUNNING


def test_stop_at_the_idle_start_ends_the_block_when_the_person_left(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    r = running_for(60)
    prompt = _away_then_back(r, idle_source, away_min=25)
    left = now() - dt.timedelta(minutes=25)
    assert abs((prompt.away.since - left).total_seconds()) < 5
    assert prompt.stop_button.text() == f"&Stop at {prompt.away.since.astimezone():%H:%M}"
    prompt.stop_button.click()
    r.harness.wait_state(TrayState.STOPPED)
    _settled(r, qtbot, 1)
    assert _closed_minutes(r) == [(1, 35)]


def test_discard_cuts_the_idle_time_out_and_goes_on(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    r = running_for(60)
    _away_then_back(r, idle_source, away_min=25).discard_button.click()
    _settled(r, qtbot, 2)
    assert _closed_minutes(r) == [(1, 35), (1, None)]
    restarted = r.blocks()[1]
    assert restarted.total_s < 60, "the block goes on from now"
    assert r.harness.state is TrayState.RUNNING


def test_the_idle_time_goes_on_another_tracker_and_the_block_goes_on(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    r = running_for(60)
    support = r.backend.engine.add_tracker("Support")
    r.backend.engine.grant_role(r.backend.profile_id, support, can_track=True)
    r.harness.app.session.refresh_tree()
    qtbot.waitUntil(lambda: support in r.harness.app.session.tree)
    prompt = _away_then_back(r, idle_source, away_min=25)
    prompt.move_button.click()
    assert prompt.picker.isVisible()
    prompt.tracker_box.setEditText("no such tracker")
    prompt.put_button.click()
    assert prompt.isVisible(), "a name that is no tracker keeps the prompt open"
    prompt.tracker_box.setEditText("Support")
    prompt.put_button.click()
    _settled(r, qtbot, 3)
    assert _closed_minutes(r) == [(1, 35), (support, 25), (1, None)]
    status = r.harness.app.session.status
    assert status is not None and status.running is not None and status.running.tracker.id == 1


def test_closing_the_prompt_keeps_the_block(
    running_for: StartRunning, idle_source: StandInIdle
) -> None:
    r = running_for(60)
    _away_then_back(r, idle_source, away_min=25).close()
    r.harness.wait_idle()
    assert _closed_minutes(r) == [(1, None)]


def test_a_short_absence_asks_nothing(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    r = running_for(60)
    app = r.harness.app
    idle_source.last_input = now() - dt.timedelta(minutes=9)
    with qtbot.waitSignal(app.idle_watch.reading):
        app.idle_watch.read_now()
    idle_source.last_input = now()
    with qtbot.assertNotEmitted(app.idle.prompted), qtbot.waitSignal(app.idle_watch.reading):
        app.idle_watch.read_now()
    assert "away" not in app.dialogs


def test_switched_off_asks_nothing(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    r = running_for(60, idle_detection=False)
    app = r.harness.app
    next_ms = app.idle_watch.next_reading_in_ms
    assert next_ms is not None and next_ms > 7 * 3600 * 1000  # only at the forgotten limit
    idle_source.last_input = now() - dt.timedelta(minutes=30)
    with qtbot.waitSignal(app.idle_watch.reading):
        app.idle_watch.read_now()
    idle_source.last_input = now()
    with qtbot.assertNotEmitted(app.idle.prompted), qtbot.waitSignal(app.idle_watch.reading):
        app.idle_watch.read_now()


# -- the forgotten timer ---------------------------------------------------------------


def test_a_block_over_the_limit_asks_still_working_and_stops_at_the_last_activity(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    r = running_for(10 * 60)  # ten hours; the limit is nine
    app = r.harness.app
    idle_source.last_input = now() - dt.timedelta(hours=2)  # left two hours ago
    with qtbot.waitSignal(app.idle.prompted) as shown:
        app.idle_watch.read_now()
    assert shown.args == ["forgotten"]
    prompt = app.dialogs["forgotten"]
    assert isinstance(prompt, ForgottenPrompt) and not prompt.isModal()
    assert prompt.windowTitle() == "Still working on General?"
    assert "has been running since" in prompt.message.text()
    assert prompt.stop_button.text().startswith("&Stop at the last activity (")
    prompt.stop_button.click()
    r.harness.wait_state(TrayState.STOPPED)
    _settled(r, qtbot, 1)
    assert _closed_minutes(r) == [(1, 8 * 60)]


def test_keep_on_the_forgotten_prompt_asks_once_per_block(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    r = running_for(10 * 60)
    app = r.harness.app
    idle_source.last_input = now()
    with qtbot.waitSignal(app.idle.prompted):
        app.idle_watch.read_now()
    app.dialogs["forgotten"].keep_button.click()  # type: ignore[attr-defined]
    with qtbot.assertNotEmitted(app.idle.prompted), qtbot.waitSignal(app.idle_watch.reading):
        app.idle_watch.read_now()
    assert _closed_minutes(r) == [(1, None)]


def test_the_tray_answers_while_the_forgotten_prompt_is_open_and_its_late_answer_is_dropped(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    r = running_for(10 * 60)
    app = r.harness.app
    idle_source.last_input = now() - dt.timedelta(hours=1)
    with qtbot.waitSignal(app.idle.prompted):
        app.idle_watch.read_now()
    prompt = app.dialogs["forgotten"]
    assert isinstance(prompt, ForgottenPrompt) and prompt.isVisible()
    r.harness.click()  # stop, from the tray
    r.harness.wait_state(TrayState.STOPPED)
    r.harness.click()  # start a new block
    r.harness.wait_state(TrayState.RUNNING)
    prompt.stop_button.click()  # about the old block: nothing to do any more
    r.harness.wait_idle()
    assert _closed_minutes(r) == [(1, 10 * 60), (1, None)]


def test_the_limit_is_a_setting(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    r = running_for(10 * 60, forgotten_after_s=12 * 3600)
    app = r.harness.app
    idle_source.last_input = now()
    with qtbot.assertNotEmitted(app.idle.prompted), qtbot.waitSignal(app.idle_watch.reading):
        app.idle_watch.read_now()


def test_the_tooltip_flags_a_block_that_crossed_midnight(
    running_for: StartRunning, idle_source: StandInIdle
) -> None:
    r = running_for(26 * 60)
    tooltip = r.harness.app.view.icon.toolTip()
    assert "General since" in tooltip
    assert tooltip.splitlines()[-1].startswith("⚠ Running ")
    assert tooltip.endswith("— forgotten?")


# -- lock, sleep and a server that ignores the time ---------------------------------------


@pytest.mark.parametrize(
    ("event", "setting"),
    [("lock", "stop_on_lock"), ("sleep", "stop_on_sleep"), ("shutdown", "stop_on_shutdown")],
)
def test_stop_at_lock_sleep_or_shutdown_ends_the_block_at_the_last_input_before_it(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot, event: str, setting: str
) -> None:
    r = running_for(60, **{setting: True})
    idle_source.last_input = now() - dt.timedelta(minutes=5)
    app = r.harness.app
    with qtbot.waitSignal(app.idle_watch.reading):
        app.idle_watch.session_event.emit(event, True)  # as logind says it
    app.idle_watch.session_event.emit(event, True)  # and the screen saver, for a lock
    with qtbot.waitSignal(app.idle_watch.reading):
        app.idle_watch.read_now()
    r.harness.wait_state(TrayState.STOPPED)
    _settled(r, qtbot, 1)
    assert _closed_minutes(r) == [(1, 55)]
    assert not any("could not be changed" in n.title for n in r.harness.notices)


def test_a_lock_without_stop_asks_when_the_person_unlocks(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    r = running_for(60)
    app = r.harness.app
    idle_source.last_input = now() - dt.timedelta(minutes=30)
    with qtbot.waitSignal(app.idle_watch.reading):
        app.idle_watch.session_event.emit("lock", True)
    idle_source.last_input = now()  # typing the password is input, but still locked
    with qtbot.assertNotEmitted(app.idle.prompted), qtbot.waitSignal(app.idle_watch.reading):
        app.idle_watch.read_now()
    with qtbot.waitSignal(app.idle.prompted):
        app.idle_watch.session_event.emit("lock", False)
    prompt = app.dialogs["away"]
    assert isinstance(prompt, AwayPrompt)
    assert prompt.message.text().startswith("The screen was locked from")
    assert r.harness.state is TrayState.RUNNING


def test_a_server_that_ignores_the_time_is_reported_and_the_next_prompt_says_so(
    running_for: StartRunning,
    idle_source: StandInIdle,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What the TrackMyPeople client does against a vendor server that drops ``at``
    # (tests/api/test_trackmypeople_at.py): the stop happens now, then TimeNotApplied.
    original_stop = LocalBackend.stop

    def stop_ignoring_at(self: LocalBackend, description: str = "", at: object = None) -> None:
        original_stop(self, description)
        if at is not None:
            raise TimeNotApplied(at, now(), "https://tracker.example/edit/1")  # type: ignore[arg-type]

    monkeypatch.setattr(LocalBackend, "stop", stop_ignoring_at)
    r = running_for(60)
    _away_then_back(r, idle_source, away_min=25).discard_button.click()
    notice = r.harness.wait_notice("as asked.")
    assert notice.title == "Clicks sent to This computer"
    assert "Correct it on its page: https://tracker.example/edit/1" in notice.body
    _settled(r, qtbot, 2)
    assert _closed_minutes(r) == [(1, 60), (1, None)]  # the server kept the idle time
    assert r.harness.app.idle.ignores_at == {"local"}
    prompt = _away_then_back(r, idle_source, away_min=15)
    assert not prompt.note.isHidden()
    assert "ignored the end time" in prompt.note.text()


def test_readings_only_while_a_block_runs_and_never_more_than_once_a_minute(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    r = running_for(60)
    app = r.harness.app
    next_ms = app.idle_watch.next_reading_in_ms
    assert next_ms is not None and 570_000 < next_ms < 630_000  # the away time (coarse timer)
    idle_source.last_input = now() - dt.timedelta(minutes=9, seconds=30)
    with qtbot.waitSignal(app.idle_watch.reading):
        app.idle_watch.read_now()
    next_ms = app.idle_watch.next_reading_in_ms
    assert next_ms is not None and 57_000 < next_ms < 63_000  # 30 s to go, but a minute
    idle_source.last_input = now() - dt.timedelta(minutes=20)
    with qtbot.waitSignal(app.idle_watch.reading):
        app.idle_watch.read_now()
    assert app.idle.tracker.away
    next_ms = app.idle_watch.next_reading_in_ms
    assert next_ms is not None and 57_000 < next_ms < 63_000  # away: once a minute
    r.harness.click()  # stop
    r.harness.wait_state(TrayState.STOPPED)
    assert app.idle_watch.next_reading_in_ms is None


def test_without_any_idle_backend_the_forgotten_timer_still_asks_by_the_clock(
    running_for: StartRunning, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    idle_source.refusal = "No X display can be opened (not an X11 session)."
    r = running_for(10 * 60)
    app = r.harness.app
    assert not app.idle_watch.available
    next_ms = app.idle_watch.next_reading_in_ms
    assert next_ms is not None and 57_000 < next_ms < 63_000  # over the limit: due now
    with qtbot.waitSignal(app.idle.prompted) as shown:
        app.idle_watch.read_now()  # the timer firing
    assert shown.args == ["forgotten"]
    prompt = app.dialogs["forgotten"]
    assert isinstance(prompt, ForgottenPrompt)
    assert prompt.stop_button.text() == "&Stop now"
    assert idle_source.readings == 0
    assert app.idle_watch.next_reading_in_ms is None, "asked once: nothing more to wait for"
    prompt.stop_button.click()
    r.harness.wait_state(TrayState.STOPPED)
