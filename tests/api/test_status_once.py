"""The standard library's client says what httpx said: ``tracktray status``'s one request
(over the widget's own client, ``_keepalive.py``) against :class:`TrackMyPeopleClient`
over httpx (the client behind a proxy, and every account's client before).

Against the real engine over real HTTPS (its own CA), and against a real HTTPS server that
answers garbage: the same status, and every failure the same error with the same sentence.
"""

from __future__ import annotations

import http.server
import socket
from typing import Any

import pytest

from tests.support import odd_https
from tests.support.odd_https import Handler, Starter, answer_with
from tracktray.api import (
    AuthenticationFailed,
    ProtocolError,
    ServerUnavailable,
    TrackMyPeopleClient,
    TrackTrayError,
)
from tracktray.api._faults import AnswerLost, CertificateNotTrusted
from tracktray.api._http import make_httpx_client
from tracktray.api._retry import RetryPolicy
from tracktray.api.status_once import trackmypeople_status

odd_server = odd_https.odd_server
_body = answer_with

Server = Any  # tests.support.server_fixtures.TrackMyPeopleServer


def _no_wait(waits: list[float]) -> RetryPolicy:
    return RetryPolicy(attempts=3, sleep=waits.append, jitter=lambda: 0.0)


def _by_client(url: str, username: str, password: str, ca_file: str | None) -> Any:
    client = TrackMyPeopleClient(
        url, username, password, http=make_httpx_client(ca_file), owns_http=True, retry=_no_wait([])
    )
    try:
        return client.status()
    finally:
        client.close()


def _both_fail(
    url: str, username: str, password: str, ca_file: str | None
) -> tuple[TrackTrayError, TrackTrayError]:
    """The error of the one request and the client's, for the same call."""
    with pytest.raises(TrackTrayError) as once:
        trackmypeople_status(
            url, username, password, ca_file=ca_file, retry=_no_wait([]), environ={}
        )
    with pytest.raises(TrackTrayError) as client:
        _by_client(url, username, password, ca_file)
    return once.value, client.value


def test_the_status_is_the_one_the_client_reads(
    trackmypeople_server: Server, server_user: Any
) -> None:
    ca = str(trackmypeople_server.ca_file)
    ask = (trackmypeople_server.api_url, server_user.username, server_user.password)
    once = trackmypeople_status(*ask, ca_file=ca, environ={})
    assert once is not None and once.running is None and once.default_tracker is not None
    assert once == _by_client(*ask, ca).replace(fetched_at=once.fetched_at)

    with trackmypeople_server.client(server_user) as http:
        assert http.post("start.json").json()["result"] == 1
    running = trackmypeople_status(*ask, ca_file=ca, environ={})
    assert running is not None and running.running is not None
    assert running == _by_client(*ask, ca).replace(fetched_at=running.fetched_at)


def test_a_wrong_password_is_the_same_sentence(
    trackmypeople_server: Server, server_user: Any
) -> None:
    once, client = _both_fail(
        trackmypeople_server.api_url,
        server_user.username,
        "not-the-password",
        str(trackmypeople_server.ca_file),
    )
    assert type(once) is type(client) is AuthenticationFailed
    assert str(once) == str(client)


def test_a_server_nobody_answers_at_is_the_same_sentence_after_the_same_retries() -> None:
    with socket.socket() as probe:  # a free port, closed again: nobody listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"https://127.0.0.1:{port}/api/"
    waits: list[float] = []
    with pytest.raises(ServerUnavailable) as once:
        trackmypeople_status(url, "u", "p", retry=_no_wait(waits), environ={})
    assert len(waits) == 2  # tried three times, as every read
    _, client = _both_fail(url, "u", "p", None)
    assert (
        str(once.value)
        == str(client)
        == (f"Nobody answers at the server at 127.0.0.1:{port} (connection refused).")
    )


