"""The standard library's keep-alive client (``api/_keepalive.py``), the HTTP client of every
server account, against the real engine over real HTTPS and against servers that misbehave
on purpose: one connection carried from call to call, never one the server has closed or
one kept past its expiry, two threads at once, timeouts, compressed answers — each failure
in the sentence httpx's error for it gets."""

from __future__ import annotations

import datetime as dt
import gzip
import select
import threading
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import odd_https, timetrack_fixtures
from tests.support.https_server import start_trackmypeople_server
from tests.support.odd_https import Starter, answer_with
from tracktray.api import ServerUnavailable, TrackMyPeopleClient, TrackTrayError
from tracktray.api._faults import AnswerLost
from tracktray.api._http import (
    KEEPALIVE_EXPIRY_S,
    USER_AGENT,
    make_http_client,
    make_httpx_client,
    make_ssl_context,
)
from tracktray.api._keepalive import KeepAliveClient, ascii_host_name
from tracktray.api._retry import RetryPolicy

odd_server = odd_https.odd_server
timetrack_server = timetrack_fixtures.timetrack_server

Server = Any  # tests.support.server_fixtures.TrackMyPeopleServer


def _client(ca_file: object, **settings: Any) -> KeepAliveClient:
    chosen: dict[str, Any] = {
        "connect_timeout": 5.0,
        "read_timeout": 10.0,
        "keepalive_expiry": KEEPALIVE_EXPIRY_S,
        "user_agent": USER_AGENT,
    }
    return KeepAliveClient(make_ssl_context(str(ca_file)), **{**chosen, **settings})


