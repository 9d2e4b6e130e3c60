"""The overlap URL opens a page where the owner fixes the block under the same rules."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.support.https_server import TrackMyPeopleServer
from tests.support.org import TestUser


@pytest.fixture
def browser(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser
) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=trackmypeople_server.origin,
        verify=trackmypeople_server.ssl_context(),
        auth=(server_user.username, server_user.password),
    ) as client:
        yield client


def add(
    trackmypeople_server: TrackMyPeopleServer, user: TestUser, start: str, stop: str
) -> dict[str, object]:
    with trackmypeople_server.client(user) as api:
        body = api.post("add.json", data={"start": start, "stop": stop}).json()
    assert isinstance(body, dict)
    return body


def form_of(page: str) -> dict[str, str]:
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page))
    fields["tracker_id"] = re.findall(r'<option value="(\d+)" selected>', page)[0]
    return fields


def test_overlap_url_leads_to_a_form_that_saves(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser, browser: httpx.Client
) -> None:
    first = add(trackmypeople_server, server_user, "2026-07-01 09:00", "2026-07-01 10:00")
    overlap = add(trackmypeople_server, server_user, "2026-07-01 09:30", "2026-07-01 11:00")
    url = str(overlap["url"])
    block_id = first["added_block"]["Id"]  # type: ignore[index]
    assert url == f"{trackmypeople_server.origin}/blocks/{block_id}/edit"

    page = browser.get(url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    form = form_of(page.text)
    assert form["start"] == "2026-07-01 09:00:00" and form["stop"] == "2026-07-01 10:00:00"
    assert "Europe/Brussels" in page.text

    form.update(
        stop="2026-07-01 09:30:00",
        description="shortened <b>",
        tracker_id=str(server_user.trackers["Acme/Support"]),
    )
    saved = browser.post(url, data=form)
    assert saved.status_code == 200 and "Saved." in saved.text
    assert "shortened &lt;b&gt;" in saved.text  # escaped, not markup
    # now the block that overlapped fits
    assert (
        add(trackmypeople_server, server_user, "2026-07-01 09:30", "2026-07-01 11:00")["result"]
        == 1
    )


def test_the_page_refuses_what_the_api_refuses(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser, browser: httpx.Client
) -> None:
    a = add(trackmypeople_server, server_user, "2026-07-02 09:00", "2026-07-02 10:00")[
        "added_block"
    ]
    b = add(trackmypeople_server, server_user, "2026-07-02 11:00", "2026-07-02 12:00")[
        "added_block"
    ]
    url = f"/blocks/{a['Id']}/edit"  # type: ignore[index]
    form = form_of(browser.get(url).text)

    clash = browser.post(url, data={**form, "stop": "2026-07-02 11:30"})
    assert clash.status_code == 409
    assert f"/blocks/{b['Id']}/edit" in clash.text and "Nothing was saved" in clash.text  # type: ignore[index]
    backwards = browser.post(url, data={**form, "stop": "2026-07-02 08:00"})
    assert backwards.status_code == 400 and "start must be before the stop" in backwards.text
    garbage = browser.post(url, data={**form, "start": "soon", "description": "kept <i>"})
    assert garbage.status_code == 400 and "not a date and time" in garbage.text
    assert form_of(garbage.text)["start"] == "soon"  # what was typed is still there
    assert 'value="kept &lt;i&gt;"' in garbage.text
    forged = browser.post(url, data={**form, "token": "0" * 64})
    assert forged.status_code == 403
    unchanged = form_of(browser.get(url).text)
    assert (unchanged["start"], unchanged["stop"]) == ("2026-07-02 09:00:00", "2026-07-02 10:00:00")


def test_only_the_owner_after_basic_auth(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser
) -> None:
    block = add(trackmypeople_server, server_user, "2026-07-03 09:00", "2026-07-03 10:00")[
        "added_block"
    ]
    url = f"{trackmypeople_server.origin}/blocks/{block['Id']}/edit"  # type: ignore[index]
    other = trackmypeople_server.new_user()
    with httpx.Client(verify=trackmypeople_server.ssl_context()) as anonymous:
        challenge = anonymous.get(url)
        assert challenge.status_code == 401
        assert challenge.headers["www-authenticate"] == 'Basic realm="TrackMyPeople"'
        assert anonymous.get(url, auth=(other.username, other.password)).status_code == 403
        missing = f"{trackmypeople_server.origin}/blocks/99999999/edit"
        assert anonymous.get(missing, auth=(other.username, other.password)).status_code == 404
        assert anonymous.get(f"{trackmypeople_server.origin}/blocks/abc/edit").status_code == 404


def test_a_running_block_stays_running_when_its_start_is_fixed(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser, browser: httpx.Client
) -> None:
    with trackmypeople_server.client(server_user) as api:
        api.post("start.json")
        report = api.post("report.json", data={"include_open": "1"}).json()
    [block_id] = [b["Id"] for k, b in report.items() if k.startswith("block_")]
    url = f"/blocks/{block_id}/edit"
    form = form_of(browser.get(url).text)
    assert form["stop"] == ""
    earlier = form["start"][:11] + "00:00:01"  # today, just after midnight
    saved = browser.post(url, data={**form, "start": earlier})
    assert saved.status_code == 200 and "Saved." in saved.text
    with trackmypeople_server.client(server_user) as api:
        status = api.post("status.json").json()
    assert "last_block" in status and status["daytotal"] > 0
