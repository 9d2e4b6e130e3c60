"""A keep-alive HTTPS client whose own cost per request is small, for the engine's load runs.

httpx spends about as much CPU per request as the server does for ``status``: measured
against a bare Starlette endpoint on loopback it stays near 1,200–1,500 requests a
second, so a server faster than that would measure the client. This client sends the
bytes the widget's client sends (``api/_keepalive.py``: the same request line, headers
and form body, byte for byte — a test compares them — over one TLS connection kept open)
and reads the answer by its ``Content-Length``: one ``sendall`` and, usually, one
``recv`` per request. The server cannot tell it from the widget. Only the engine's small
answers are read this way: a chunked answer (the streamed report) is refused, the report
figures use the widget's own client.
"""

from __future__ import annotations

import base64
import json
import socket
import ssl
from pathlib import Path
from urllib.parse import urlencode, urlsplit

__all__ = ["WIDGET_USER_AGENT", "LeanClient"]

#: what the widget's client says it is (api/_http.py: "tracktray/<version>")
WIDGET_USER_AGENT = "tracktray/bench"


class LeanClient:
    """One TLS connection to ``base_url`` (``https://host:port/api/``), Basic auth."""

    def __init__(self, base_url: str, ca_file: Path, auth: tuple[str, str]) -> None:
        parts = urlsplit(base_url)
        assert parts.scheme == "https" and parts.hostname and parts.port
        self._host, self._port = parts.hostname, parts.port
        self._path = parts.path if parts.path.endswith("/") else parts.path + "/"
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
        self._authorization = f"Basic {token}"
        self._ca_file = ca_file
        self._sock: ssl.SSLSocket | None = None
        self._buffer = b""
        self._prebuilt: dict[tuple[str, str], bytes] = {}

    def __enter__(self) -> LeanClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _connect(self) -> ssl.SSLSocket:
        context = ssl.create_default_context(cafile=str(self._ca_file))
        raw = socket.create_connection((self._host, self._port), timeout=60)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = context.wrap_socket(raw, server_hostname=self._host)
        self._buffer = b""
        return self._sock

    def _request(self, function: str, form: dict[str, str] | None) -> bytes:
        """The request the widget's client sends for ``POST function`` with ``form``."""
        body = urlencode(form or {}).encode()
        key = (function, body.decode())
        found = self._prebuilt.get(key)
        if found is None:
            lines = [
                f"POST {self._path}{function} HTTP/1.1",
                f"Host: {self._host}:{self._port}",
                "Accept: */*",
                "Accept-Encoding: gzip, deflate",
                "Connection: keep-alive",
                f"User-Agent: {WIDGET_USER_AGENT}",
                f"Content-Length: {len(body)}",
            ]
            if body:
                lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Authorization: {self._authorization}")
            found = self._prebuilt[key] = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        return found

    def post_raw(self, function: str, form: dict[str, str] | None = None) -> tuple[int, bytes]:
        """(status code, body) of ``POST <function>`` with a form body."""
        sock = self._sock or self._connect()
        sock.sendall(self._request(function, form))
        buffer = self._buffer
        while (end := buffer.find(b"\r\n\r\n")) < 0:
            buffer += self._recv(sock)
        head, buffer = buffer[:end], buffer[end + 4 :]
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = -1
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                raise RuntimeError("a chunked answer: use httpx for this call")
        if length < 0:
            raise RuntimeError("an answer without Content-Length")
        while len(buffer) < length:
            buffer += self._recv(sock)
        self._buffer = buffer[length:]
        return status, buffer[:length]

    def post(self, function: str, form: dict[str, str] | None = None) -> dict[str, object]:
        """The JSON answer of a TrackMyPeople call; raises unless it is 200 with result 1
        (the widget reads every answer the same way)."""
        status, body = self.post_raw(function, form)
        answer = json.loads(body)
        if status != 200 or str(answer.get("result")) != "1":
            raise RuntimeError(f"{function} answered {status}: {answer.get('error')}")
        return dict(answer)

    def _recv(self, sock: ssl.SSLSocket) -> bytes:
        data = sock.recv(65536)
        if not data:
            self.close()
            raise ConnectionError("the server closed the connection")
        return data
