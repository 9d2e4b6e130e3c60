"""The server's short paths keep every rule of the long way.

A widget's calls answered on the event loop for a remembered caller: a password changed
by another process is refused at the next request, a write that would wait for another
writer's lock waits in a worker thread while the loop keeps answering, and the head of a
request is limited on both HTTP parsers.
"""

from __future__ import annotations

import asyncio
import base64
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.https_server import TrackMyPeopleServer, start_trackmypeople_server
from tracktray.engine import Engine
from tracktray.server.app import create_app
from tracktray.server.limits import Limits
from tracktray.server.protocol import MAX_HEAD_BYTES, _GatheredWrites
from tracktray.server.running import ServerThread


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[TrackMyPeopleServer]:
    server = start_trackmypeople_server(tmp_path / "server")
    yield server
    server.stop()


def test_a_password_changed_by_another_process_is_refused_at_the_next_request(
    own_server: TrackMyPeopleServer,
) -> None:
    user = own_server.new_user()
    with own_server.client(user) as widget:
        assert widget.post("status.json").json()["result"] == 1  # remembered from here on
        other_process = Engine.open(own_server.db_url)
        try:
            other_process.update_user(user.profile_id, password="a brand new password")
        finally:
            other_process.close()
        assert widget.post("status.json").status_code == 401
        assert widget.post("start.json").status_code == 401
    renewed = httpx.post(
        f"{own_server.api_url}status.json",
        auth=(user.username, "a brand new password"),
        verify=own_server.ssl_context(),
        timeout=30,
    )
    assert renewed.json()["result"] == 1
    assert own_server.engine.status(user.profile_id).running is None  # the 401 did nothing


def test_a_write_waits_in_a_worker_while_another_writer_holds_the_lock(
    own_server: TrackMyPeopleServer,
) -> None:
    user = own_server.new_user()
    with own_server.client(user) as widget, own_server.client(user) as second:
        assert widget.post("status.json").json()["result"] == 1
        holder = sqlite3.connect(own_server.db_url.removeprefix("sqlite:///"), timeout=30)
        holder.execute("BEGIN IMMEDIATE")  # another process writing
        started: list[dict[str, Any]] = []
        click = threading.Thread(target=lambda: started.append(widget.post("start.json").json()))
        click.start()
        try:
            # the loop is not blocked: reads answer while the start waits for the lock
            for _ in range(3):
                assert second.post("status.json").json()["result"] == 1
            click.join(timeout=0.5)
            assert click.is_alive() and not started
        finally:
            holder.rollback()
            holder.close()
        click.join(timeout=30)
        assert started and started[0]["result"] == 1
        assert "last_block" in second.post("status.json").json()


def _plain_server(tmp_path: Path, parser: str) -> tuple[ServerThread, Engine]:
    engine = Engine.open(f"sqlite:///{tmp_path / 'parser.sqlite'}")
    limits = Limits()
    server = ServerThread(create_app(engine, limits=limits), limits=limits, parser=parser)
    server.start()
    return server, engine


def _exchange(origin: str, request: bytes) -> bytes:
    host, port = origin.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("parser", ["h11", "httptools"])
def test_a_request_head_beyond_the_limit_is_refused_on_both_parsers(
    tmp_path: Path, parser: str
) -> None:
    server, engine = _plain_server(tmp_path, parser)
    try:
        # a head still not complete after the limit: refused at once, not after a timeout
        huge = b"GET / HTTP/1.1\r\nHost: x\r\nX-Filler: " + b"a" * MAX_HEAD_BYTES
        expected = {"h11": b"400", "httptools": b"431"}[parser]  # h11 has its own limit
        assert _exchange(server.origin, huge).split(b" ", 2)[1] == expected
        # a large body is not a large head: it reaches the app, which reads it and answers
        # (signed in: an app refusing before reading would close on an unread body, and
        # the kernel's reset could then drop its answer before this client reads it)
        engine.create_user("parser", "secret-parser", timezone="UTC")
        body = b"x=" + b"b" * 60_000
        post = (
            b"POST /api/status.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"Authorization: Basic " + base64.b64encode(b"parser:secret-parser") + b"\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        assert _exchange(server.origin, post).startswith(b"HTTP/1.1 200")
    finally:
        server.stop()
        engine.close()


class _Recorder:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


def test_an_answer_leaves_in_one_write_and_nothing_is_lost_on_close() -> None:
    async def scenario() -> list[bytes]:
        recorder = _Recorder()
        gathered = _GatheredWrites(recorder, asyncio.get_running_loop())  # type: ignore[arg-type]
        gathered.write(b"HTTP/1.1 200 OK\r\n\r\n")
        gathered.write(b"body")
        await asyncio.sleep(0)
        gathered.write(b"last")
        gathered.close()  # a Connection: close answer flushes before closing
        assert recorder.closed
        return recorder.writes

    assert asyncio.run(scenario()) == [b"HTTP/1.1 200 OK\r\n\r\nbody", b"last"]
