"""uvicorn's h11 protocol with the limits a server exposed to a network needs.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) but never one that
sends a request head slowly: a byte now and then keeps it open forever (2,000 such
connections held 414 MB after 40 s). This protocol closes a connection that has not
completed its request head within ``head_timeout_s`` of connecting or of its previous
answer, and refuses connections beyond ``max_connections`` by closing them at once.
On shutdown, idle keep-alive connections are dropped without waiting for the client.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from tracktray.server.limits import Limits

__all__ = ["guarded_protocol"]


def guarded_protocol(limits: Limits) -> type[H11Protocol]:
    """An ``H11Protocol`` class (uvicorn's ``http=``) enforcing ``limits``."""

    class GuardedH11Protocol(H11Protocol):
        _limits = limits

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > self._limits.max_connections:
                transport.abort()  # no answer: an answer would cost what we are saving
                return
            self._arm_head_timer()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm_head_timer()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._waiting_for_head():
                if self._head_timer is None:  # uvicorn's keep-alive timer was just cancelled
                    self._arm_head_timer()
            else:
                self._disarm_head_timer()

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

    return GuardedH11Protocol
