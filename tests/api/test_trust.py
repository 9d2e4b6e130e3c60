"""Whom a server account without its own CA file trusts (``api/_trust.py``): the system's
store, a hashed directory read lazily, a chosen file as OpenSSL loads it, certifi's
bundle only where the system has no store — each checked by signing in to the real
engine over real HTTPS, its CA placed where the system's store would be."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tracktray.api import ServerUnavailable, TrackMyPeopleClient
from tracktray.api._http import make_http_client, make_ssl_context
from tracktray.api._retry import RetryPolicy
from tracktray.api._trust import certifi_bundle, system_store

Server = Any  # tests.support.https_server.TrackMyPeopleServer

needs_openssl = pytest.mark.skipif(
    shutil.which("openssl") is None, reason="hashing a certificate directory needs openssl"
)


def _status_without_ca_file(server: Server, user: Any) -> object:
    """``status`` as an account that names no CA file, as a user's account usually is."""
    client = TrackMyPeopleClient(
        server.api_url,
        user.username,
        user.password,
        http=make_http_client(None, environ={}),
        owns_http=True,
        retry=RetryPolicy(attempts=1),
    )
    try:
        return client.status()
    finally:
        client.close()


def _the_system_store(monkeypatch: pytest.MonkeyPatch, *, file: Path, directory: Path) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(file))
    monkeypatch.setenv("SSL_CERT_DIR", str(directory))


def _hashed_directory(tmp_path: Path, ca_file: Path) -> Path:
    directory = tmp_path / "certs"
    directory.mkdir()
    shutil.copy(ca_file, directory / "bench-ca.pem")
    subprocess.run(["openssl", "rehash", str(directory)], check=True, capture_output=True)
    return directory


@needs_openssl
def test_a_hashed_directory_is_read_lazily_during_the_handshake(
    trackmypeople_server: Server, server_user: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    directory = _hashed_directory(tmp_path, trackmypeople_server.ca_file)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("SSL_CERT_DIR", str(directory))

    assert system_store() == (None, str(directory))
    context = make_ssl_context()
    assert context.cert_store_stats()["x509_ca"] == 0  # nothing parsed up front
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname

    assert _status_without_ca_file(trackmypeople_server, server_user) is not None


@needs_openssl
def test_a_file_named_by_ssl_cert_file_is_loaded_as_openssl_would(
    trackmypeople_server: Server, server_user: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    directory = _hashed_directory(tmp_path, trackmypeople_server.ca_file)
    _the_system_store(monkeypatch, file=trackmypeople_server.ca_file, directory=directory)

    assert system_store() == (str(trackmypeople_server.ca_file), str(directory))
    assert make_ssl_context().cert_store_stats()["x509_ca"] == 1
    assert _status_without_ca_file(trackmypeople_server, server_user) is not None


def test_a_directory_without_hash_names_leaves_it_to_the_file(
    trackmypeople_server: Server, server_user: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Fedora's certificate directory holds bundles, not one file per hashed subject
    directory = tmp_path / "certs"
    directory.mkdir()
    bundle = directory / "ca-bundle.crt"
    shutil.copy(trackmypeople_server.ca_file, bundle)
    _the_system_store(monkeypatch, file=bundle, directory=directory)

    assert system_store() == (str(bundle), None)
    assert _status_without_ca_file(trackmypeople_server, server_user) is not None


def test_an_unhashed_directory_alone_is_no_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "ca-bundle.crt").write_text("", encoding="ascii")
    _the_system_store(monkeypatch, file=tmp_path / "none.pem", directory=tmp_path)

    assert system_store() is None  # certifi's bundle, then, rather than trusting nobody


def test_without_a_system_store_certifi_is_trusted_and_a_private_ca_is_not(
    trackmypeople_server: Server, server_user: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _the_system_store(monkeypatch, file=tmp_path / "none.pem", directory=tmp_path / "none")

    assert system_store() is None
    certifis = Path(certifi_bundle()).read_text(encoding="ascii").count("BEGIN CERTIFICATE")
    assert make_ssl_context().cert_store_stats()["x509_ca"] == certifis > 100
    with pytest.raises(ServerUnavailable, match=r"certificate .* is not trusted"):
        _status_without_ca_file(trackmypeople_server, server_user)


def test_the_system_store_is_trusted_instead_of_certifi_where_there_is_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # one CA in the system's file: exactly one is trusted, not certifi's ~120 beside it
    import trustme

    ca_file = tmp_path / "system.pem"
    trustme.CA().cert_pem.write_to_path(str(ca_file))
    _the_system_store(monkeypatch, file=ca_file, directory=tmp_path / "none")

    assert make_ssl_context().cert_store_stats()["x509_ca"] == 1


def test_certifis_bundle_is_found_without_importing_certifi(tmp_path: Path) -> None:
    import certifi

    assert certifi_bundle() == certifi.where()
    probe = (
        "import sys\n"
        "from tracktray.api._http import make_ssl_context\n"
        "context = make_ssl_context()\n"
        "print(context.cert_store_stats()['x509_ca'] > 100,"
        " sorted({'certifi', 'importlib.resources'} & set(sys.modules)))\n"
    )
    no_store = {"SSL_CERT_FILE": str(tmp_path / "none.pem"), "SSL_CERT_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, **no_store},
    )
    assert done.stdout.strip() == "True []"
