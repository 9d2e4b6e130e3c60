"""The bench's lean client sends what the widget's httpx client sends, and reads the
engine's answers as httpx does (bench/leanclient.py: the engine figures rest on it)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from bench.leanclient import WIDGET_USER_AGENT, LeanClient

from tests.support.https_server import start_trackmypeople_server


def _lean_request(client: LeanClient, function: str, form: dict[str, str] | None) -> httpx.Request:
    raw = client._request(function, form)
    head, _, body = raw.partition(b"\r\n\r\n")
    line, *fields = head.decode().split("\r\n")
    method, target, _version = line.split(" ")
    headers = [(name, value) for name, _, value in (f.partition(": ") for f in fields)]
    return httpx.Request(method, f"https://127.0.0.1:8443{target}", headers=headers, content=body)


@pytest.mark.parametrize("form", [None, {"description": "a note & more"}])
def test_the_request_is_the_one_httpx_sends(tmp_path: Path, form: dict[str, str] | None) -> None:
    seen: list[httpx.Request] = []

    def capture(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"result": 1})

    with httpx.Client(
        transport=httpx.MockTransport(capture), headers={"User-Agent": WIDGET_USER_AGENT}
    ) as widget:
        widget.post("https://127.0.0.1:8443/api/stop.json", data=form, auth=("ann", "pw é"))
    lean = LeanClient("https://127.0.0.1:8443/api/", tmp_path / "unused.pem", ("ann", "pw é"))
    mine = _lean_request(lean, "stop.json", form)
    theirs = seen[0]
    assert (mine.method, mine.url, mine.content) == (theirs.method, theirs.url, theirs.content)
    assert sorted(mine.headers.multi_items()) == sorted(theirs.headers.multi_items())


def test_answers_are_read_over_one_kept_connection(tmp_path: Path) -> None:
    server = start_trackmypeople_server(tmp_path / "server")
    try:
        user = server.new_user()
        with LeanClient(server.api_url, server.ca_file, (user.username, user.password)) as lean:
            assert lean.post("status.json")["result"] == 1
            started = lean.post("start.json")
            assert "last_block" in started
            sock = lean._sock
            assert lean.post("stop.json")["result"] == 1
            assert lean._sock is sock  # keep-alive: the same TLS connection
            with pytest.raises(RuntimeError, match=r"stop\.json answered 200: No block"):
                lean.post("stop.json")  # refused: result 0 with the engine's sentence
    finally:
        server.stop()