def _counting_connects(http: KeepAliveClient, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every new connection ``http`` opens, from now on."""
    opened: list[object] = []
    connect = http._connect

    def counted(origin: Any) -> Any:
        opened.append(origin)
        return connect(origin)

    monkeypatch.setattr(http, "_connect", counted)
    return opened


def _account(server: Server, user: Any, http: Any) -> TrackMyPeopleClient:
    return TrackMyPeopleClient(
        server.api_url,
        user.username,
        user.password,
        http=http,
        owns_http=True,
        retry=RetryPolicy(attempts=1),
    )


def _idle_socket(http: KeepAliveClient) -> Any:
    assert http._idle is not None
    return http._idle[1].sock


def test_one_connection_carries_every_call(
    trackmypeople_server: Server, server_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    http = _client(trackmypeople_server.ca_file)
    opened = _counting_connects(http, monkeypatch)
    with _account(trackmypeople_server, server_user, http) as account:
        account.status()
        sock = _idle_socket(http)
        port = sock.getsockname()[1]
        assert account.start().running is not None
        account.stop()
        assert account.status().running is None
        assert _idle_socket(http) is sock and sock.getsockname()[1] == port
    assert len(opened) == 1
    assert http.is_closed and http._idle is None and sock.fileno() == -1


def test_a_connection_the_server_closed_is_not_reused_and_the_write_goes_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = start_trackmypeople_server(tmp_path / "server", idle_timeout_s=1)  # < ours
    try:
        user = server.new_user()
        http = _client(server.ca_file)
        opened = _counting_connects(http, monkeypatch)
        with _account(server, user, http) as account:
            account.status()
            idle = http._idle[1] if http._idle else None
            assert idle is not None and idle.sock is not None
            readable, _, _ = select.select([idle.sock], [], [], 10)  # the server hangs up
            assert readable
            started = account.start()  # no AnswerLost: sent once, on a new connection
            assert started.running is not None and len(opened) == 2
            assert idle.sock is None  # the closed one was dropped, not reused
            assert account.status().running == started.running
    finally:
        server.stop()


def test_a_write_on_a_connection_that_died_unseen_is_rechecked_not_sent_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server closes the connection just as the request leaves (no EOF to see yet):
    # the start's answer is lost, the client asks the status, and sends it once more only
    # because it did not happen.
    server = start_trackmypeople_server(tmp_path / "server", idle_timeout_s=1)
    try:
        user = server.new_user()
        http = _client(server.ca_file)
        with _account(server, user, http) as account:
            account.status()
            idle = http._idle[1] if http._idle else None
            assert idle is not None and idle.sock is not None
            select.select([idle.sock], [], [], 10)
            monkeypatch.setattr(type(idle), "still_open", lambda self: True)  # unseen
            sent: list[str] = []
            send = type(idle).send

            def counted(self: Any, method: str, target: str, *args: Any) -> None:
                sent.append(target.rsplit("/", 1)[-1])
                send(self, method, target, *args)

            monkeypatch.setattr(type(idle), "send", counted)
            started = account.start()
            assert started.running is not None
            # the lost start, the status that shows it did not happen, the start again
            assert sent == ["start.json", "status.json", "start.json"]
            monkeypatch.undo()
            blocks = account.report(_today(started))
            assert len(blocks) == 1  # one block: the start was not counted twice
    finally:
        server.stop()


def _today(status: Any) -> Any:
    from tracktray.domain import ReportQuery

    began = status.running.started_at
    return ReportQuery(start=began - dt.timedelta(minutes=1), include_open=True)


def test_an_idle_connection_expires(
    trackmypeople_server: Server, server_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [0.0]
    http = _client(trackmypeople_server.ca_file, clock=lambda: now[0])
    opened = _counting_connects(http, monkeypatch)
    with _account(trackmypeople_server, server_user, http) as account:
        account.status()
        first = _idle_socket(http)
        now[0] += KEEPALIVE_EXPIRY_S - 1
        account.status()
        assert _idle_socket(http) is first  # still within the expiry: reused
        now[0] += KEEPALIVE_EXPIRY_S
        account.status()
        assert _idle_socket(http) is not first and first.fileno() == -1
    assert len(opened) == 2


def test_two_threads_share_the_client_over_at_most_two_connections(
    trackmypeople_server: Server, server_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    http = _client(trackmypeople_server.ca_file)
    opened = _counting_connects(http, monkeypatch)
    failures: list[BaseException] = []
    with _account(trackmypeople_server, server_user, http) as account:
        together = threading.Barrier(2)

        def poll() -> None:
            try:
                together.wait(10)
                for _ in range(15):
                    account.status()
            except BaseException as exc:  # reported below
                failures.append(exc)

        threads = [threading.Thread(target=poll) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert failures == []
    assert 1 <= len(opened) <= 2


def _held(release: threading.Event, arrived: threading.Semaphore) -> odd_https.Handler:
    """A server that holds every request until ``release`` is set."""
    answer = answer_with(200, "application/json", b'{"result": 1}')

    def hold(handler: odd_https.Request) -> None:
        arrived.release()
        release.wait(30)
        answer(handler)

    return hold


def test_a_request_waits_for_one_of_the_two_connections_and_says_when_none_frees(
    odd_server: Starter,
) -> None:
    release, arrived = threading.Event(), threading.Semaphore(0)
    url, ca = odd_server(_held(release, arrived))
    http = _client(ca, pool_timeout=0.2)
    answers: list[int] = []
    threads = [
        threading.Thread(target=lambda: answers.append(http.request("POST", url).status_code))
        for _ in range(2)
    ]
    try:
        for thread in threads:
            thread.start()
        assert arrived.acquire(timeout=10) and arrived.acquire(timeout=10)  # both held
        account = TrackMyPeopleClient(
            url, "u", "p", http=http, owns_http=True, retry=RetryPolicy(attempts=1)
        )
        with pytest.raises(ServerUnavailable) as caught:
            account.status()
        where = url.split("/")[2]
        assert str(caught.value) == f"No connection to the server at {where} became free in time."
    finally:
        release.set()
        for thread in threads:
            thread.join(10)
    assert answers == [200, 200]


def test_an_answer_that_never_comes_is_the_same_sentence_as_httpx(odd_server: Starter) -> None:
    release, arrived = threading.Event(), threading.Semaphore(0)
    url, ca = odd_server(_held(release, arrived))
    sentences = []
    try:
        for http in (
            make_http_client(ca, read_timeout=0.3, environ={}),
            make_httpx_client(ca, read_timeout=0.3),
        ):
            with (
                TrackMyPeopleClient(
                    url, "u", "p", http=http, owns_http=True, retry=RetryPolicy(attempts=1)
                ) as account,
                pytest.raises(AnswerLost) as caught,
            ):
                account.status()
            sentences.append(str(caught.value))
    finally:
        release.set()
    assert sentences[0] == sentences[1]
    assert sentences[0].endswith("did not answer in time; try again later.")


BODY = b'{"result": 1, "note": "' + b"x" * 2000 + b'"}'


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("coding", "packed"),
    [
        ("gzip", gzip.compress(BODY)),
        ("deflate", zlib.compress(BODY)),  # zlib-wrapped, as the RFC says
        ("deflate", _raw_deflate(BODY)),  # raw, as some servers send it
        ("br", BODY),  # a coding never offered: passed on as it came
    ],
    ids=["gzip", "deflate", "raw-deflate", "not-offered"],
)
def test_a_compressed_answer_is_read_as_httpx_reads_it(
    odd_server: Starter, coding: str, packed: bytes
) -> None:
    offered: list[str] = []
    body = BODY
    compressed = answer_with(200, "application/json", packed, {"Content-Encoding": coding})

    def answer(handler: odd_https.Request) -> None:
        offered.append(handler.headers.get("Accept-Encoding", ""))
        compressed(handler)

    url, ca = odd_server(answer)
    mine = make_http_client(ca, environ={})
    theirs = make_httpx_client(ca)
    try:
        assert mine.request("POST", url).content == body
        assert theirs.request("POST", url).content == body
        assert mine.request("POST", url).json() == theirs.request("POST", url).json()
    finally:
        mine.close()
        theirs.close()
    assert offered[0] == offered[1] == "gzip, deflate"


def test_json_bodies_and_parameters_are_the_ones_httpx_sends(odd_server: Starter) -> None:
    seen: list[tuple[str, bytes, list[tuple[str, str]]]] = []
    ok = answer_with(200, "application/json", b"{}")

    def answer(handler: odd_https.Request) -> None:
        seen.append((handler.path, handler.body, sorted(handler.headers.items())))
        ok(handler)

    url, ca = odd_server(answer)

    def send(http_client: Any) -> None:
        http_client.request(
            "PUT",
            url + "attendances/7?replaced=1",
            params={"date": "2026-11-29T08:00:00Z", "name": "a b&c"},
            json={"note": "café", "minutes": 5},
            headers={"X-TimeTrack-Api-Key": "k", "Accept": "application/json"},
        )
        http_client.close()

    send(make_http_client(ca, environ={}))
    send(make_httpx_client(ca))
    assert seen[0] == seen[1]


def test_a_header_that_cannot_be_sent_is_the_same_sentence_as_httpx(
    timetrack_server: Any, server_user: Any
) -> None:
    from tracktray.api import TimeTrackClient

    errors = []
    for http in (
        make_http_client(timetrack_server.ca_file, environ={}),
        make_httpx_client(timetrack_server.ca_file),
    ):
        client = TimeTrackClient(
            timetrack_server.base_url,
            server_user.username,
            "k€y",  # HTTP headers are Latin-1 at most
            timetrack_server.secret,
            http=http,
            owns_http=True,
            retry=RetryPolicy(attempts=1),
        )
        with pytest.raises(TrackTrayError) as caught:
            client.status()
        client.close()
        errors.append(caught.value)
    assert type(errors[0]) is type(errors[1])
    assert str(errors[0]) == str(errors[1])


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "Server.Example.", "tmp.example", "a" * 63 + ".example", "::1"],
)
def test_an_ascii_host_name_is_passed_as_the_idna_codec_would(host: str) -> None:
    assert ascii_host_name(host) == host.encode("idna")


@pytest.mark.parametrize("host", ["a" * 64 + ".example", "x..y", "bücher.example", "b" * 64])
def test_any_other_host_name_is_left_to_the_idna_codec(host: str) -> None:
    assert ascii_host_name(host) == host


def test_a_server_account_asks_without_httpx_http_client_or_the_idna_codec(
    trackmypeople_server: Server, server_user: Any
) -> None:
    probe = (
        "import sys\n"
        "from tracktray.api import TrackMyPeopleClient, make_http_client\n"
        "url, user, password, ca = sys.argv[1:]\n"
        "client = TrackMyPeopleClient(url, user, password, http=make_http_client(ca),"
        " owns_http=True)\n"
        "client.status()\n"
        "client.close()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'httpx', 'httpcore', 'h11', 'anyio', 'idna', 'sniffio', 'http', 'email'}),"
        " 'encodings.idna' in sys.modules)\n"
    )
    assert trackmypeople_server.run_probe(server_user, probe) == "[] False"


def test_a_closed_client_refuses_as_httpx_does() -> None:
    http = make_http_client(environ={})
    http.close()
    with pytest.raises(RuntimeError, match="closed"):
        http.request("GET", "https://127.0.0.1:1/")
    with httpx.Client() as theirs:
        pass
    with pytest.raises(RuntimeError, match="closed"):
        theirs.request("GET", "https://127.0.0.1:1/")
