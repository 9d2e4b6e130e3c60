"""One HTTP/1.1 connection (``api/_http1.py``) against a server that answers with exactly
the bytes a test gives: bodies by length, chunked and to the end of the connection,
interim answers, old HTTP/1.0 servers, and answers that are broken or hostile. The
ordinary answers of the real engine over HTTPS are ``test_keepalive.py``'s."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from tracktray.api._http1 import MAX_HEAD_BYTES, Answer, BrokenAnswer, Connection, host_header

CHUNKS = b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
UPGRADE = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n"
#: what the server does for one request: the bytes it answers, then whether it closes
Script = list[tuple[bytes, bool]]


class RawServer:
    """A loopback server answering each request with the next scripted bytes."""

    def __init__(self, script: Script) -> None:
        self.script = list(script)
        self.requests: list[bytes] = []
        self.connections = 0
        self.clients: list[Connection] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while self.script:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                while self.script:
                    request = _read_request(conn)
                    if request is None:
                        break
                    self.requests.append(request)
                    answer, close = self.script.pop(0)
                    conn.sendall(answer)
                    if close:
                        conn.shutdown(socket.SHUT_WR)
                        break

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self._listener.close()
        self._thread.join(5)


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    sizes = [
        line.split(b":")[1] for line in head.split(b"\r\n") if b"content-length:" in line.lower()
    ]
    length = int(sizes[0]) if sizes else 0
    while len(body) < length:
        body += conn.recv(65536)
    return data


@pytest.fixture
def raw_server() -> Iterator[Callable[[Script], RawServer]]:
    servers: list[RawServer] = []

    def start(script: Script) -> RawServer:
        server = RawServer(script)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def _connection(server: RawServer) -> Connection:
    connection = Connection(b"127.0.0.1", server.port, None, connect_timeout=5, read_timeout=5)
    connection.connect()
    server.clients.append(connection)
    return connection


def _post(connection: Connection, body: bytes = b"a=1") -> Answer:
    headers = {
        "Content-Length": str(len(body)),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    connection.send("POST", "/api/status.json", body, headers)
    return connection.receive()


def test_a_sized_and_a_chunked_answer_come_on_one_kept_connection(
    raw_server: Callable[[Script], RawServer],
) -> None:
    server = raw_server(
        [
            (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-One: 1\r\nx-one: 2\r\n\r\nhello", False),
            (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + CHUNKS, False),
        ]
    )
    connection = _connection(server)
    sized = _post(connection)
    chunked = _post(connection)
    assert (sized.status, sized.content, sized.keep_alive) == (200, b"hello", True)
    assert sized.headers.get("x-ONE") == "1"  # the first of two, names in any case
    assert (chunked.content, chunked.keep_alive) == (b"abcde", True)
    assert server.connections == 1 and connection.sock is not None
    assert server.requests[0].startswith(
        b"POST /api/status.json HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: 3\r\n"
        % server.port
    )
    assert server.requests[0].endswith(b"\r\n\r\na=1")
    connection.close()


def test_an_answer_running_to_the_end_of_the_connection_is_whole_and_not_kept(
    raw_server: Callable[[Script], RawServer],
) -> None:
    server = raw_server([(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it", True)])
    connection = _connection(server)
    answer = _post(connection)
    assert (answer.content, answer.keep_alive) == (b"all of it", False)
    assert connection.sock is None


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
    ],
    ids=["http-1.0", "connection-close"],
)
def test_a_server_that_closes_after_its_answer_is_not_asked_again_on_it(
    raw_server: Callable[[Script], RawServer], answer: bytes
) -> None:
    server = raw_server([(answer, True)])
    connection = _connection(server)
    read = _post(connection)
    assert (read.content, read.keep_alive, connection.sock) == (b"ok", False, None)


def test_interim_answers_are_skipped(raw_server: Callable[[Script], RawServer]) -> None:
    server = raw_server(
        [
            (
                b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}",
                False,
            )
        ]
    )
    answer = _post(_connection(server))
    assert (answer.status, answer.content) == (201, b"{}")


@pytest.mark.parametrize(
    ("answer", "sentence"),
    [
        (b"", "without answering"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "before the answer was complete"),
        (b"HTTP/1.1 200 OK\r\nContent-Len", "before the answer was complete"),
        (b"<html>login</html>\r\n\r\n", "Expected HTTP/"),
        (b"HTTP/1.1 200 OK\r\n" + b"X-Pad: " + b"x" * MAX_HEAD_BYTES + b"\r\n\r\n", "too long"),
        (UPGRADE, "another protocol"),
    ],
    ids=["closed", "short-body", "short-head", "not-http", "endless-head", "upgrade"],
)
def test_a_broken_or_hostile_answer_is_refused(
    raw_server: Callable[[Script], RawServer], answer: bytes, sentence: str
) -> None:
    server = raw_server([(answer, True)])
    connection = _connection(server)
    with pytest.raises(BrokenAnswer, match=sentence):
        _post(connection)


@pytest.mark.parametrize(
    ("target", "headers"),
    [
        ("/api/status.json HTTP/1.1\r\nX-Evil: 1", {}),
        ("/api/a b", {}),
        ("/api/status.json", {"X-Key": "k\r\nX-Evil: 1"}),
        ("/api/status.json", {"X-Evil\r\nX": "1"}),
        ("/api/status.json", {"X Key": "1"}),
    ],
    ids=["target-line-break", "target-space", "value-line-break", "name-line-break", "name-space"],
)
def test_a_request_that_would_smuggle_a_line_is_refused_before_anything_is_sent(
    raw_server: Callable[[Script], RawServer], target: str, headers: dict[str, str]
) -> None:
    server = raw_server([(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", False)])
    connection = _connection(server)
    with pytest.raises(ValueError, match=r"Invalid|control characters"):
        connection.send("GET", target, None, headers)
    assert _post(connection).status == 200  # the connection carries the next request
    assert len(server.requests) == 1


def test_a_header_beyond_latin_1_is_refused_before_anything_is_sent(
    raw_server: Callable[[Script], RawServer],
) -> None:
    server = raw_server([(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", False)])
    connection = _connection(server)
    with pytest.raises(UnicodeError):
        connection.send("GET", "/api/", None, {"X-Key": "k€y"})
    assert _post(connection).status == 200


@pytest.mark.parametrize(
    ("host", "port", "secure", "expected"),
    [
        (b"example.org", 443, True, "example.org"),
        (b"example.org", 8443, True, "example.org:8443"),
        (b"127.0.0.1", 80, False, "127.0.0.1"),
        (b"::1", 443, True, "[::1]"),
        ("bücher.example", 443, True, "xn--bcher-kva.example"),
    ],
)
def test_the_host_header_is_written_as_httpx_writes_it(
    host: bytes | str, port: int, secure: bool, expected: str
) -> None:
    assert host_header(host, port, secure) == expected
