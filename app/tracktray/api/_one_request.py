"""One request over the standard library, for a command that asks its server one thing.

``tracktray status`` without a running widget asks once and ends. httpx (with httpcore,
h11, anyio and idna: ~35 ms of imports) buys nothing for one request, so that request
goes over ``http.client`` instead, with what the clients use: the account's TLS context
(``_http.make_ssl_context``: the same CA handling, verification always on), the same
connect and read timeouts, the same User-Agent, and each failure said in the sentence
httpx's error for it gets (``_faults.from_socket_error``). What the answer means is the
clients' own rules, applied to it unchanged (``_trackmypeople_wire.envelope_of``).

A proxy set in the environment is honoured by httpx, not here: :func:`uses_a_proxy`
tells the caller to take the full client then.
"""

from __future__ import annotations

import base64
import http.client
import socket
import urllib.parse

from tracktray.api._faults import from_socket_error
from tracktray.api._http import DEFAULT_CONNECT_TIMEOUT_S, DEFAULT_READ_TIMEOUT_S, USER_AGENT

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ssl
    from collections.abc import Mapping

__all__ = ["Answer", "post_once", "uses_a_proxy"]


class Answer:
    """A server's answer: its HTTP status, its headers (any case) and its body."""

    def __init__(self, status_code: int, headers: http.client.HTTPMessage, content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content


def uses_a_proxy(environ: Mapping[str, str]) -> bool:
    """Whether the environment names a proxy (``https_proxy``, ``ALL_PROXY``…), which
    httpx would use: then a request must go through httpx."""
    return any(
        value and name.casefold().endswith("_proxy") and name.casefold() != "no_proxy"
        for name, value in environ.items()
    )


def post_once(
    url: str,
    fields: Mapping[str, str],
    *,
    username: str,
    password: str,
    context: ssl.SSLContext,
    where: str,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_S,
    read_timeout: float = DEFAULT_READ_TIMEOUT_S,
) -> Answer:
    """POST ``fields`` (form-encoded) to ``url`` with HTTP Basic auth, once; any answer
    comes back whatever its status, every failure as the error of the tree it means."""
    parts = urllib.parse.urlsplit(url)
    secure = parts.scheme == "https"
    connection = _Connection(
        parts.hostname or "",
        parts.port or (443 if secure else 80),
        context if secure else None,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
    )
    body = urllib.parse.urlencode(fields).encode("ascii")
    credentials = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "*/*",
        "Authorization": f"Basic {credentials}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(len(body)),
    }
    try:
        try:
            connection.connect()
        except (OSError, UnicodeError) as exc:  # ssl.SSLError, gaierror, timeouts: OSErrors
            raise from_socket_error(exc, where, connected=False) from None
        try:
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        except (OSError, http.client.HTTPException) as exc:
            raise from_socket_error(exc, where, connected=True) from None
    finally:
        connection.close()


class _Connection(http.client.HTTPConnection):
    """HTTP/1.1 to one host, plain or over TLS with the account's context; connecting
    (the TLS handshake included) has its own timeout, as in httpx."""

    def __init__(
        self,
        host: str,
        port: int,
        context: ssl.SSLContext | None,
        *,
        connect_timeout: float,
        read_timeout: float,
    ) -> None:
        super().__init__(host, port, timeout=connect_timeout)
        self._context = context
        self._read_timeout = read_timeout

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), self.timeout)
        try:
            if self._context is not None:
                self._context.set_alpn_protocols(["http/1.1"])  # as httpx offers it
                sock = self._context.wrap_socket(sock, server_hostname=self.host)
            sock.settimeout(self._read_timeout)
        except BaseException:
            sock.close()
            raise
        self.sock = sock
