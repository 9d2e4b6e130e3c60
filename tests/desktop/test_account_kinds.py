"""The widget's sign-in dialog and `tracktray accounts add` make the very same account:
canonical address, same label, and no twin when the same person signs in again."""

from __future__ import annotations

import dataclasses
import io
import sys
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tracktray.cli.main import main
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.signin import SignInDialog
from tracktray.store.settings import Preferences, Settings

MakeApp = Callable[..., Harness]
FAST = dataclasses.replace(Preferences(), poll_interval_s=1, local_notice_shown=True)


def _sign_in(h: Harness, qtbot: QtBot, url: str, user: Any, ca_file: str) -> None:
    h.app.dispatch(Command(Kind.ADD_ACCOUNT))
    dialog = h.app.dialogs["sign-in"]
    assert isinstance(dialog, SignInDialog)
    dialog.url.setText(url)
    dialog.username.setText(f"  {user.username} ")
    dialog.password.setText(user.password)
    dialog.ca_file.setText(ca_file)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000):
        dialog.sign_in_button.click()
    h.wait_ready()
    h.wait_idle()


def test_dialog_and_cli_add_one_account_the_same_way(
    make_app: MakeApp,
    trackmypeople_server: Any,
    server_user: Any,
    qtbot: QtBot,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    h = make_app(Settings(preferences=FAST), config_dir=tmp_path / "config")
    h.wait_ready()
    ca = str(trackmypeople_server.ca_file)
    _sign_in(h, qtbot, trackmypeople_server.origin, server_user, ca)  # typed without /api/
    first = h.app.session.account
    assert first is not None
    assert first.url == trackmypeople_server.api_url  # stored canonical, as the CLI stores it
    assert first.username == server_user.username
    assert first.label == f"{server_user.username}@127.0.0.1"

    _sign_in(h, qtbot, trackmypeople_server.api_url, server_user, ca)  # the same person again
    h.wait_idle()  # the settings are written on their own lane
    servers = [a for a in h.store.load().accounts if a.kind == "trackmypeople"]
    assert [a.id for a in servers] == [first.id]

    monkeypatch.setattr(sys, "stdin", io.StringIO(server_user.password + "\n"))
    code = main(
        [
            "--config-dir", str(tmp_path / "config"), "--data-dir", str(tmp_path / "data"),
            "accounts", "add", "--url", trackmypeople_server.origin + "/api", "--user",
            server_user.username, "--ca", ca, "--password-stdin", "--no-activate",
        ]
    )  # fmt: skip
    assert code == 0
    servers = [a for a in h.store.load().accounts if a.kind == "trackmypeople"]
    assert [(a.id, a.label, a.url) for a in servers] == [(first.id, first.label, first.url)]
