"""The bench's lean client sends the very bytes the widget's client sends, and reads the
engine's answers as the widget does (bench/leanclient.py: the engine figures rest on it)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from bench.leanclient import WIDGET_USER_AGENT, LeanClient

from tests.support.https_server import start_trackmypeople_server
from tracktray.api._http import KEEPALIVE_EXPIRY_S, make_ssl_context
from tracktray.api._keepalive import KeepAliveClient

ANSWER = (
    b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{"result":1}'
)


def _what_the_widget_sends(form: dict[str, str] | None) -> tuple[int, bytes]:
    """(port, bytes) of the widget's client's ``POST stop.json`` to a loopback listener."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    received: list[bytes] = []

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data or not _complete(data):
                data += conn.recv(65536)
            received.append(data)
            conn.sendall(ANSWER)

    thread = threading.Thread(target=serve)
    thread.start()
    widget = KeepAliveClient(
        make_ssl_context(),
        connect_timeout=5,
        read_timeout=10,
        keepalive_expiry=KEEPALIVE_EXPIRY_S,
        user_agent=WIDGET_USER_AGENT,
    )
    try:
        answer = widget.request(
            "POST", f"http://127.0.0.1:{port}/api/stop.json", data=form or {}, auth=("ann", "pw é")
        )
        assert answer.json() == {"result": 1}
    finally:
        widget.close()
        thread.join(10)
        listener.close()
    return port, received[0]


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return True


@pytest.mark.parametrize("form", [None, {"description": "a note & more"}])
def test_the_request_is_the_one_the_widget_sends(
    tmp_path: Path, form: dict[str, str] | None
) -> None:
    port, theirs = _what_the_widget_sends(form)
    lean = LeanClient(f"https://127.0.0.1:{port}/api/", tmp_path / "unused.pem", ("ann", "pw é"))
    assert lean._request("stop.json", form) == theirs  # byte for byte


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
