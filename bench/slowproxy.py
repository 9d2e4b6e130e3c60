"""A loopback TCP proxy that can make a server answer slowly, without touching the server.

It passes TLS through untouched (the certificate stays the server's) and, while
``delay_s`` is set, holds every TLS *application-data* record from the client that long
before forwarding it — i.e. each HTTP request reaches the server ``delay_s`` late, while
handshakes stay fast. That is what a user behind a slow server sees, with the real
engine answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator

_TLS_APPLICATION_DATA = 0x17


class SlowProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.delay_s = 0.0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="slow-proxy", daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._connection, "127.0.0.1", 0)
        )
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _connection(
        self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter
    ) -> None:
        try:
            server_r, server_w = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_w.close()
            return
        await asyncio.gather(
            self._pump(client_r, server_w, delayed=True),
            self._pump(server_r, client_w, delayed=False),
            return_exceptions=True,
        )

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, delayed: bool
    ) -> None:
        try:
            while chunk := await reader.read(65536):
                if delayed and self.delay_s and chunk[0] == _TLS_APPLICATION_DATA:
                    await asyncio.sleep(self.delay_s)
                writer.write(chunk)
                await writer.drain()
        finally:
            with contextlib.suppress(OSError):
                writer.close()

    @contextlib.contextmanager
    def running(self) -> Iterator[SlowProxy]:
        self._thread.start()
        self._ready.wait(10)
        try:
            yield self
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
