"""Issue 11, reproduction 2: a click made while the server is away lands at its own time.

The widget runs a TrackMyPeople account through a TCP proxy that can take the server
away. Its clock runs five minutes behind the server's, which stands for "the server came
back five minutes after the click" without a test that sleeps: a stop sent when the
server is back would end the block five minutes late; the journal ends it at the click.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tests.desktop.proxy import TcpProxy
from tests.desktop.test_server_account import FAST, work_account
from tracktray.accounts import Backend
from tracktray.contracts.errors import ServerUnavailable
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.icons import TrayState
from tracktray.desktop.session import Phase, default_open_backend
from tracktray.domain import ReportQuery
from tracktray.store.credentials import CredentialStore
from tracktray.store.journal import Journal
from tracktray.store.settings import LOCAL_ACCOUNT, Settings

MakeApp = Callable[..., Harness]
BEHIND = dt.timedelta(minutes=5)


def behind() -> dt.datetime:
    return dt.datetime.now(dt.UTC) - BEHIND


@pytest.fixture
def proxy(trackmypeople_server: Any) -> Iterator[TcpProxy]:
    origin = urlsplit(trackmypeople_server.origin)
    p = TcpProxy((origin.hostname or "127.0.0.1", origin.port or 443))
    yield p
    p.down()


@pytest.fixture
def settings(trackmypeople_server: Any, server_user: Any, proxy: TcpProxy) -> Settings:
    CredentialStore().set("work", server_user.password)
    account = work_account(trackmypeople_server, server_user, proxy)
    return Settings(accounts=(LOCAL_ACCOUNT, account), active_account_id="work", preferences=FAST)


def closed_blocks(trackmypeople_server: Any, user: Any) -> list[Any]:
    blocks = trackmypeople_server.engine.report(user.profile_id, ReportQuery(include_open=True))
    return [b for b in blocks if b.time_out is not None]


def start_half_an_hour_ago(trackmypeople_server: Any, user: Any) -> None:
    trackmypeople_server.engine.add(
        user.profile_id, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)
    )


def test_a_stop_clicked_while_the_server_is_down_ends_the_block_at_the_click(
    make_app: MakeApp,
    settings: Settings,
    trackmypeople_server: Any,
    server_user: Any,
    proxy: TcpProxy,
    qtbot: QtBot,
) -> None:
    start_half_an_hour_ago(trackmypeople_server, server_user)
    h = make_app(settings, clock=behind)
    h.wait_ready()
    assert h.state is TrayState.RUNNING
    proxy.down()
    clicked = behind()
    h.click()
    h.wait_notice("Could not reach Work")
    qtbot.waitUntil(lambda: h.app.session.phase is Phase.OFFLINE)
    assert h.state_now() is TrayState.STOPPED  # what was clicked, marked "not yet sent"
    h.open_menu()
    assert "not yet sent" in h.app.view.menu.actions()[0].text()
    proxy.up()
    qtbot.waitUntil(lambda: closed_blocks(trackmypeople_server, server_user) != [], timeout=10_000)
    qtbot.waitUntil(lambda: h.app.session.unsent == [])
    (block,) = closed_blocks(trackmypeople_server, server_user)
    assert trackmypeople_server.engine.status(server_user.profile_id).running is None
    assert abs((block.time_out - wall(clicked)).total_seconds()) <= 2, (block, clicked)
    h.wait_state(TrayState.STOPPED)


def running_in(h: Harness) -> object:
    status = h.app.session.status
    return status.running if status is not None else None


def wall(moment: dt.datetime) -> dt.datetime:
    """``moment`` as a report states it: wall-clock time in the test user's zone."""
    return moment.astimezone(ZoneInfo("Europe/Brussels")).replace(tzinfo=None)


