"""A cut of idle time on a TrackMyPeople account over HTTPS, made while the server is away:
it is kept in the journal with its time and lands at that time when the server is back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tests.desktop.idle_harness import StandInIdle, idle_source, now
from tests.desktop.proxy import TcpProxy
from tests.desktop.test_server_account import proxy, work_account
from tracktray.desktop.away_prompt import AwayPrompt
from tracktray.desktop.icons import TrayState
from tracktray.domain import ReportQuery
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import LOCAL_ACCOUNT, Preferences, Settings

__all__ = ["idle_source", "proxy"]

MakeApp = Callable[..., Harness]
FAST = dataclasses.replace(Preferences(), poll_interval_s=1, local_notice_shown=True)


def test_stop_at_the_idle_start_while_the_server_is_away_lands_at_that_time_later(
    make_app: MakeApp,
    idle_source: StandInIdle,
    trackmypeople_server: Any,
    server_user: Any,
    proxy: TcpProxy,
    qtbot: QtBot,
) -> None:
    began = now().replace(microsecond=0) - dt.timedelta(minutes=60)
    trackmypeople_server.engine.add(server_user.profile_id, began)  # a block open for an hour
    CredentialStore().set("work", server_user.password)
    account = work_account(trackmypeople_server, server_user, proxy)
    h = make_app(Settings(accounts=(LOCAL_ACCOUNT, account), active_account_id="work",
                          preferences=FAST))  # fmt: skip
    h.wait_ready()
    h.wait_state(TrayState.RUNNING)
    app = h.app
    idle_source.last_input = now() - dt.timedelta(minutes=25)
    app.idle_watch.read_now()
    qtbot.waitUntil(lambda: app.idle.tracker.away)
    idle_source.last_input = now()
    with qtbot.waitSignal(app.idle.prompted):
        app.idle_watch.read_now()
    prompt = app.dialogs["away"]
    assert isinstance(prompt, AwayPrompt)

    proxy.down()
    prompt.stop_button.click()
    h.wait_notice("Could not reach Work")
    assert trackmypeople_server.engine.status(server_user.profile_id).running is not None
    proxy.up()
    qtbot.waitUntil(
        lambda: trackmypeople_server.engine.status(server_user.profile_id).running is None,
        timeout=10_000,
    )
    (block,) = trackmypeople_server.engine.report(
        server_user.profile_id, ReportQuery(start=began, stop=began + dt.timedelta(seconds=1))
    )
    assert round(block.total_s / 60) == 35  # ended when the person left, not when sent
