"""The CLI writes to the widget's journal: a stop typed while the server is away is kept,
``tracktray status`` says it waits, and it lands with its own time once the server is back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.desktop.proxy import TcpProxy
from tracktray.domain import ReportQuery

from .conftest import CliRunner


@pytest.fixture
def proxy(trackmypeople_server: Any) -> Iterator[TcpProxy]:
    origin = urlsplit(trackmypeople_server.origin)
    p = TcpProxy((origin.hostname or "127.0.0.1", origin.port or 443))
    yield p
    p.down()


@pytest.fixture
def account(cli: CliRunner, trackmypeople_server: Any, server_user: Any, proxy: TcpProxy) -> Any:
    added = cli(
        "accounts", "add", "--url", proxy.origin, "--user", server_user.username,
        "--ca", str(trackmypeople_server.ca_file), "--name", "Work", "--password-stdin",
        stdin=server_user.password + "\n",
    )  # fmt: skip
    assert added.code == 0, added.err
    return server_user


def test_an_offline_stop_is_kept_listed_and_sent_later_with_its_time(
    cli: CliRunner, trackmypeople_server: Any, account: Any, proxy: TcpProxy
) -> None:
    started = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)
    trackmypeople_server.engine.add(account.profile_id, started)
    proxy.down()
    typed = dt.datetime.now(dt.UTC)
    stopped = cli("stop", "-m", "written offline")
    assert stopped.code == 4
    assert "is kept (the stop of" in stopped.err
    assert "Traceback" not in stopped.err
    waiting = cli("status")
    assert waiting.code == 4
    assert "Waiting to be sent: the stop of" in waiting.out

    proxy.up()
    back = cli("status")
    assert back.code == 0, back.err
    assert "Nothing is running" in back.out and "Waiting" not in back.out
    (block,) = trackmypeople_server.engine.report(
        account.profile_id, ReportQuery(include_open=True)
    )
    assert block.description == "written offline"
    ended = block.time_out.replace(tzinfo=None)
    from zoneinfo import ZoneInfo

    wall = typed.astimezone(ZoneInfo("Europe/Brussels")).replace(tzinfo=None)
    assert abs((ended - wall).total_seconds()) <= 2


def test_a_start_online_goes_through_the_journal_and_is_done(
    cli: CliRunner, trackmypeople_server: Any, account: Any, tmp_path: Any
) -> None:
    assert cli("start").code == 0
    assert trackmypeople_server.engine.status(account.profile_id).running is not None
    assert cli("status").out.count("Waiting") == 0
