"""The ``report`` answer in JSON, sent in slices while the database still writes the rest.

A year of a busy person is ~50,000 blocks, an answer of ~8.5 MB whose members the
database writes (``"block_<id>":{...}``, :mod:`tracktray.engine.reportsql`) in ~0.15 s.
Nothing of it is kept whole: the engine hands the members over a slice at a time
(:meth:`tracktray.engine.Engine.report_member_slices`), and the first two slices are read
where the call runs, so that everything that can refuse the report has happened before
anything is sent (a refusal is an ordinary envelope, never a broken stream). An answer of
one slice is an ordinary body with ``Content-Length``; a larger one is sent with chunked
transfer encoding while a thread of its own reads the rest: the client receives (and
TLS encrypts and decrypts) the first slices while the database writes the last ones,
instead of after. The bytes are those :func:`tracktray.server.envelope.render` writes
for the same answer. Should the database fail after the first slice went out, the
connection is closed before the closing brace: the client sees a broken answer, never a
wrong one.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
from collections.abc import AsyncIterator, Generator

from starlette.responses import Response, StreamingResponse

__all__ = ["MEMBERS_PER_SLICE", "StreamedAnswer"]

#: members read, encoded and sent at a time: ~170 bytes each, so ~350 KB a slice (512
#: cost the server ~5 % more CPU: each slice wakes the event loop and hands it the GIL)
MEMBERS_PER_SLICE = 2048
_OPEN = '{"result":1'
_MEDIA = "application/json"

#: the answer's members, a slice at a time, each slice's members joined by commas
Slices = Generator[str, None, None]
#: what the reading thread hands the event loop: a slice, the end (None), or a failure
_Handed = bytes | Exception | None


class StreamedAnswer:
    """A successful JSON answer ``{"result":1,<member>,<member>,...}``."""

    def __init__(self, slices: Slices) -> None:
        """Reads the first two slices now (a refusal raises here, where the engine call
        runs); the rest is read while the answer is sent."""
        self._head = list(itertools.islice(slices, 2))
        self._rest = slices

    def response(self) -> Response:
        if len(self._head) < 2:  # the generator is done: one slice or none
            body = _OPEN + "".join("," + members for members in self._head) + "}"
            return Response(body.encode(), media_type=_MEDIA)
        return StreamingResponse(self._slices(), media_type=_MEDIA)

    async def _slices(self) -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        handed: asyncio.Queue[_Handed] = asyncio.Queue()
        stop = threading.Event()
        reader = threading.Thread(
            target=self._read_rest, args=(loop, handed, stop), name="report-slices", daemon=True
        )
        reader.start()
        try:
            for i, members in enumerate(self._head):
                yield ((_OPEN + "," if i == 0 else ",") + members).encode()
                await asyncio.sleep(0)
            self._head.clear()
            while (item := await handed.get()) is not None:
                if isinstance(item, Exception):
                    raise item
                yield item
                # Let the loop run between slices: the server's transport sends what
                # one turn wrote (server/protocol.py), and only a sent slice can tell
                # uvicorn to wait for the client (flow control). Slices the reader
                # handed over meanwhile would otherwise be joined and buffered at once.
                await asyncio.sleep(0)
            yield b"}"
        finally:
            stop.set()  # the client went away: the reader closes the transaction

    def _read_rest(
        self, loop: asyncio.AbstractEventLoop, handed: asyncio.Queue[_Handed], stop: threading.Event
    ) -> None:
        """The reading thread: encodes each slice and hands it to the event loop, as
        fast as the database writes them (the read transaction never waits for a slow
        client; at most the answer's bytes wait in the queue)."""

        def hand(item: _Handed) -> None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits
                loop.call_soon_threadsafe(handed.put_nowait, item)

        try:
            for members in self._rest:
                if stop.is_set():
                    return
                hand(("," + members).encode())
            hand(None)
        except Exception as exc:  # handed on: the stream ends without its closing brace
            hand(exc)
        finally:
            self._rest.close()
