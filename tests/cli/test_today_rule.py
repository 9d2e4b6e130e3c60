"""One rule for "today" everywhere: worked time apart from free time.

On the main branch of 2026-11-28, 2 h of ``addfree`` made ``tracktray today`` say 2:00
while ``tracktray status`` and the menu said 0:00. Now every place counts worked time
the same way and shows free time next to it, never inside it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.support.server_fixtures import TestUser, TrackMyPeopleServer
from tracktray.accounts.local import open_local_backend
from tracktray.desktop.text import today_text, tooltip_text

from .conftest import CliRunner


@pytest.mark.usefixtures("local_midday")
def test_free_time_is_shown_apart_and_every_today_agrees(cli: CliRunner, tmp_path: Path) -> None:
    assert cli("addfree", "2", "-m", "dentist").code == 0
    assert cli("add", "-m", "work", "--", "-31m", "-1m").code == 0

    assert cli("status").out == "Nothing is running. Today: 0:30 worked, 2:00 free.\n"
    assert cli("today").out.endswith("Today: 0:30 worked, 2:00 free.\n")
    status = json.loads(cli("status", "--json").out)
    today = json.loads(cli("today", "--json").out)
    assert status["today_s"] == today["total_s"] == 1800
    assert status["today_free_s"] == today["free_s"] == 7200

    # the widget's menu line and tooltip read the same status
    backend = open_local_backend(tmp_path / "data")
    try:
        current = backend.status()
    finally:
        backend.close()
    now = dt.datetime.now(dt.UTC)
    assert today_text(current, now) == "Today: 30 min worked, 2 h free"
    assert "Today: 30 min worked, 2 h free" in tooltip_text(current, now)


def test_a_server_account_agrees_on_worked_time(
    cli: CliRunner, trackmypeople_server: TrackMyPeopleServer, server_user: TestUser
) -> None:
    env = {
        "TRACKTRAY_URL": trackmypeople_server.api_url,
        "TRACKTRAY_USER": server_user.username,
        "TRACKTRAY_PASSWORD": server_user.password,
        "TRACKTRAY_CA": str(trackmypeople_server.ca_file),
    }
    assert cli("addfree", "2", env=env).code == 0
    status = json.loads(cli("status", "--json", env=env).out)
    today = json.loads(cli("today", "--json", env=env).out)
    assert status["today_s"] == today["total_s"] == 0
    assert today["free_s"] == 7200
    assert cli("today", env=env).out.endswith("Today: 0:00 worked, 2:00 free.\n")
