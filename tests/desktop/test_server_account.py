"""The widget against the real engine over HTTPS, with a TrackMyPeople account.

The account reaches the server through a TCP proxy (TLS passes through untouched) so a
test can take the server away or slow it down; everything else is the real thing:
settings file, test keyring, httpx client, uvicorn, engine, SQLite.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PySide6.QtNetwork import QNetworkInformation
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tests.desktop.proxy import TcpProxy
from tracktray.contracts import Backend
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.icons import TrayState
from tracktray.desktop.menu import find_action
from tracktray.desktop.session import Phase, default_open_backend
from tracktray.desktop.signin import SignInDialog
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import LOCAL_ACCOUNT, AccountConfig, Preferences, Settings

MakeApp = Callable[..., Harness]
FAST = dataclasses.replace(Preferences(), poll_interval_s=1, local_notice_shown=True)


@pytest.fixture
def proxy(trackmypeople_server: Any) -> Iterator[TcpProxy]:
    origin = urlsplit(trackmypeople_server.origin)
    p = TcpProxy((origin.hostname or "127.0.0.1", origin.port or 443))
    yield p
    p.down()


def work_account(trackmypeople_server: Any, user: Any, proxy: TcpProxy) -> AccountConfig:
    return AccountConfig(
        id="work",
        kind="trackmypeople",
        label="Work",
        url=f"{proxy.origin}/api/",
        username=user.username,
        ca_file=str(trackmypeople_server.ca_file),
    )


@pytest.fixture
def server_app(
    make_app: MakeApp, trackmypeople_server: Any, server_user: Any, proxy: TcpProxy
) -> Harness:
    CredentialStore().set("work", server_user.password)
    account = work_account(trackmypeople_server, server_user, proxy)
    settings = Settings(
        accounts=(LOCAL_ACCOUNT, account), active_account_id="work", preferences=FAST
    )
    h = make_app(settings)
    h.wait_ready()
    return h


def running_tracker(trackmypeople_server: Any, user: Any) -> int | None:
    status = trackmypeople_server.engine.status(user.profile_id)
    return status.running.tracker.id if status.running else None


def test_click_starts_the_default_tracker_and_click_stops(
    server_app: Harness, trackmypeople_server: Any, server_user: Any
) -> None:
    h = server_app
    assert h.state is TrayState.STOPPED
    h.open_menu()
    assert [a.text() for a in h.app.view.menu.actions()][2] == "Start Website"
    h.click()
    assert h.state_now() is TrayState.WAITING
    h.wait_state(TrayState.RUNNING)
    assert (
        running_tracker(trackmypeople_server, server_user) == server_user.trackers["Acme/Website"]
    )
    assert "Website since" in h.app.view.icon.toolTip()
    h.click()
    h.wait_state(TrayState.STOPPED)
    assert running_tracker(trackmypeople_server, server_user) is None


def test_switching_through_the_tree_menu_reaches_the_server(
    server_app: Harness, trackmypeople_server: Any, server_user: Any, qtbot: QtBot
) -> None:
    h = server_app
    design = server_user.trackers["Acme/Website/Design"]
    support = server_user.trackers["Acme/Support"]
    h.open_menu()
    find_action(h.app.view.menu, Command(Kind.START, design)).trigger()  # type: ignore[union-attr]
    h.wait_state(TrayState.RUNNING)
    assert running_tracker(trackmypeople_server, server_user) == design
    h.open_menu()
    find_action(h.app.view.menu, Command(Kind.SWITCH, support)).trigger()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: running_tracker(trackmypeople_server, server_user) == support)
    h.wait_ready()
    assert h.app.view.state is TrayState.RUNNING
    # the next click starts the tracker last used, not the default
    h.click()
    h.wait_state(TrayState.STOPPED)
    h.click()
    h.wait_state(TrayState.RUNNING)
    assert running_tracker(trackmypeople_server, server_user) == support


def test_a_start_from_the_cli_appears_after_a_poll_with_a_notification(
    server_app: Harness, trackmypeople_server: Any, server_user: Any
) -> None:
    env = {
        **os.environ,
        "TRACKTRAY_URL": trackmypeople_server.api_url,
        "TRACKTRAY_USER": server_user.username,
        "TRACKTRAY_PASSWORD": server_user.password,
        "TRACKTRAY_CA": str(trackmypeople_server.ca_file),
    }
    cli = subprocess.run(
        [sys.executable, "-m", "tracktray.cli.main", "start", "Support"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert cli.returncode == 0, cli.stderr
    # no click, no menu: the poll timer (1 s here) brings the change
    server_app.wait_notice("Started Support on another device")
    server_app.wait_state(TrayState.RUNNING)


def test_a_wrong_password_signs_out_and_the_notification_opens_sign_in(
    server_app: Harness, trackmypeople_server: Any, server_user: Any, qtbot: QtBot
) -> None:
    h = server_app
    trackmypeople_server.engine.update_user(server_user.profile_id, password="a-new-password")
    h.open_menu()  # a poll, as when the person opens the menu
    h.wait_state(TrayState.SIGNED_OUT)
    notice = h.wait_notice("Signed out of Work")
    assert notice.actions == (("sign-in", "Sign in"),)
    assert h.app.session.problem in h.app.view.icon.toolTip()

    h.app.notifier.action_invoked.emit("sign-in")  # the person picks "Sign in"
    dialog = h.app.dialogs["sign-in"]
    assert isinstance(dialog, SignInDialog)
    assert dialog.username.text() == server_user.username
    dialog.password.setText("still-wrong")
    with qtbot.waitSignal(dialog.tested, timeout=10_000) as tested:
        dialog.test_button.click()
    assert tested.args[0] is False
    assert "username or password" in dialog.result_label.text()
    dialog.password.setText("a-new-password")
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000):
        dialog.sign_in_button.click()
    h.wait_ready()
    assert h.state is TrayState.STOPPED
    h.wait_idle()
    assert CredentialStore().get("work") == "a-new-password"


def test_server_down_shows_offline_then_the_first_success_restores(
    server_app: Harness, proxy: TcpProxy
) -> None:
    h = server_app
    proxy.down()
    h.app.session.poll_now()
    h.wait_state(TrayState.OFFLINE)
    assert h.app.session.problem.startswith("Offline")
    assert "Offline" in h.app.view.icon.toolTip()
    proxy.up()
    # no click: the backoff's next attempt finds the server again
    h.wait_state(TrayState.STOPPED)
    assert h.app.session.phase is Phase.READY
    assert "Offline" not in h.app.view.icon.toolTip()


def test_sign_in_adds_an_account_and_makes_it_active(
    make_app: MakeApp, trackmypeople_server: Any, server_user: Any, qtbot: QtBot
) -> None:
    h = make_app(Settings(preferences=FAST))
    h.wait_ready()
    h.app.dispatch(Command(Kind.ADD_ACCOUNT))
    dialog = h.app.dialogs["sign-in"]
    assert isinstance(dialog, SignInDialog)
    dialog.url.setText(trackmypeople_server.api_url)
    dialog.username.setText(server_user.username)
    dialog.password.setText(server_user.password)
    dialog.ca_file.setText(str(trackmypeople_server.ca_file))
    with qtbot.waitSignal(dialog.tested, timeout=10_000) as tested:
        dialog.test_button.click()
    assert tested.args == [True, dialog.result_label.text()]
    assert "nothing is running" in dialog.result_label.text()
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000):
        dialog.sign_in_button.click()
    h.wait_ready()
    account = h.app.session.account
    assert account is not None and account.kind == "trackmypeople"
    h.wait_idle()
    saved = h.store.load()
    assert saved.active_account_id == account.id
    assert server_user.password not in h.store.path.read_text(encoding="utf-8")
    assert CredentialStore().get(account.id) == server_user.password
    # and back to this computer through the Account menu
    h.open_menu()
    find_action(h.app.view.menu, Command(Kind.USE_ACCOUNT, "local")).trigger()  # type: ignore[union-attr]
    h.wait_ready()
    assert h.app.session.account is not None and h.app.session.account.kind == "local"


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The system has no keyring backend (keyring's "fail" backend), as on a bare server."""
    import keyring
    from keyring.backends import fail

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_without_a_keyring_the_widget_says_so_and_remembers_until_quit(
    no_keyring: None,
    make_app: MakeApp,
    trackmypeople_server: Any,
    server_user: Any,
    proxy: TcpProxy,
    qtbot: QtBot,
) -> None:
    account = work_account(trackmypeople_server, server_user, proxy)
    h = make_app(
        Settings(accounts=(LOCAL_ACCOUNT, account), active_account_id="work", preferences=FAST)
    )
    h.wait_state(TrayState.SIGNED_OUT)
    notice = h.wait_notice("No keyring")
    assert notice.actions == (("sign-in", "Sign in"),)
    h.app.notifier.action_invoked.emit("sign-in")
    dialog = h.app.dialogs["sign-in"]
    assert isinstance(dialog, SignInDialog)
    qtbot.waitUntil(lambda: not dialog.keyring_note.isHidden())
    assert "no keyring" in dialog.keyring_note.text()
    dialog.password.setText(server_user.password)
    dialog.sign_in_button.click()  # refused until the person agrees to the memory-only mode
    assert "Remember until TrackTray quits" in dialog.result_label.text()
    dialog.remember_session.setChecked(True)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000):
        dialog.sign_in_button.click()
    h.wait_ready()
    h.click()
    h.wait_state(TrayState.RUNNING)
    h.wait_idle()
    assert (
        running_tracker(trackmypeople_server, server_user) == server_user.trackers["Acme/Website"]
    )
    # nothing was written anywhere: the settings file has no password, no keyring took it
    assert server_user.password not in h.store.path.read_text(encoding="utf-8")
    assert not any("could not" in n.body.lower() for n in h.notices)


