"""Wire variants the engine accepts: XML by default, GET path syntax, aliases, auth."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from urllib.parse import quote
from xml.etree import ElementTree as ET

import httpx
import pytest

from tests.support.https_server import TrackMyPeopleServer
from tests.support.org import TestUser


@pytest.fixture
def api(trackmypeople_server: TrackMyPeopleServer, server_user: TestUser) -> Iterator[httpx.Client]:
    with trackmypeople_server.client(server_user) as client:
        yield client


def xml(response: httpx.Response) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "api_response"
    return root


def test_no_suffix_and_xml_suffix_answer_xml(api: httpx.Client, server_user: TestUser) -> None:
    for response in (api.get("status"), api.post("status"), api.get("status.xml")):
        root = xml(response)
        assert root.findtext("result") == "1"
        assert root.findtext("daytotal") == "0"
        assert root.findtext("default_tracker/Name") == "Website"
        assert root.findtext("default_tracker/Trackable") == "1"


def test_trackers_in_xml_are_tracker_elements_with_ids(
    api: httpx.Client, server_user: TestUser
) -> None:
    root = xml(api.get("trackers"))
    listed = [(t.get("id"), t.text) for t in root.findall("tracker")]
    assert listed[:3] == [
        (str(server_user.trackers["Acme"]), "Acme"),
        (str(server_user.trackers["Acme/Support"]), "→ Support"),
        (str(server_user.trackers["Acme/Website"]), "→ Website"),
    ]


def test_get_path_syntax_with_encoded_values(api: httpx.Client, server_user: TestUser) -> None:
    start = quote("2026-06-01 09:00", safe="")
    stop = quote("2026-06-01 10:00", safe="")
    description = quote("fix / deploy ünïcode", safe="")
    tracker = server_user.trackers["Acme/Support"]
    response = api.get(
        f"add.json/start/{start}/stop/{stop}/tracker_id/{tracker}/description/{description}"
    )
    block = response.json()["added_block"]
    assert (block["TimeIn"], block["TrackerId"], block["Description"]) == (
        "2026-06-01 09:00:00",
        tracker,
        "fix / deploy ünïcode",
    )
    report = xml(
        api.get(f"report.xml/start/{quote('2026-06-01 00:00')}/stop/{quote('2026-06-02 00:00')}")
    )
    [element] = [e for e in report if e.tag.startswith("block_")]
    assert element.findtext("Free") == "false" and element.findtext("Total") == "3600"


@pytest.mark.parametrize("name", ["ADDBLOCK", "addBlock", "Add", "add"])
def test_aliases_and_case(api: httpx.Client, name: str) -> None:
    body = api.post(
        f"{name}.json", data={"start": "2026-06-02 09:00", "stop": "2026-06-02 09:30"}
    ).json()
    assert body["result"] == 1 and body["added_block"]["Total"] == 1800


def test_a_json_body_is_accepted_too(api: httpx.Client) -> None:
    body = api.post("addfree.json", json={"hours": 2, "date": "2026-06-03"}).json()
    assert body["added_block"]["Total"] == 7200


def test_missing_or_wrong_credentials_get_401_with_the_realm(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser
) -> None:
    with trackmypeople_server.client() as anonymous:
        for auth in (None, (server_user.username, "wrong"), ("nobody", "x")):
            response = anonymous.post("status.json", auth=auth)  # type: ignore[arg-type]
            assert response.status_code == 401
            assert response.headers["www-authenticate"] == 'Basic realm="TrackMyPeople"'
        for header in (
            "Bearer abc",
            "Basic !!!",
            "Basic " + base64.b64encode(b"no-colon").decode(),
        ):
            response = anonymous.post("status.json", headers={"Authorization": header})
            assert response.status_code == 401


def test_non_ascii_passwords_work(trackmypeople_server: TrackMyPeopleServer) -> None:
    user = trackmypeople_server.new_user(password="pässwörd ✓")
    with trackmypeople_server.client(user) as api:
        assert api.post("status.json").json()["result"] == 1


def test_multipart_forms_are_read_and_files_refused(api: httpx.Client) -> None:
    fields = {"start": "2026-06-04 09:00", "stop": "2026-06-04 09:15", "description": "ünï"}
    multipart = {k: (None, v) for k, v in fields.items()}
    body = api.post("add.json", files=multipart).json()
    assert body["added_block"]["Total"] == 900 and body["added_block"]["Description"] == "ünï"
    upload = api.post("stop.json", files={"description": ("a.txt", b"x", "text/plain")})
    assert upload.status_code == 400
