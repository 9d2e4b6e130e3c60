"""Reproduction 3 of issue 11: an account added from the CLI survives the running widget.

Widget running on alice; ``tracktray accounts add`` for bob in another process (which
makes bob the active account); two clicks on the icon. The widget follows bob within a
second, ``settings.json`` keeps both accounts, and bob's keyring entry is the one used.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tests.desktop.proxy import TcpProxy
from tests.desktop.test_server_account import FAST, work_account
from tracktray.desktop.icons import TrayState
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import LOCAL_ACCOUNT, Settings

MakeApp = Callable[..., Harness]


@pytest.fixture
def proxy(trackmypeople_server: Any) -> Iterator[TcpProxy]:
    origin = urlsplit(trackmypeople_server.origin)
    p = TcpProxy((origin.hostname or "127.0.0.1", origin.port or 443))
    yield p
    p.down()


def cli(config_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracktray.cli.main", "--config-dir", str(config_dir), *args],
        input=stdin,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_an_account_added_from_the_cli_is_kept_and_followed(
    make_app: MakeApp, trackmypeople_server: Any, proxy: TcpProxy, qtbot: QtBot, tmp_path: Path
) -> None:
    alice, bob = trackmypeople_server.new_user(), trackmypeople_server.new_user()
    CredentialStore().set("work", alice.password)
    alice_account = work_account(trackmypeople_server, alice, proxy)
    h = make_app(
        Settings(
            accounts=(LOCAL_ACCOUNT, alice_account), active_account_id="work", preferences=FAST
        )
    )
    h.wait_ready()
    config_dir = h.store.config_dir

    added = cli(
        config_dir,
        "accounts",
        "add",
        "--url",
        trackmypeople_server.api_url,
        "--user",
        bob.username,
        "--ca",
        str(trackmypeople_server.ca_file),
        "--password-stdin",
        stdin=bob.password + "\n",
    )
    assert added.returncode == 0, added.stderr
    assert "made it the active one" in added.stdout
    bob_id = json.loads(config_dir.joinpath("settings.json").read_text())["active_account"]

    # the widget follows within a second (no click, no poll needed)
    qtbot.waitUntil(
        lambda: h.app.session.account is not None and h.app.session.account.id == bob_id,
        timeout=1_500,
    )
    h.wait_ready()
    h.click()
    h.wait_state(TrayState.RUNNING)
    h.click()
    h.wait_state(TrayState.STOPPED)
    h.wait_idle()

    saved = json.loads(config_dir.joinpath("settings.json").read_text())
    assert {a["id"] for a in saved["accounts"]} == {"local", "work", bob_id}
    assert saved["active_account"] == bob_id
    assert CredentialStore().get(bob_id) == bob.password
    # the clicks went to bob's account: his password was read and used
    assert trackmypeople_server.engine.status(bob.profile_id).running is None
    assert trackmypeople_server.engine.status(alice.profile_id).running is None
    assert h.app.settings.account(bob_id) is not None


def test_an_account_removed_from_the_cli_leaves_the_menu(
    make_app: MakeApp, trackmypeople_server: Any, proxy: TcpProxy, qtbot: QtBot
) -> None:
    alice = trackmypeople_server.new_user()
    CredentialStore().set("work", alice.password)
    h = make_app(
        Settings(
            accounts=(LOCAL_ACCOUNT, work_account(trackmypeople_server, alice, proxy)),
            active_account_id="work",
            preferences=FAST,
        )
    )
    h.wait_ready()
    removed = cli(h.store.config_dir, "accounts", "remove", "work")
    assert removed.returncode == 0, removed.stderr

    def follows() -> None:
        assert h.app.session.account is not None and h.app.session.account.id == "local"

    qtbot.waitUntil(follows, timeout=1_500)
    h.open_menu()
    labels = [a.text() for a in h.app.view.menu.actions() if a.menu() is not None]
    accounts_menu = next(
        m
        for a in h.app.view.menu.actions()
        if a.text() == "Account" and isinstance(m := a.menu(), QMenu)
    )
    assert "Account" in labels
    assert "Work" not in [a.text() for a in accounts_menu.actions()]
    h.wait_idle()
    saved = json.loads(h.store.path.read_text())
    assert [a["id"] for a in saved["accounts"]] == ["local"]


def _inotify_handles() -> int:
    """This process's inotify instances (each folder watcher holds one)."""
    count = 0
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            count += os.readlink(fd) == "anon_inode:inotify"
    return count


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_widget_that_quit_gives_back_its_settings_watch(make_app: MakeApp, qtbot: QtBot) -> None:
    """A user has few inotify instances (often 128): a quit widget must not keep one."""
    before = _inotify_handles()
    h = make_app(Settings())
    h.wait_ready()
    qtbot.waitUntil(lambda: _inotify_handles() > before)  # the settings folder is watched
    h.app.shutdown()
    assert _inotify_handles() <= before
