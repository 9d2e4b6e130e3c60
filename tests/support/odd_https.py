"""A real HTTPS server on loopback (its own CA) whose every request a test answers itself:
garbage, a slow answer, a compressed body, a hang-up. For the HTTP clients' tests."""

from __future__ import annotations

import http.server
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tracktray.server.tls import self_signed

__all__ = ["Handler", "Request", "Starter", "answer_with", "odd_server"]


class Request(http.server.BaseHTTPRequestHandler):
    """One request as a handler sees it: ``body`` is read already."""

    body = b""


Handler = Callable[[Request], None]
#: starts a server answering with the handler; returns (API address, CA file)
Starter = Callable[[Handler], tuple[str, str]]


@pytest.fixture
def odd_server(tmp_path: Path) -> Iterator[Starter]:
    """A real HTTPS server (its own CA) whose every request is answered by the given
    handler (HTTP/1.0: one request a connection); yields a starter."""
    files = self_signed(tmp_path / "tls")
    assert files.ca is not None
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(answer: Handler) -> tuple[str, str]:
        class Answering(Request):
            def do_POST(self) -> None:
                self.body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer(self)

            do_GET = do_PUT = do_DELETE = do_POST

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answering)
        server.daemon_threads = True
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(files.cert, files.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"https://127.0.0.1:{server.server_address[1]}/api/", str(files.ca)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def answer_with(
    status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None
) -> Handler:
    """A handler answering ``status`` with this body (its Content-Length set)."""

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    return answer
