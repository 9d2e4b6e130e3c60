"""``tracktray reportees`` against the real engine over HTTPS, and in local mode."""

from __future__ import annotations

import json

from tests.support.server_fixtures import TrackMyPeopleServer

from .conftest import CliRunner


def env_for(trackmypeople_server: TrackMyPeopleServer, user: object) -> dict[str, str]:
    return {
        "TRACKTRAY_URL": trackmypeople_server.api_url,
        "TRACKTRAY_USER": user.username,  # type: ignore[attr-defined]
        "TRACKTRAY_PASSWORD": user.password,  # type: ignore[attr-defined]
        "TRACKTRAY_CA": str(trackmypeople_server.ca_file),
    }


def test_with_and_without_reporting_rights(
    cli: CliRunner, trackmypeople_server: TrackMyPeopleServer
) -> None:
    manager = trackmypeople_server.new_user(can_see_reporting=True)
    worker = trackmypeople_server.new_user()
    listed = cli("reportees", env=env_for(trackmypeople_server, manager))
    assert listed.code == 0, listed.err
    name = f"{worker.username.capitalize()} Tester"
    line = next(row for row in listed.out.splitlines() if name in row)
    assert line.split()[0] == str(worker.profile_id)
    assert line.endswith(f"<{worker.username}@example.org>")
    people = json.loads(cli("reportees", "--json", env=env_for(trackmypeople_server, manager)).out)
    assert worker.profile_id in [p["id"] for p in people]
    # the listed name works with report --user
    report = cli("report", "--user", name, env=env_for(trackmypeople_server, manager))
    assert report.code == 0, report.err

    alone = json.loads(cli("reportees", "--json", env=env_for(trackmypeople_server, worker)).out)
    assert [p["id"] for p in alone] == [worker.profile_id]


def test_local_mode_says_why_not(cli: CliRunner) -> None:
    refused = cli("reportees")
    assert refused.code == 1
    assert refused.err == "This computer does not report on other people.\n"
