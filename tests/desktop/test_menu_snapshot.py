"""Issue 11, reproduction 4: the menu never contradicts itself.

``tracktray stop`` in a shell, then the menu opened at once: the header and the entries
come from one snapshot (both redrawn when the poll that the opening started answers), and
an entry picked from a menu whose state moved on does what its label said or explains in
one sentence why it could not, never "the server said no".
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tests.desktop.test_server_account import FAST
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.icons import TrayState
from tracktray.desktop.menu import find_action
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import LOCAL_ACCOUNT, AccountConfig, Settings

MakeApp = Callable[..., Harness]


@pytest.fixture
def app(make_app: MakeApp, trackmypeople_server: Any, server_user: Any) -> Harness:
    CredentialStore().set("work", server_user.password)
    account = AccountConfig(
        id="work",
        kind="trackmypeople",
        label="Work",
        url=trackmypeople_server.api_url,
        username=server_user.username,
        ca_file=str(trackmypeople_server.ca_file),
    )
    h = make_app(
        Settings(accounts=(LOCAL_ACCOUNT, account), active_account_id="work", preferences=FAST)
    )
    h.wait_ready()
    return h


def texts(h: Harness) -> list[str]:
    return [a.text() for a in h.app.view.menu.actions() if a.text()]


def shell(trackmypeople_server: Any, user: Any, *args: str) -> None:
    env = {
        **os.environ,
        "TRACKTRAY_URL": trackmypeople_server.api_url,
        "TRACKTRAY_USER": user.username,
        "TRACKTRAY_PASSWORD": user.password,
        "TRACKTRAY_CA": str(trackmypeople_server.ca_file),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tracktray.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_header_and_entries_agree_after_a_stop_from_the_shell(
    app: Harness, trackmypeople_server: Any, server_user: Any, qtbot: QtBot
) -> None:
    h = app
    h.click()
    h.wait_state(TrayState.RUNNING)
    h.wait_ready()
    shell(trackmypeople_server, server_user, "stop")
    menu = h.app.view.menu
    menu.popup(QPoint(0, 0))  # drawn from the state known before the poll it starts
    try:
        qtbot.waitUntil(lambda: texts(h)[0] == "Not tracking", timeout=10_000)
        assert texts(h)[1].startswith("Start")
        assert not any(t.startswith("Stop") for t in texts(h))
    finally:
        menu.hide()


def test_a_stale_stop_explains_instead_of_the_server_saying_no(
    app: Harness, trackmypeople_server: Any, server_user: Any, qtbot: QtBot
) -> None:
    h = app
    h.click()
    h.wait_state(TrayState.RUNNING)
    h.wait_ready()
    h.open_menu()
    h.wait_idle()
    stale_stop = find_action(h.app.view.menu, Command(Kind.STOP))
    assert stale_stop is not None
    trackmypeople_server.engine.stop(server_user.profile_id)  # elsewhere, before any poll shows it
    stale_stop.trigger()
    notice = h.wait_notice("Nothing to stop")
    assert "said no" not in notice.title.casefold()
    h.wait_state(TrayState.STOPPED)
    assert not any("said no" in n.title.casefold() for n in h.notices)


def test_a_stale_start_makes_the_labelled_tracker_run(
    app: Harness, trackmypeople_server: Any, server_user: Any, qtbot: QtBot
) -> None:
    h = app
    h.open_menu()
    h.wait_idle()
    stale_start = h.app.view.menu.actions()[2]
    assert stale_start.text().startswith("Start ")
    wanted = stale_start.data().target
    other = next(t for t in server_user.trackers.values() if t != wanted)
    trackmypeople_server.engine.start(server_user.profile_id, other)  # started elsewhere meanwhile
    stale_start.trigger()
    h.wait_notice("started elsewhere")

    def runs_wanted() -> None:
        running = trackmypeople_server.engine.status(server_user.profile_id).running
        assert running is not None and running.tracker.id == wanted

    qtbot.waitUntil(runs_wanted, timeout=10_000)
    assert not any("said no" in n.title.casefold() for n in h.notices)
