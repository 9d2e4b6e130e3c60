"""Browser-facing protection: cross-site writes refused, security headers on HTML pages,
TLS 1.2 with AEAD suites only."""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.https_server import TrackMyPeopleServer
from tests.support.org import TestUser


def _form_post(
    server: TrackMyPeopleServer, user: TestUser, headers: dict[str, str]
) -> httpx.Response:
    with server.client(user) as api:
        return api.post("start.json", data={}, headers=headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://sub.example"},
    ],
)
def test_cross_site_form_posts_are_refused_and_change_nothing(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser, headers: dict[str, str]
) -> None:
    response = _form_post(trackmypeople_server, server_user, headers)
    assert response.status_code == 403
    assert "other web sites" in response.text
    with trackmypeople_server.client(server_user) as api:
        assert "last_block" not in api.post("status.json").json()


def test_a_cross_site_timetrack_call_gets_the_errors_body(
    trackmypeople_server: TrackMyPeopleServer,
) -> None:
    response = httpx.get(
        f"{trackmypeople_server.origin}/api/v2/ext/clients",
        headers={"Sec-Fetch-Site": "cross-site"},
        verify=trackmypeople_server.ssl_context(),
        timeout=30,
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["status"] == 403


def test_same_origin_and_widget_requests_are_served(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser
) -> None:
    host = urlsplit(trackmypeople_server.origin).netloc
    same = {"Origin": trackmypeople_server.origin, "Sec-Fetch-Site": "same-origin", "Host": host}
    assert _form_post(trackmypeople_server, server_user, same).json()["result"] == 1
    with trackmypeople_server.client(server_user) as api:  # a widget: neither header
        assert api.post("stop.json").json()["result"] == 1


def test_html_pages_carry_security_headers(
    trackmypeople_server: TrackMyPeopleServer, server_user: TestUser
) -> None:
    with trackmypeople_server.client(server_user) as api:
        block = api.post("start.json").json()
        assert block["result"] == 1
        report = api.post("report.json", data={"include_open": "1"}).json()
        [block_id] = [b["Id"] for k, b in report.items() if k.startswith("block_")]
        page = api.get(f"{trackmypeople_server.origin}/blocks/{block_id}/edit")
        api.post("stop.json")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    missing = httpx.get(
        f"{trackmypeople_server.origin}/blocks/999999/edit",
        auth=("nobody", "wrong"),
        verify=trackmypeople_server.ssl_context(),
        timeout=30,
    )
    assert missing.headers["x-content-type-options"] == "nosniff"


def _handshake(server: TrackMyPeopleServer, ciphers: str) -> str:
    context = ssl.create_default_context(cafile=str(server.ca_file))
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(ciphers)
    parts = urlsplit(server.origin)
    assert parts.hostname is not None and parts.port is not None
    with (
        socket.create_connection((parts.hostname, parts.port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=parts.hostname) as tls,
    ):
        cipher = tls.cipher()
        assert cipher is not None
        return cipher[0]


def test_tls12_offers_only_aead_suites_with_forward_secrecy(
    trackmypeople_server: TrackMyPeopleServer,
) -> None:
    assert "GCM" in _handshake(trackmypeople_server, "ECDHE+AESGCM")
    assert "CHACHA20" in _handshake(trackmypeople_server, "ECDHE+CHACHA20")
    for legacy in ("ECDHE+AES+SHA1", "ECDHE+AES+SHA256:ECDHE+AES+SHA384", "AES128-SHA"):
        with pytest.raises(ssl.SSLError):
            _handshake(trackmypeople_server, legacy + ":!AESGCM:!CHACHA20")


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion:DeprecationWarning")
def test_tls_below_1_2_is_refused(trackmypeople_server: TrackMyPeopleServer) -> None:
    context = ssl.create_default_context(cafile=str(trackmypeople_server.ca_file))
    try:
        context.minimum_version = ssl.TLSVersion.TLSv1_1
        context.maximum_version = ssl.TLSVersion.TLSv1_1
    except ValueError:
        pytest.skip("this OpenSSL cannot even offer TLS 1.1")
    parts = urlsplit(trackmypeople_server.origin)
    assert parts.hostname is not None and parts.port is not None
    with (
        socket.create_connection((parts.hostname, parts.port), timeout=10) as raw,
        pytest.raises(ssl.SSLError),
    ):
        context.wrap_socket(raw, server_hostname=parts.hostname)
