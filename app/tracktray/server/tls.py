"""Certificates for ``serve --self-signed DIR``: a local CA and a localhost certificate.

Made once with trustme and kept in DIR, so clients trust the CA file once and the
server can restart without them noticing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import trustme

__all__ = ["TlsFiles", "self_signed"]

HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    key: Path
    ca: Path | None = None


def self_signed(directory: Path) -> TlsFiles:
    """The CA and server files in ``directory``, created on first use."""
    directory.mkdir(parents=True, exist_ok=True)
    files = TlsFiles(
        cert=directory / "server.pem", key=directory / "server.key", ca=directory / "ca.pem"
    )
    assert files.ca is not None
    if not (files.cert.exists() and files.key.exists() and files.ca.exists()):
        ca = trustme.CA(organization_name="tracktray local CA")
        server = ca.issue_cert(*HOSTS)
        ca.cert_pem.write_to_path(str(files.ca))
        server.cert_chain_pems[0].write_to_path(str(files.cert))
        for extra in server.cert_chain_pems[1:]:
            extra.write_to_path(str(files.cert), append=True)
        # The private key must not be readable by other users of the machine.
        fd = os.open(files.key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(server.private_key_pem.bytes())
    return files
