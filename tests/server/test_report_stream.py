"""``report.json`` over real HTTPS: a large answer streamed in slices, byte for byte what
the whole envelope was; refusals still ordinary answers (nothing sent before them)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Generator

import pytest
from sqlalchemy import insert
from starlette.responses import StreamingResponse

from tests.support.https_server import TrackMyPeopleServer
from tests.support.org import TestUser
from tracktray.api._http import make_http_client
from tracktray.api.trackmypeople import TrackMyPeopleClient
from tracktray.domain import ReportQuery
from tracktray.engine.reportsql import block_fields
from tracktray.engine.tables import blocks
from tracktray.server import trackmypeople_functions
from tracktray.server.streamed import MEMBERS_PER_SLICE, StreamedAnswer

START = dt.datetime(2025, 1, 1, 6, 0, tzinfo=dt.UTC)
#: the server's slice size in the tests over HTTPS (fewer blocks to write than its own)
SLICE = 256
FORM = {"start": "2025-01-01 00:00", "stop": "2025-03-01 00:00"}


def _history(server: TrackMyPeopleServer, user: TestUser, count: int) -> None:
    """``count`` blocks of 25 minutes, one every half hour, from 2025-01-01 on."""
    now = dt.datetime.now(dt.UTC)
    tracker = user.trackers["Acme/Website"]
    rows = [
        {
            "profile_id": user.profile_id,
            "tracker_id": tracker,
            "kind": "project",
            "start_utc": START + dt.timedelta(minutes=30 * i),
            "stop_utc": START + dt.timedelta(minutes=30 * i + 25),
            "description": f"block {i} “quoted” \\ \n",
            "free": i % 7 == 0,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(count)
    ]
    with server.engine.db.begin() as conn:
        conn.execute(insert(blocks), rows)


def _whole_envelope(server: TrackMyPeopleServer, user: TestUser) -> bytes:
    """The answer as the server wrote it before streaming: one dict, one json.dumps."""
    query = ReportQuery(start=dt.datetime(2025, 1, 1), stop=dt.datetime(2025, 3, 1))
    payload = {"result": 1}
    for block in server.engine.report(user.profile_id, query):
        payload[f"block_{block.id}"] = block_fields(block)  # type: ignore[assignment]
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def test_a_large_report_is_streamed_byte_for_byte(
    trackmypeople_server: TrackMyPeopleServer,
    server_user: TestUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(trackmypeople_functions, "MEMBERS_PER_SLICE", SLICE)  # (in-process)
    count = SLICE * 3 + 5
    _history(trackmypeople_server, server_user, count)
    with trackmypeople_server.client(server_user) as api:
        response = api.post("report.json", data=FORM)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in response.headers
        assert response.content == _whole_envelope(trackmypeople_server, server_user)
        body = response.json()
        assert body["result"] == 1 and len(body) == count + 1
        # the XML answer carries the same blocks
        xml = api.post("report.xml", data=FORM)
        root = ET.fromstring(xml.content)
        assert root.findtext("result") == "1" and len(root) == count + 1


def test_a_small_report_is_one_body_with_its_length(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser
) -> None:
    _history(trackmypeople_server, server_user, 3)
    with trackmypeople_server.client(server_user) as api:
        response = api.post("report.json", data=FORM)
        assert response.headers["content-length"] == str(len(response.content))
        assert response.content == _whole_envelope(trackmypeople_server, server_user)
        empty = api.post(
            "report.json", data={"start": "2030-01-01 00:00", "stop": "2030-02-01 00:00"}
        )
        assert empty.content == b'{"result":1}'


def test_refusals_are_whole_answers_before_any_block(
    trackmypeople_server: TrackMyPeopleServer,
    server_user: TestUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(trackmypeople_functions, "MEMBERS_PER_SLICE", SLICE)
    _history(trackmypeople_server, server_user, SLICE * 2)
    other = trackmypeople_server.new_user()
    with trackmypeople_server.client(server_user) as api:
        for form, error in (
            ({**FORM, "timezone": "Mars/Olympus"}, "not a known time zone"),
            ({**FORM, "profile_id": str(other.profile_id)}, "not allowed"),
            ({"start": "2025-03-01 00:00", "stop": "2025-01-01 00:00"}, "start must be before"),
        ):
            response = api.post("report.json", data=form)
            assert response.status_code == 200
            assert response.headers["content-length"] == str(len(response.content))
            body = response.json()
            assert body["result"] == 0 and error in body["error"]


def test_the_widget_client_reads_a_streamed_report(
    trackmypeople_server: TrackMyPeopleServer,
    server_user: TestUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(trackmypeople_functions, "MEMBERS_PER_SLICE", SLICE)
    _history(trackmypeople_server, server_user, SLICE * 2 + 1)
    with TrackMyPeopleClient(
        trackmypeople_server.api_url,
        server_user.username,
        server_user.password,
        http=make_http_client(str(trackmypeople_server.ca_file)),
        owns_http=True,
    ) as client:
        got = client.report(
            ReportQuery(start=dt.datetime(2025, 1, 1), stop=dt.datetime(2025, 3, 1))
        )
    want = trackmypeople_server.engine.report(
        server_user.profile_id,
        ReportQuery(start=dt.datetime(2025, 1, 1), stop=dt.datetime(2025, 3, 1)),
    )
    assert [(b.id, b.time_in, b.time_out, b.total_s, b.free) for b in got] == [
        (b.id, b.time_in, b.time_out, b.total_s, b.free) for b in want
    ]


@pytest.mark.parametrize(
    "count", [0, 1, MEMBERS_PER_SLICE, MEMBERS_PER_SLICE + 1, 2 * MEMBERS_PER_SLICE]
)
def test_the_slices_add_up_to_the_envelope(count: int) -> None:
    payload: dict[str, object] = {"result": 1}
    payload.update({f"block_{i}": {"Id": i, "Description": "é\n"} for i in range(count)})
    members = [
        f'"block_{i}":' + json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        for i, v in enumerate(list(payload.values())[1:])
    ]
    response = StreamedAnswer(_sliced(members)).response()

    async def body() -> bytes:
        if isinstance(response, StreamingResponse):
            return b"".join([c async for c in response.body_iterator if isinstance(c, bytes)])
        return bytes(response.body)

    want = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    assert asyncio.run(body()) == want
    assert isinstance(response, StreamingResponse) == (count > MEMBERS_PER_SLICE)


def test_the_event_loop_runs_between_slices() -> None:
    """The server's transport sends what one turn of the loop wrote: a slice is only
    sent, and flow control only heard, if the loop runs before the next slice."""
    members = [f'"block_{i}":{{}}' for i in range(MEMBERS_PER_SLICE * 3)]
    response = StreamedAnswer(_sliced(members)).response()
    assert isinstance(response, StreamingResponse)

    async def turns_seen_at_each_slice() -> list[int]:
        loop = asyncio.get_running_loop()
        turns: list[int] = []
        seen = []
        async for _chunk in response.body_iterator:
            seen.append(len(turns))
            loop.call_soon(turns.append, 1)
        return seen

    assert asyncio.run(turns_seen_at_each_slice()) == [0, 1, 2, 3]  # 3 slices and "}"


def test_a_failure_after_the_first_slices_ends_the_stream_without_its_brace() -> None:
    def failing() -> Generator[str, None, None]:
        yield from _sliced([f'"block_{i}":{i}' for i in range(MEMBERS_PER_SLICE * 3)])
        raise OSError("disk I/O error")

    response = StreamedAnswer(failing()).response()
    assert isinstance(response, StreamingResponse)
    sent: list[bytes] = []

    async def send_all() -> None:
        async for chunk in response.body_iterator:
            sent.append(bytes(chunk) if not isinstance(chunk, str) else chunk.encode())

    with pytest.raises(OSError, match="disk I/O error"):
        asyncio.run(send_all())
    last = MEMBERS_PER_SLICE * 3 - 1
    assert len(sent) == 3 and b"".join(sent).endswith(f',"block_{last}":{last}'.encode())


def test_a_client_that_goes_away_ends_the_reading_and_its_transaction() -> None:
    closed = threading.Event()

    def endless() -> Generator[str, None, None]:
        try:
            while True:
                yield ",".join(['"block_1":{}'] * MEMBERS_PER_SLICE)
        finally:
            closed.set()  # where the engine's read transaction ends

    response = StreamedAnswer(endless()).response()
    assert isinstance(response, StreamingResponse)

    async def read_three() -> None:
        iterator = response.body_iterator
        for _ in range(3):
            await anext(iterator)  # type: ignore[call-overload]
        await iterator.aclose()  # type: ignore[attr-defined]

    asyncio.run(read_three())
    assert closed.wait(10)


def _sliced(members: list[str]) -> Generator[str, None, None]:
    """``members`` as the engine hands them over."""
    for first in range(0, len(members), MEMBERS_PER_SLICE):
        yield ",".join(members[first : first + MEMBERS_PER_SLICE])