def test_a_click_while_the_server_is_down_is_kept_and_sign_out_forgets_the_password(
    server_app: Harness, proxy: TcpProxy, trackmypeople_server: Any, server_user: Any, qtbot: QtBot
) -> None:
    h = server_app
    proxy.down()
    clicked = dt.datetime.now(dt.UTC)
    h.click()
    h.wait_notice("Could not reach Work")
    qtbot.waitUntil(lambda: h.app.session.phase is Phase.OFFLINE)
    # the clicked state shows at once, marked as not yet sent
    assert h.state is TrayState.RUNNING
    assert "not yet sent" in h.app.view.icon.toolTip()
    assert running_tracker(trackmypeople_server, server_user) is None
    proxy.up()
    qtbot.waitUntil(
        lambda: running_tracker(trackmypeople_server, server_user) is not None, timeout=10_000
    )
    qtbot.waitUntil(lambda: h.app.session.unsent == [])
    h.wait_ready()
    started = trackmypeople_server.engine.status(server_user.profile_id).running.started_at
    assert abs((started - clicked).total_seconds()) <= 2  # the time of the click, kept
    h.click()
    h.wait_state(TrayState.STOPPED)

    h.open_menu()
    find_action(h.app.view.menu, Command(Kind.SIGN_OUT)).trigger()  # type: ignore[union-attr]
    h.wait_state(TrayState.SIGNED_OUT)
    h.wait_idle()
    assert CredentialStore().get("work") is None
    h.open_menu()
    assert [a.text() for a in h.app.view.menu.actions()][2] == "Sign in…"


