"""Server addresses, TLS settings and the package's public surface."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

import tracktray.api
from tracktray.api import ValidationFailed
from tracktray.api._http import (
    KEEPALIVE_EXPIRY_S,
    is_loopback_host,
    make_http_client,
    make_httpx_client,
    normalize_base_url,
)
from tracktray.api._keepalive import KeepAliveClient


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("https://tmp.example", "https://tmp.example/api/"),
        ("https://tmp.example/", "https://tmp.example/api/"),
        ("https://tmp.example/api", "https://tmp.example/api/"),
        ("https://tmp.example/api/", "https://tmp.example/api/"),
        ("HTTPS://TMP.Example:8443/API/", "https://tmp.example:8443/API/"),
        ("tmp.example", "https://tmp.example/api/"),
        ("https://tmp.example/tenant/api/?x=1#y", "https://tmp.example/tenant/api/"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/api/"),
        ("http://localhost/api/", "http://localhost/api/"),
        ("http://[::1]:9000", "http://[::1]:9000/api/"),
    ],
)
def test_same_server_whatever_the_spelling(given: str, canonical: str) -> None:
    assert normalize_base_url(given) == canonical


@pytest.mark.parametrize(
    ("given", "text"),
    [
        ("http://tmp.example/api/", "does not use https"),
        ("http://10.0.0.1/api/", "does not use https"),
        ("ftp://tmp.example", "not a valid server address"),
        ("https://", "not a valid server address"),
        ("https://user:pw@tmp.example", "not a valid server address"),
        ("https://tmp.example:99999", "not a valid server address"),
        ("   ", "empty"),
    ],
)
def test_bad_addresses_are_refused_with_a_sentence(given: str, text: str) -> None:
    with pytest.raises(ValidationFailed, match=text):
        normalize_base_url(given)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("10.0.0.1", False),
        ("example.org", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_an_accounts_client_is_the_standard_librarys_with_its_timeouts() -> None:
    http = make_http_client(connect_timeout=2, read_timeout=9, environ={})
    assert isinstance(http, KeepAliveClient)
    assert (http._connect_timeout, http._read_timeout) == (2, 9)
    http.close()
    assert http.is_closed


def test_a_proxy_in_the_environment_makes_an_httpx_client_that_uses_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import httpx

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    http = make_http_client()
    assert isinstance(http, httpx.Client)
    assert http.follow_redirects is False
    proxied = http._transport_for_url(httpx.URL("https://server.example/api/"))
    assert proxied is not http._transport  # the proxy's transport (httpx read the env)
    http.close()
    no_proxy = make_http_client(environ={"no_proxy": "*"})  # names no proxy
    assert isinstance(no_proxy, KeepAliveClient)


def test_the_httpx_client_has_the_same_timeouts_and_never_follows_redirects() -> None:
    with make_httpx_client(connect_timeout=2, read_timeout=9) as http:
        assert http.timeout.connect == 2
        assert http.timeout.read == 9
        assert http.follow_redirects is False
        pool = http._transport._pool  # type: ignore[attr-defined]
        assert pool._keepalive_expiry == KEEPALIVE_EXPIRY_S


def test_an_idle_connection_outlives_the_default_poll_interval() -> None:
    # a resting widget polls once a minute: the connection (and its TLS session) must
    # still be there for the next poll, not be closed after httpx's default 5 s
    from tracktray.store.settings import Preferences

    http = make_http_client(environ={})
    assert isinstance(http, KeepAliveClient)
    assert http._keepalive_expiry == KEEPALIVE_EXPIRY_S > Preferences().poll_interval_s


def test_a_missing_ca_file_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="cannot be used"):
        make_http_client(str(tmp_path / "nope.pem"))


def test_a_ca_file_is_the_only_trust(tmp_path: Path) -> None:
    import trustme

    ca = trustme.CA()
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    from tracktray.api._http import make_ssl_context

    context = make_ssl_context(str(pem))
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 1


def test_exported_members() -> None:
    exported = {name for name in dir(tracktray.api) if not name.startswith("_")}
    assert set(tracktray.api.__all__) <= exported | set(tracktray.api._LAZY)
    for name in tracktray.api.__all__:
        assert getattr(tracktray.api, name) is not None
    assert tracktray.api.__all__ == sorted(tracktray.api.__all__)


def test_the_clients_load_httpx_without_its_command_line_client() -> None:
    # httpx imports click, rich and pygments for its own CLI whenever they are installed
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from tracktray.api._http import make_httpx_client\n"
        "make_httpx_client().close()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'click', 'rich', 'pygments'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
