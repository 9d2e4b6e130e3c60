"""Running the app under uvicorn: in the foreground (the CLI) or in a thread (tests).

uvicorn binds the listening socket itself: a socket made elsewhere without
``IPPROTO_TCP`` gets no TCP_NODELAY and keep-alive requests crawl (Nagle + delayed ACK).
With port 0 the real port is read back from the bound socket once the server started.
The event loop is uvicorn's choice: uvloop where it is installed (a dependency, except
on Windows), asyncio's own otherwise.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from tracktray.server.limits import Limits
from tracktray.server.protocol import guarded_protocol

__all__ = ["TLS12_CIPHERS", "ServerThread", "Tls", "make_server", "serve_forever", "url_of"]


@dataclass(frozen=True)
class Tls:
    cert: Path
    key: Path


#: TLS 1.2 suites with forward secrecy and authenticated encryption only (no CBC);
#: TLS 1.3 suites are AEAD by definition and not configured by this string
TLS12_CIPHERS = "ECDHE+AESGCM:ECDHE+CHACHA20"


class _Config(uvicorn.Config):
    def load(self) -> None:
        super().load()
        if self.ssl is not None:  # explicit, whatever the system's OpenSSL defaults say
            self.ssl.minimum_version = ssl.TLSVersion.TLSv1_2


#: on SIGTERM, requests in flight get this long to finish (idle connections: none)
SHUTDOWN_GRACE_S = 5


def make_server(
    app: ASGIApp,
    host: str,
    port: int,
    tls: Tls | None,
    limits: Limits | None = None,
    trusted_proxies: str | None = None,
    parser: str | None = None,
) -> uvicorn.Server:
    """``parser``: ``"httptools"`` or ``"h11"`` (default: the faster one installed)."""
    limits = limits or Limits()
    config = _Config(
        app,
        host=host,
        port=port,
        ssl_certfile=str(tls.cert) if tls else None,
        ssl_keyfile=str(tls.key) if tls else None,
        ssl_ciphers=TLS12_CIPHERS,
        http=guarded_protocol(limits, parser),
        log_level="warning",
        access_log=False,  # our RequestLog writes one line per request instead
        lifespan="off",
        server_header=False,
        timeout_keep_alive=max(1, round(limits.idle_timeout_s)),
        timeout_graceful_shutdown=SHUTDOWN_GRACE_S,
        proxy_headers=trusted_proxies is not None,
        forwarded_allow_ips=trusted_proxies,
    )
    return uvicorn.Server(config)


def url_of(server: uvicorn.Server, tls: bool) -> str:
    """``scheme://host:port`` of a started server (the real port when 0 was asked)."""
    sock = server.servers[0].sockets[0]
    host, port = sock.getsockname()[:2]
    host = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{host}:{port}"


class _Server(uvicorn.Server):
    """A uvicorn server that says when it is up (or gave up)."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None] | None = None) -> None:
        super().__init__(config)
        self.ready = threading.Event()
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets)
            if self.started and self._on_ready is not None:
                self._on_ready()
        finally:
            self.ready.set()


def serve_forever(
    app: ASGIApp,
    host: str,
    port: int,
    tls: Tls | None,
    on_ready: Callable[[str], None],
    limits: Limits | None = None,
    trusted_proxies: str | None = None,
) -> None:
    """Serve in the foreground until SIGINT/SIGTERM; ``on_ready(origin)`` once listening."""
    holder: list[_Server] = []
    server = _Server(
        make_server(app, host, port, tls, limits, trusted_proxies).config,
        on_ready=lambda: on_ready(url_of(holder[0], tls is not None)),
    )
    holder.append(server)
    server.run()


class ServerThread:
    """uvicorn in a daemon thread; ``start()`` returns its origin once it accepts."""

    def __init__(
        self,
        app: ASGIApp,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: Tls | None = None,
        limits: Limits | None = None,
        parser: str | None = None,
    ) -> None:
        self.server = _Server(make_server(app, host, port, tls, limits, parser=parser).config)
        self._tls = tls is not None
        self._thread = threading.Thread(target=self._run, name="tracktray-server", daemon=True)
        self.origin = ""

    def _run(self) -> None:
        try:
            self.server.run()
        finally:
            self.server.ready.set()

    def start(self, timeout: float = 30.0) -> str:
        self._thread.start()
        self.server.ready.wait(timeout)
        if not self.server.started:
            raise RuntimeError("the server did not start (see the log for why)")
        self.origin = url_of(self.server, self._tls)
        return self.origin

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)
