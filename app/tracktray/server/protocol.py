"""uvicorn's HTTP/1.1 protocol with the limits a server exposed to a network needs.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) but never one that
sends a request head slowly: a byte now and then keeps it open forever (2,000 such
connections held 414 MB after 40 s). This protocol closes a connection that has not
completed its request head within ``head_timeout_s`` of connecting or of its previous
answer, refuses a request head larger than :data:`MAX_HEAD_BYTES` (431), and refuses
connections beyond ``max_connections`` by closing them at once. On shutdown, idle
keep-alive connections are dropped without waiting for the client.

The parser is httptools (llhttp, in C) when it is installed, else h11 (pure Python): the
guard is the same on both. httptools has no limit of its own on the size of a request
head (h11 stops at 16 KiB), so on httptools the guard counts the head's bytes itself.

Each answer leaves in one write: uvicorn writes the status line and headers, then the
body, and over TLS each write is a record of its own and a ``send`` of its own. The
transport handed to uvicorn gathers the writes of one turn of the event loop and sends
them together (one TLS record, one segment), which saves about a tenth of a
``status`` request's CPU on both ends.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from tracktray.server.limits import Limits

__all__ = ["MAX_HEAD_BYTES", "guarded_protocol", "http_parser"]

#: a request head (request line and headers) larger than this is refused (h11's limit)
MAX_HEAD_BYTES = 16 * 1024
_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain\r\n"
    b"content-length: 32\r\nconnection: close\r\n\r\nThe request head is too large.\r\n"
)


def http_parser() -> str:
    """``"httptools"`` when it is installed (the faster parser), else ``"h11"``."""
    try:  # uvicorn's protocol module imports httptools itself
        import uvicorn.protocols.http.httptools_impl  # noqa: F401
    except ImportError:
        return "h11"
    return "httptools"


class _GatheredWrites:
    """A transport that sends what one turn of the event loop wrote in one write."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))

    def writelines(self, lines: Any) -> None:
        for data in lines:
            self.write(data)

    def flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending.clear()
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(len(d) for d in self._pending)

    def __getattr__(self, name: str) -> Any:  # pause_reading, get_extra_info, ...
        return getattr(self._transport, name)


def _base(parser: str) -> type[Any]:
    if parser == "httptools":
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        return HttpToolsProtocol
    return H11Protocol


def guarded_protocol(limits: Limits, parser: str | None = None) -> type[Any]:
    """A uvicorn protocol class (uvicorn's ``http=``) enforcing ``limits``, on
    ``parser`` (``"httptools"`` or ``"h11"``; the faster one installed by default)."""
    base = _base(parser or http_parser())

    class GuardedProtocol(base):  # type: ignore[misc,valid-type]
        _limits = limits

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._head_timer: asyncio.TimerHandle | None = None
            self._in_head = False  # between a message's first byte and its blank line
            self._head_bytes = 0

        def connection_made(self, transport: asyncio.Transport) -> None:
            super().connection_made(_GatheredWrites(transport, self.loop))
            if len(self.connections) > self._limits.max_connections:
                transport.abort()  # no answer: an answer would cost what we are saving
                return
            self._arm_head_timer()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm_head_timer()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._in_head:
                # every byte of a chunk in which a head began counts (h11 counts alike)
                self._head_bytes += len(data)
                if self._head_bytes > MAX_HEAD_BYTES:
                    self._refuse_head()
                    return
            if self._waiting_for_head():
                if self._head_timer is None:  # uvicorn's keep-alive timer was cancelled
                    self._arm_head_timer()
            else:
                self._disarm_head_timer()

        if hasattr(base, "on_message_begin"):  # httptools: no head limit of its own

            def on_message_begin(self) -> None:
                super().on_message_begin()
                self._in_head, self._head_bytes = True, 0

            def on_headers_complete(self) -> None:
                self._in_head = False
                super().on_headers_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()  # arms uvicorn's idle (keep-alive) timer
            self._disarm_head_timer()

        def shutdown(self) -> None:
            """Server shutdown: an idle connection is dropped at once. uvicorn closes it
            politely, and over TLS that waits up to 30 s for the client's close_notify,
            which a widget that keeps its connection open for the next poll never sends."""
            idle = self.cycle is None or self.cycle.response_complete
            super().shutdown()
            if idle:
                self.transport.abort()

        def _waiting_for_head(self) -> bool:
            return self.cycle is None or self.cycle.response_complete

        def _refuse_head(self) -> None:
            self._disarm_head_timer()
            self._in_head = False
            if not self.transport.is_closing():
                self.transport.write(_TOO_LARGE)
                self.transport.close()

        def _arm_head_timer(self) -> None:
            self._disarm_head_timer()
            self._head_timer = self.loop.call_later(
                self._limits.head_timeout_s, self._head_timed_out
            )

        def _disarm_head_timer(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_timed_out(self) -> None:
            self._head_timer = None
            if self._waiting_for_head():
                # abort, not close: a polite TLS close waits up to 30 s for the client's
                # close_notify, which a client that never finishes its head never sends
                self.transport.abort()

    return GuardedProtocol
