"""Clicks leave nothing behind in the interpreter's tables that live as long as the app.

CPython keeps interned strings in one table for the whole run: a string interned and
dropped again keeps its slot until the table runs out of free slots and is rebuilt, at
three times its live strings rounded up to a power of two. The widget starts with ~18,900
of them in a table of 32,768 slots (~2,100 free), so that rebuild doubles it: +0.5 MiB
resident for the rest of the run. pathlib interns every part of each path it parses, and
one path built per click (the account's sender lock file, ``Journal.sending``) did that
after ~1,000 start/stop cycles: found with gdb on the bench's growth series, where that
file name was the only string interned anew per click.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from typing import Any

import pytest

from tests.desktop.harness import Harness
from tracktray.desktop.icons import TrayState
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import LOCAL_ACCOUNT, AccountConfig, Preferences, Settings

MakeApp = Callable[..., Harness]


def start_and_stop(h: Harness) -> None:
    h.click()
    h.wait_state(TrayState.RUNNING)
    h.wait_ready()
    h.click()
    h.wait_state(TrayState.STOPPED)
    h.wait_ready()
    h.wait_idle()


def interned_during_clicks(h: Harness, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The strings ``sys.intern`` is asked for over three start/stop cycles after one."""
    h.wait_ready()
    start_and_stop(h)  # the first cycle imports what clicks need (their names, once)
    interned: list[str] = []
    intern = sys.intern

    def recording(text: str) -> str:
        interned.append(text)
        return intern(text)

    monkeypatch.setattr(sys, "intern", recording)
    for _ in range(3):
        start_and_stop(h)
    return interned


def test_start_stop_clicks_in_local_mode_intern_no_string(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert interned_during_clicks(make_app(), monkeypatch) == []


def test_start_stop_clicks_on_a_server_account_intern_no_string(
    make_app: MakeApp,
    trackmypeople_server: Any,
    server_user: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    CredentialStore().set("work", server_user.password)
    account = AccountConfig(
        id="work",
        kind="trackmypeople",
        label="Work",
        url=trackmypeople_server.api_url,
        username=server_user.username,
        ca_file=str(trackmypeople_server.ca_file),
    )
    preferences = dataclasses.replace(Preferences(), local_notice_shown=True)
    h = make_app(
        Settings(
            accounts=(LOCAL_ACCOUNT, account), active_account_id="work", preferences=preferences
        )
    )
    assert interned_during_clicks(h, monkeypatch) == []