def test_a_click_left_by_a_widget_that_quit_offline_is_sent_by_the_next_one(
    make_app: MakeApp,
    settings: Settings,
    trackmypeople_server: Any,
    server_user: Any,
    proxy: TcpProxy,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    start_half_an_hour_ago(trackmypeople_server, server_user)
    first = make_app(settings, clock=behind)
    first.wait_ready()
    proxy.down()
    clicked = behind()
    first.app.dispatch(Command(Kind.STOP))
    first.wait_notice("Could not reach Work")
    first.app.shutdown()  # the widget is gone; its click is in the journal
    (waiting,) = Journal(tmp_path / "data").unfinished("work")
    assert waiting.kind == "stop" and abs(waiting.clicked_at - clicked) < dt.timedelta(seconds=1)

    proxy.up()
    second = make_app(config_dir=tmp_path / "config", clock=behind)
    qtbot.waitUntil(lambda: closed_blocks(trackmypeople_server, server_user) != [], timeout=10_000)
    qtbot.waitUntil(lambda: second.app.session.unsent == [])
    (block,) = closed_blocks(trackmypeople_server, server_user)
    assert abs((block.time_out - wall(clicked)).total_seconds()) <= 2
    assert [e.state for e in Journal(tmp_path / "data").entries("work")] == ["done"]


def test_a_refusal_is_recorded_and_told_never_dropped_silently(
    make_app: MakeApp,
    settings: Settings,
    trackmypeople_server: Any,
    server_user: Any,
    tmp_path: Path,
) -> None:
    h = make_app(dataclasses.replace(settings))
    h.wait_ready()
    h.app.session.start(987654)  # no such tracker: the server says no
    h.wait_notice("The server said no")
    h.wait_idle()
    (entry,) = Journal(tmp_path / "data").entries("work")
    assert entry.state == "refused" and entry.outcome


def test_a_widget_started_while_the_server_is_away_still_keeps_a_stop(
    make_app: MakeApp,
    settings: Settings,
    trackmypeople_server: Any,
    server_user: Any,
    proxy: TcpProxy,
    qtbot: QtBot,
) -> None:
    """The widget quit while a block ran; it starts again with the server away. It shows
    what the server last confirmed, and a click on Stop is kept with its time."""
    start_half_an_hour_ago(trackmypeople_server, server_user)
    first = make_app(settings, clock=behind)
    first.wait_ready()
    assert first.state is TrayState.RUNNING
    first.wait_idle()  # the confirmed status is on disk
    first.app.shutdown()
    proxy.down()

    again = make_app(None, clock=behind)  # same settings and data folder, server away
    qtbot.waitUntil(lambda: again.app.session.phase is Phase.OFFLINE, timeout=15_000)
    # the icon says offline; the menu draws what the server last said
    qtbot.waitUntil(lambda: running_in(again) is not None)
    again.open_menu()
    assert any(a.text().startswith("Stop") for a in again.app.view.menu.actions())
    assert not any(n.title == "Changed elsewhere" for n in again.notices)
    clicked = behind()
    again.click()
    qtbot.waitUntil(lambda: again.app.session.unsent != [])
    again.wait_state(TrayState.STOPPED)  # the clicked state, marked "not yet sent"
    proxy.up()
    qtbot.waitUntil(lambda: closed_blocks(trackmypeople_server, server_user) != [], timeout=15_000)
    (block,) = closed_blocks(trackmypeople_server, server_user)
    assert abs((block.time_out - wall(clicked)).total_seconds()) <= 2, (block, clicked)
    qtbot.waitUntil(lambda: again.app.session.unsent == [])
    assert not any(n.title == "Changed elsewhere" for n in again.notices)


def test_a_click_while_the_account_still_opens_is_kept_and_sent_once_it_is_open(
    make_app: MakeApp,
    settings: Settings,
    trackmypeople_server: Any,
    server_user: Any,
    qtbot: QtBot,
) -> None:
    """An everyday start draws the status remembered from the last run at once, while the
    account itself still opens (keyring, TLS, the first answer: a slow server can take
    seconds). A click then means what is drawn, is kept in the journal with its time, and
    goes to the server once the account is open, never "not connected" and dropped. If
    the first opening fails, the click is still kept and sent by the next one."""
    start_half_an_hour_ago(trackmypeople_server, server_user)
    first = make_app(settings)
    first.wait_ready()
    first.wait_idle()  # the confirmed status (a block running) is on disk
    first.app.shutdown()

    may_open = threading.Event()
    attempts: list[int] = []

    def slow_then_failing_once(account: Any, secret: str | None, data_dir: Path) -> Backend:
        attempts.append(len(attempts))
        assert may_open.wait(15)
        if len(attempts) == 1:
            raise ServerUnavailable("The server did not answer in time.")
        return default_open_backend(account, secret, data_dir)

    again = make_app(None, open_backend=slow_then_failing_once)
    qtbot.waitUntil(lambda: running_in(again) is not None)  # remembered, drawn at once
    assert again.app.session.phase is Phase.OPENING
    clicked = dt.datetime.now(dt.UTC)
    again.click()
    qtbot.waitUntil(lambda: [e.id > 0 for e in again.app.session.unsent] == [True])  # on disk
    assert again.state is TrayState.WAITING
    assert not any("not open" in n.body for n in again.notices), again.notices

    may_open.set()  # the first opening fails: the click stays, the icon stops waiting
    qtbot.waitUntil(lambda: len(attempts) == 2 or not again.app.session.waiting, timeout=10_000)
    qtbot.waitUntil(lambda: closed_blocks(trackmypeople_server, server_user) != [], timeout=15_000)
    (block,) = closed_blocks(trackmypeople_server, server_user)
    # sent within seconds of the click, it ends the block at the server's "now"
    assert abs((block.time_out - wall(clicked)).total_seconds()) <= 5, (block, clicked)
    qtbot.waitUntil(lambda: again.app.session.unsent == [] and not again.app.session.waiting)
    again.wait_state(TrayState.STOPPED)
    assert len(attempts) == 2


def test_a_click_before_anything_is_known_is_made_on_the_first_answer(
    make_app: MakeApp,
    settings: Settings,
    trackmypeople_server: Any,
    server_user: Any,
    qtbot: QtBot,
) -> None:
    """No status remembered (the last run never got an answer): what a click means is
    not known until the account answers. The icon waits, and the click is made on that
    first answer — a stop here, since the server says a block runs."""
    start_half_an_hour_ago(trackmypeople_server, server_user)
    may_open = threading.Event()

    def slow(account: Any, secret: str | None, data_dir: Path) -> Backend:
        assert may_open.wait(15)
        return default_open_backend(account, secret, data_dir)

    app = make_app(settings, open_backend=slow)
    qtbot.waitUntil(lambda: app.app.session.account is not None)  # the settings are read
    assert app.app.session.status is None and app.app.session.phase is Phase.OPENING
    app.click()
    app.click()  # a double click is one click: the icon waits for the first
    app.wait_state(TrayState.WAITING)
    may_open.set()
    qtbot.waitUntil(lambda: closed_blocks(trackmypeople_server, server_user) != [], timeout=15_000)
    app.wait_ready()
    assert app.state is TrayState.STOPPED
    assert len(closed_blocks(trackmypeople_server, server_user)) == 1
    assert not any("not open" in n.body for n in app.notices), app.notices


def test_a_click_before_anything_is_known_is_refused_with_the_reason_if_the_account_fails(
    make_app: MakeApp, settings: Settings, qtbot: QtBot
) -> None:
    may_open = threading.Event()

    def unreachable(account: Any, secret: str | None, data_dir: Path) -> Backend:
        assert may_open.wait(15)
        raise ServerUnavailable("The server at example.test did not answer.")

    app = make_app(settings, open_backend=unreachable)
    qtbot.waitUntil(lambda: app.app.session.account is not None)  # the settings are read
    app.click()
    app.wait_state(TrayState.WAITING)
    may_open.set()
    notice = app.wait_notice("Not connected")
    assert "did not answer" in notice.body
    assert not app.app.session.waiting and app.app.session.unsent == []


def test_an_account_that_failed_to_open_is_not_opened_again_once_the_app_quits(
    make_app: MakeApp, settings: Settings, qtbot: QtBot
) -> None:
    """A failed opening is tried again after the backoff, unless the account was closed
    since: a reopen after quitting would draw on an icon already gone."""
    attempts: list[int] = []

    def unreachable(account: Any, secret: str | None, data_dir: Path) -> Backend:
        attempts.append(len(attempts))
        raise ServerUnavailable("The server at example.test did not answer.")

    app = make_app(settings, open_backend=unreachable)
    qtbot.waitUntil(lambda: len(attempts) == 2, timeout=10_000)  # tried again: the backoff
    qtbot.waitUntil(lambda: app.app.session.phase is Phase.OFFLINE)
    app.app.shutdown()
    qtbot.wait(1_500)  # longer than the test backoff's cap (1 s)
    assert len(attempts) == 2