def test_a_host_name_that_cannot_be_encoded_is_the_same_sentence() -> None:
    url = f"https://{'a' * 64}.example/api/"  # a label longer than IDNA allows
    once, client = _both_fail(url, "u", "p", None)
    assert type(once) is type(client) is ProtocolError
    assert str(once) == str(client) and "cannot be reached with this address" in str(once)


def test_an_untrusted_certificate_is_the_same_sentence_and_never_retried(
    trackmypeople_server: Server, server_user: Any
) -> None:
    waits: list[float] = []
    ask = (trackmypeople_server.api_url, server_user.username, server_user.password)
    with pytest.raises(CertificateNotTrusted) as once:
        trackmypeople_status(*ask, retry=_no_wait(waits), environ={})  # system CAs only
    assert waits == []
    _, client = _both_fail(*ask, None)
    assert str(once.value) == str(client)


@pytest.mark.parametrize(
    ("answer", "error", "sentence"),
    [
        (_body(200, "application/json", b"{not json"), ProtocolError, "is not TrackMyPeople"),
        (_body(200, "text/html", b"<html>Sign in</html>"), ProtocolError, "a web page"),
        (_body(200, "application/json", b'{"result": 1, "daytotal": "soon"}'), ProtocolError, ""),
        (_body(200, "application/json", b'{"result": 0}'), TrackTrayError, "refused the status"),
        (_body(503, "text/plain", b"down"), ServerUnavailable, "HTTP 503"),
        (_body(404, "text/html", b"<html/>"), ProtocolError, "HTTP 404"),
        (
            _body(302, "text/html", b"", {"Location": "https://sso.example/login"}),
            ProtocolError,
            "redirected to https://sso.example/login (probably a login page)",
        ),
        (
            _body(200, "application/json", b"not gzip", {"Content-Encoding": "gzip"}),
            ProtocolError,
            "sent an answer that cannot be read",
        ),
    ],
    ids=["not-json", "html", "bad-field", "refused", "503", "404", "redirect", "bad-gzip"],
)
def test_a_malformed_or_refusing_answer_is_the_same_error(
    odd_server: Starter,
    answer: Handler,
    error: type[TrackTrayError],
    sentence: str,
) -> None:
    url, ca = odd_server(answer)
    once, client = _both_fail(url, "u", "p", ca)
    assert type(once) is type(client) and isinstance(once, error)
    assert str(once) == str(client) and sentence in str(once)


def test_a_connection_closed_before_the_answer_is_an_answer_lost(
    odd_server: Starter,
) -> None:
    def hang_up(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)

    url, ca = odd_server(hang_up)
    once, client = _both_fail(url, "u", "p", ca)
    assert type(once) is type(client) is AnswerLost
    assert str(once) == str(client)


def test_a_proxy_in_the_environment_leaves_the_request_to_httpx() -> None:
    url = "https://127.0.0.1:1/api/"  # nobody listens on port 1
    for proxied in ({"HTTPS_PROXY": "http://proxy.example:3128"}, {"all_proxy": "socks5://p"}):
        assert trackmypeople_status(url, "u", "p", environ=proxied) is None
    with pytest.raises(ServerUnavailable):  # "no proxy for…" alone names no proxy
        trackmypeople_status(url, "u", "p", environ={"no_proxy": "*"}, retry=_no_wait([]))


def test_the_one_request_loads_only_what_it_needs(
    trackmypeople_server: Server, server_user: Any
) -> None:
    """``tracktray status`` on a server account (docs/cli.md): the request's own imports,
    without what another HTTP client or a retry would bring."""
    needless = (
        "email",  # http.client's header parser: httptools parses the answer
        "http",
        "random",  # only when a read is tried again
        "calendar",
        "httpx",
        "dataclasses",
        "certifi",  # the account names its CA file
    )
    probe = (
        "import sys\n"
        "from tracktray.api.status_once import trackmypeople_status\n"
        "url, user, password, ca = sys.argv[1:]\n"
        "assert trackmypeople_status(url, user, password, ca_file=ca, environ={}) is not None\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({needless!r})))\n"
    )
    assert trackmypeople_server.run_probe(server_user, probe) == "[]"