def test_offline_the_network_coming_back_sends_the_kept_click_at_once(
    server_app: Harness, proxy: TcpProxy, trackmypeople_server: Any, server_user: Any, qtbot: QtBot
) -> None:
    h = server_app
    qtbot.waitUntil(lambda: h.app._network is not None)  # the rest of start-up ran
    assert h.app.network.network_events is None  # not loaded while the server answers
    proxy.down()
    h.click()
    qtbot.waitUntil(lambda: h.app.session.phase is Phase.OFFLINE)
    # offline: Qt's network information backend is loaded and watched now
    assert h.app.network.network_events, "Qt's network information backend loads here"
    info = QNetworkInformation.instance()
    assert info is not None
    proxy.up()
    with qtbot.waitSignal(h.app.session.polled, timeout=5_000):
        info.reachabilityChanged.emit(QNetworkInformation.Reachability.Online)
    qtbot.waitUntil(
        lambda: running_tracker(trackmypeople_server, server_user) is not None, timeout=10_000
    )


def test_quit_closes_the_backend_of_an_account_just_switched_away(
    make_app: MakeApp, trackmypeople_server: Any, server_user: Any, proxy: TcpProxy
) -> None:
    """Switching queues the old backend's close on its lane; quitting right after drops
    queued work, and that close must happen all the same (no connection left open)."""
    CredentialStore().set("work", server_user.password)
    account = work_account(trackmypeople_server, server_user, proxy)
    closed: list[str] = []

    def open_and_record(config: AccountConfig, secret: str | None, data_dir: Path) -> Backend:
        backend = default_open_backend(config, secret, data_dir)
        close = backend.close

        def recorded_close() -> None:
            closed.append(config.id)
            close()

        backend.close = recorded_close  # type: ignore[method-assign]
        return backend

    settings = Settings(
        accounts=(LOCAL_ACCOUNT, account), active_account_id="work", preferences=FAST
    )
    h = make_app(settings, open_backend=open_and_record)
    h.wait_ready()
    gate = threading.Event()
    h.app.bridge.run("work", gate.wait)  # the lane is busy, so the close queues behind
    h.app.use_account("local")
    threading.Timer(0.3, gate.set).start()
    h.app.shutdown()
    assert "work" in closed
