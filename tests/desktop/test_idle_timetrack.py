"""Coming back to a running TimeTrack timer: the prompt's cut reaches the server with its time.

The TimeTrack client has no `at` of its own: a stop at the moment the person left goes as
the timer's stop `date`, through the journal like every click. This runs the real widget
on a TimeTrack account against the real engine over HTTPS, with the stand-in idle
source of ``idle_harness`` (the real idle backends have their own tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tests.desktop.idle_harness import StandInIdle, idle_source, now
from tests.desktop.test_timetrack_widget import timetrack_settings
from tests.support import timetrack_fixtures
from tests.support.timetrack_fixtures import TimeTrackServer
from tracktray.desktop.away_prompt import AwayPrompt
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.icons import TrayState
from tracktray.domain import Block, ReportQuery

__all__ = ["idle_source"]
timetrack_server = timetrack_fixtures.timetrack_server

MakeApp = Callable[..., Harness]


@pytest.mark.usefixtures("computer_in_utc")  # the user's zone below
def test_stop_at_the_idle_start_ends_the_timetrack_timer_when_the_person_left(
    make_app: MakeApp,
    idle_source: StandInIdle,
    timetrack_server: TimeTrackServer,
    trackmypeople_server: Any,
    qtbot: QtBot,
) -> None:
    user = trackmypeople_server.new_user(timezone="UTC")
    engine = trackmypeople_server.engine
    h = make_app(timetrack_settings(timetrack_server, trackmypeople_server, user))
    h.wait_ready()
    session = h.app.session

    def blocks() -> list[Block]:
        found: list[Block] = engine.report(user.profile_id, ReportQuery(include_open=True))
        return found

    # a timer on a project that, as far as the server knows, started an hour ago
    h.app.dispatch(Command(Kind.START, session.tree.find("Acme/Website").id))
    h.wait_state(TrayState.RUNNING)
    qtbot.waitUntil(lambda: len(blocks()) == 1 and not session.unsent, timeout=10_000)
    (block,) = blocks()
    started = now().replace(microsecond=0) - dt.timedelta(minutes=60)
    engine.edit_block(user.profile_id, block.id, start=started, stop=None,
                      tracker_id=block.tracker_id or 0, description="")  # fmt: skip
    qtbot.waitUntil(
        lambda: (
            session.status is not None
            and session.status.running is not None
            and session.status.running.started_at == started
        ),
        timeout=10_000,
    )

    # the person left 25 minutes ago and is back now
    app = h.app
    idle_source.last_input = now() - dt.timedelta(minutes=25)
    app.idle_watch.read_now()
    qtbot.waitUntil(lambda: app.idle.tracker.away)
    idle_source.last_input = now()
    with qtbot.waitSignal(app.idle.prompted):
        app.idle_watch.read_now()
    prompt = app.dialogs["away"]
    assert isinstance(prompt, AwayPrompt) and not prompt.isModal()
    prompt.stop_button.click()

    h.wait_state(TrayState.STOPPED)
    qtbot.waitUntil(lambda: blocks()[0].time_out is not None and not session.unsent,
                    timeout=10_000)  # fmt: skip
    (stopped,) = blocks()
    assert stopped.time_out is not None
    left = now() - dt.timedelta(minutes=25)
    ended = stopped.time_out.replace(tzinfo=dt.UTC)  # the person's wall clock: UTC here
    assert abs((ended - left).total_seconds()) < 60, "stopped when the person left"
    assert round(stopped.total_s / 60) == 35
    kinds = [(e.kind, e.state) for e in session.journal.entries("tt")]
    assert kinds[-1][1] == "done", kinds
