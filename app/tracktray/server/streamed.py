"""The ``report`` answer in JSON, sent in pieces as it is encoded.

A year of a busy person is ~50,000 blocks, an answer of ~8.5 MB. Built as one dict, then
one JSON string, then one bytes object, it sat in memory three times over (and as
50,000 dicts before that). Here the engine hands over the answer's members as the
database wrote them (``"block_<id>":{...}``), everything that can fail has already
happened (a refusal is an ordinary envelope, never a broken stream), and the body is
encoded a slice at a time while it is sent: chunked transfer encoding when it is larger
than one slice, an ordinary body with ``Content-Length`` otherwise. The bytes are those
:func:`tracktray.server.envelope.render` writes for the same answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from starlette.responses import Response, StreamingResponse

__all__ = ["MEMBERS_PER_SLICE", "StreamedAnswer"]

#: members encoded and sent at a time: ~170 bytes each, so ~85 KB a slice
MEMBERS_PER_SLICE = 512
_OPEN = '{"result":1'
_MEDIA = "application/json"


class StreamedAnswer:
    """A successful JSON answer ``{"result":1,<member>,<member>,...}``."""

    def __init__(self, members: list[str]) -> None:
        self.members = members

    def response(self) -> Response:
        members = self.members
        if len(members) <= MEMBERS_PER_SLICE:
            body = _OPEN + "".join("," + m for m in members) + "}"
            return Response(body.encode(), media_type=_MEDIA)
        return StreamingResponse(self._slices(), media_type=_MEDIA)

    async def _slices(self) -> AsyncIterator[bytes]:
        # Encoded on the event loop: a slice takes well under a millisecond, less than
        # a trip to a worker thread and back would.
        members = self.members
        last = len(members)
        for first in range(0, last, MEMBERS_PER_SLICE):
            upto = first + MEMBERS_PER_SLICE
            text = ",".join(members[first:upto])
            head = _OPEN + "," if first == 0 else ","
            tail = "}" if upto >= last else ""
            yield (head + text + tail).encode()
            # Let the loop run between slices: the server's transport sends what one
            # turn wrote (server/protocol.py), and only a sent slice can tell uvicorn
            # to wait for the client (flow control). Without this the whole answer
            # was gathered, joined and buffered in one turn: three copies of 8.5 MB.
            await asyncio.sleep(0)
