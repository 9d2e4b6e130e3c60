"""Local mode: archiving a tracker from the shell, listing archived ones, restoring."""

from __future__ import annotations

import json

from tests.support.server_fixtures import TestUser, TrackMyPeopleServer

from .conftest import CliRunner


def test_archive_list_and_restore(cli: CliRunner) -> None:
    assert cli("trackers", "archived").out == "No tracker is archived.\n"
    assert cli("start").code == 0
    archived = cli("trackers", "archive", "General")
    assert archived.code == 0, archived.err
    assert archived.out == (
        "Archived General; `tracktray trackers restore 1` brings it back.\n"
        "General keeps running until you stop or switch.\n"
        "No tracker is left to start: restore one, or add one in the widget.\n"
    )
    assert cli("stop").code == 0  # the running block on an archived tracker can stop
    assert json.loads(cli("trackers", "--json").out) == []
    assert json.loads(cli("trackers", "archived", "--json").out) == [{"id": 1, "path": "General"}]
    unknown = cli("trackers", "restore", "nothing")
    assert unknown.code == 2
    assert unknown.err == (
        "No tracker matches “nothing”. (archived trackers: `tracktray trackers archived`)\n"
    )
    restored = cli("trackers", "restore", "gen")
    assert restored.code == 0 and restored.out == "Restored General.\n"
    assert [t["path"] for t in json.loads(cli("trackers", "--json").out)] == ["General"]
    # the default came back with it: a start without a tracker works
    assert cli("start").code == 0
    assert cli("stop").code == 0


def test_server_accounts_manage_trackers_on_the_server(
    cli: CliRunner, trackmypeople_server: TrackMyPeopleServer, server_user: TestUser
) -> None:
    env = {
        "TRACKTRAY_URL": trackmypeople_server.api_url,
        "TRACKTRAY_USER": server_user.username,
        "TRACKTRAY_PASSWORD": server_user.password,
        "TRACKTRAY_CA": str(trackmypeople_server.ca_file),
    }
    refused = cli("trackers", "restore", "Acme", env=env)
    assert refused.code == 1
    label = f"{server_user.username} (from the environment)"
    assert refused.err == f"The trackers of {label} are managed on its server.\n"
