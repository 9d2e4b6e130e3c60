"""A working day of a TimeTrack account from the command line, against the real engine."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support import timetrack_fixtures
from tests.support.timetrack_fixtures import TimeTrackServer

from .conftest import CliRunner

# the plugin's fixture, until tests/conftest.py registers tests.support.timetrack_fixtures
timetrack_server = timetrack_fixtures.timetrack_server


@pytest.fixture
def account(cli: CliRunner, timetrack_server: TimeTrackServer, trackmypeople_server: Any) -> str:
    """A fresh TimeTrack user added with `accounts add --kind timetrack` and active."""
    user = trackmypeople_server.new_user(timezone="UTC")
    added = cli(
        "accounts", "add", "--kind", "timetrack", "--url", trackmypeople_server.origin,
        "--user", user.username, "--ca", str(trackmypeople_server.ca_file), "--name", "TT",
        "--password-stdin", stdin=f"{timetrack_server.key}\n{timetrack_server.secret}\n",
    )  # fmt: skip
    assert added.code == 0, added.err
    assert added.out.startswith("Added the account “TT”")
    return str(user.username)


def test_accounts_add_keeps_key_and_secret_in_the_keyring(
    cli: CliRunner, account: str, timetrack_server: TimeTrackServer, trackmypeople_server: Any
) -> None:
    listed = json.loads(cli("accounts", "--json").out)
    tt = next(a for a in listed if a["label"] == "TT")
    assert (tt["kind"], tt["url"]) == ("timetrack", trackmypeople_server.origin + "/api/v2/ext/")
    from tracktray.store import CredentialStore

    stored = CredentialStore().get(tt["id"])
    assert stored is not None and timetrack_server.secret in stored


def test_a_working_day(cli: CliRunner, account: str) -> None:
    assert cli("clock", "in").out.startswith("Clocked in at ")
    started = cli("start", "Acme/Website")
    assert started.code == 0, started.err
    assert started.out.startswith("Started Acme / Website at ")
    paused = cli("pause")
    assert paused.out.startswith("Paused Acme / Website: 0:00 worked, 0:00 break.")
    paused_status = cli("status").out.splitlines()
    assert paused_status[0].startswith("Paused: Acme / Website since ")
    assert paused_status[1].startswith("Clocked in since ")
    assert paused_status[1].endswith(": 0:00 today.")
    again = cli("pause")
    assert (again.code, again.err) == (1, "The project timer is already paused.\n")
    assert cli("resume").out.startswith("Resumed Acme / Website")
    assert cli("status").out.startswith("Running: Acme / Website since ")
    assert cli("stop").out.startswith("Stopped Acme / Website")
    assert cli("clock", "out").out == "Clocked out. At work today: 0:00.\n"
    today = cli("today").out.splitlines()
    assert today[0] == "Not clocked in. At work today: 0:00."
    assert today[1].endswith("(clock)")
    assert "Acme / Website" in today[2]
    assert today[-1] == "On projects today: 0:00."


def test_attendances_add_list_edit_rm(cli: CliRunner, account: str) -> None:
    added = cli(
        "attendances", "add", "2026-11-20 09:00", "2026-11-20 17:00", "--break", "30",
        "--notes", "train late",
    )  # fmt: skip
    assert added.code == 0, added.err
    assert "Fri 2026-11-20 09:00–17:00  break 0:30  worked 7:30  (manual)  train late" in added.out
    entry_id = added.out.split("#")[1].split()[0]
    listed = cli("attendances", "--from", "2026-11-16").out.splitlines()
    assert len(listed) == 2 and listed[-1] == "Worked from 2026-11-16 to 2026-11-22: 7:30."
    refused = cli("attendances", "edit", entry_id, "--break", "600")
    assert refused.code == 1
    assert refused.err == "The break must be shorter than the attendance itself.\n"
    changed = cli("attendances", "edit", entry_id, "--end", "2026-11-20 18:00")
    assert "09:00–18:00  break 0:30  worked 8:30" in changed.out
    as_json = json.loads(cli("attendances", "--from", "2026-11-20", "--to", "2026-11-20",
                             "--json").out)  # fmt: skip
    assert as_json["worked_s"] == 510 * 60
    assert cli("attendances", "rm", entry_id).out == f"Deleted attendance entry #{entry_id}.\n"
    gone = cli("attendances", "rm", entry_id)
    assert gone.code == 1 and "no attendance entry" in gone.err


def test_bad_secret_is_refused_when_adding(
    cli: CliRunner, timetrack_server: TimeTrackServer, trackmypeople_server: Any
) -> None:
    user = trackmypeople_server.new_user()
    added = cli(
        "accounts", "add", "--kind", "timetrack", "--url", trackmypeople_server.origin,
        "--user", user.username, "--ca", str(trackmypeople_server.ca_file),
        "--password-stdin", stdin=f"{timetrack_server.key}\nwrong-secret\n",
    )  # fmt: skip
    assert added.code == 3
    assert "did not accept the API key and secret" in added.err


def test_attendance_commands_on_an_account_without_attendance(cli: CliRunner) -> None:
    outcome = cli("clock", "in")
    assert outcome.code == 1
    assert outcome.err == "The account “This computer” keeps no attendance (clock in/out).\n"


def test_a_paused_timer_stays_frozen_in_status_json(
    cli: CliRunner, account: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from tracktray.cli import cmd_tracking

    assert cli("start", "Website").code == 0
    assert cli("pause").code == 0
    later = dt.datetime.now().astimezone() + dt.timedelta(minutes=30)
    monkeypatch.setattr(cmd_tracking, "local_now", lambda: later)  # half an hour on
    running = json.loads(cli("status", "--json").out)["running"]
    assert running["paused"] is True
    assert running["elapsed_s"] < 60  # worked time stood still during the pause
