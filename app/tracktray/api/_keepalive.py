"""The HTTP client of a server account: keep-alive HTTP/1.1 over the standard library.

The widget sends one small request a minute to one server. httpx (with httpcore, h11,
anyio, idna, certifi's resources, http.cookiejar, urllib.request…) costs ~7 MiB of
resident memory and ~35 ms of imports for that. One connection's HTTP is
``_http1.py``: the request written, the answer parsed by httptools (llhttp). What is
written here is what a client adds around it, as httpx did for us:

- a pool of at most two connections per client, safe to share between threads (the
  account's worker lane, its polls and the outbox sender may call at once), keeping
  one idle connection for the next request; an idle connection is dropped after
  ``KEEPALIVE_EXPIRY_S`` or as soon as the server has closed it (its socket reads
  EOF), never reused then, as httpcore does;
- separate connect (the TLS handshake included) and read timeouts;
- query parameters, form and JSON bodies encoded as httpx encodes them, HTTP Basic
  auth given as ``(username, password)`` (which httpx takes too), ``gzip``/``deflate``
  answers decoded with ``zlib``; redirects are not followed;
- every failure raised as :class:`~._faults.RequestFailed`, which says whether the
  request may have left (``connected``): a write whose answer was lost is re-checked,
  never sent twice. :class:`~._wire.Wire` turns it into the sentence httpx's error for
  the same failure gets (``_faults.from_socket_error``).

A proxy named in the environment is httpx's job: :func:`uses_a_proxy` tells
:func:`~._http.make_http_client` to make an httpx client then.
"""

from __future__ import annotations

import base64
import json as json_text
import threading
import time
import urllib.parse

from tracktray.api._faults import NoConnectionFree, RequestFailed, UnreadableAnswer
from tracktray.api._http1 import BrokenAnswer, Connection, Headers

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ssl
    from collections.abc import Callable, Mapping
    from typing import Any

__all__ = ["KeepAliveClient", "Response", "ascii_host_name", "uses_a_proxy"]

_Origin = tuple[str, str, int]  # scheme, host, port


class Response:
    """A server's answer: its HTTP status, its headers (any case) and its decoded body."""

    __slots__ = ("content", "headers", "status_code")

    def __init__(self, status_code: int, headers: Headers, content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    def json(self) -> Any:
        return json_text.loads(self.content)


def uses_a_proxy(environ: Mapping[str, str]) -> bool:
    """Whether the environment names a proxy (``https_proxy``, ``ALL_PROXY``…), which
    httpx would use: then requests must go through httpx."""
    return any(
        value and name.casefold().endswith("_proxy") and name.casefold() != "no_proxy"
        for name, value in environ.items()
    )


def ascii_host_name(host: str) -> bytes | str:
    """``host`` as the bytes the ``idna`` codec would give, when it is ASCII.

    ``socket.getaddrinfo`` and ``ssl``'s ``server_hostname`` encode a ``str`` with the
    ``idna`` codec, which imports ``stringprep`` and ``unicodedata`` (~1.7 ms, memory
    kept all day) even for "127.0.0.1". For an ASCII name the codec only checks label
    lengths and returns the name unchanged: that is done here. Any other name is left
    as ``str`` for the codec (which raises UnicodeError for a name it cannot encode).
    """
    if not host.isascii():
        return host
    labels = host.split(".")
    if any(not 0 < len(label) < 64 for label in labels[:-1]) or len(labels[-1]) >= 64:
        return host  # the codec raises its own error for it
    return host.encode("ascii")


class KeepAliveClient:
    """Requests to HTTP(S) servers over at most two kept connections (one idle)."""

    def __init__(
        self,
        context: ssl.SSLContext,
        *,
        connect_timeout: float,
        read_timeout: float,
        keepalive_expiry: float,
        user_agent: str,
        max_connections: int = 2,
        pool_timeout: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._context = context
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._keepalive_expiry = keepalive_expiry
        #: how long a request waits for one of the connections to be free (httpx: read)
        self._pool_timeout = read_timeout if pool_timeout is None else pool_timeout
        self._user_agent = user_agent
        self._clock = clock
        self._slots = threading.BoundedSemaphore(max_connections)
        self._lock = threading.Lock()
        self._idle: tuple[_Origin, Connection, float] | None = None  # and since when
        self._closed = False

    @property
    def is_closed(self) -> bool:
        return self._closed

    def __enter__(self) -> KeepAliveClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the idle connection; a request under way closes its own when done."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, None
        if idle is not None:
            idle[1].close()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Response:
        """Send one request, once; its answer comes back whatever its status.

        Raises RequestFailed for any failure (``connected`` False: nothing left this
        computer), RuntimeError once the client is closed, as httpx does.
        """
        if self._closed:
            # not translated: httpx's words, which the Wire turns into AccountClosed
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        parts = urllib.parse.urlsplit(url)
        secure = parts.scheme == "https"
        origin = (parts.scheme, parts.hostname or "", parts.port or (443 if secure else 80))
        target = (parts.path or "/") + _query(parts.query, params)
        body, head = self._encode(method, data, json, headers, auth)
        if not self._slots.acquire(timeout=self._pool_timeout):
            raise RequestFailed(NoConnectionFree(), connected=False)
        try:
            connection = self._take_idle(origin) or self._connect(origin)
            try:
                connection.send(method, target, body, head)
                answer = connection.receive()
            except BaseException as exc:
                connection.close()
                if isinstance(exc, UnicodeError):  # a header that cannot be encoded:
                    raise RequestFailed(exc, connected=False) from None  # nothing sent yet
                if isinstance(exc, OSError | BrokenAnswer):
                    raise RequestFailed(exc, connected=True) from None
                raise
            self._keep(origin, connection)
        finally:
            self._slots.release()
        return Response(answer.status, answer.headers, _decoded(answer.content, answer.headers))

    def _encode(
        self,
        method: str,
        data: Mapping[str, str] | None,
        json: Any,
        headers: Mapping[str, str] | None,
        auth: tuple[str, str] | None,
    ) -> tuple[bytes | None, dict[str, str]]:
        """The body and the headers, as httpx sends them (its header names and order)."""
        body: bytes | None = None
        # not translated: header values
        fields = {
            "accept": ("Accept", "*/*"),
            "accept-encoding": ("Accept-Encoding", "gzip, deflate"),
            "connection": ("Connection", "keep-alive"),
            "user-agent": ("User-Agent", self._user_agent),
        }
        if json is not None:
            text = json_text.dumps(json, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            body = text.encode("utf-8")
            content_type = "application/json"
        elif data:
            body = urllib.parse.urlencode(data, doseq=True).encode("utf-8")
            content_type = "application/x-www-form-urlencoded"
        if body is not None:
            fields["content-length"] = ("Content-Length", str(len(body)))
            fields["content-type"] = ("Content-Type", content_type)
        elif method in ("POST", "PUT", "PATCH"):
            fields["content-length"] = ("Content-Length", "0")  # as httpx and http.client
        if auth is not None:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            fields["authorization"] = ("Authorization", f"Basic {token}")
        for name, value in (headers or {}).items():
            fields[name.casefold()] = (name, value)
        return body, dict(fields.values())

    def _take_idle(self, origin: _Origin) -> Connection | None:
        """The idle connection to ``origin`` if it may still be used, else None."""
        with self._lock:
            idle, self._idle = self._idle, None
        if idle is None:
            return None
        kept_for, connection, since = idle
        fresh = self._clock() - since < self._keepalive_expiry
        if kept_for == origin and fresh and connection.still_open():
            return connection
        connection.close()
        return None

    def _connect(self, origin: _Origin) -> Connection:
        scheme, host, port = origin
        connection = Connection(
            ascii_host_name(host),
            port,
            self._context if scheme == "https" else None,
            connect_timeout=self._connect_timeout,
            read_timeout=self._read_timeout,
        )
        try:
            connection.connect()
        except (OSError, UnicodeError) as exc:  # ssl.SSLError, gaierror, timeouts: OSErrors
            connection.close()
            raise RequestFailed(exc, connected=False) from None
        return connection

    def _keep(self, origin: _Origin, connection: Connection) -> None:
        """Keep ``connection`` for the next request, unless the server closes it."""
        if connection.sock is None:  # "Connection: close", or HTTP/1.0: closed after reading
            return
        with self._lock:
            if self._closed:
                dropped: Connection | None = connection
            else:
                dropped = self._idle[1] if self._idle is not None else None
                self._idle = (origin, connection, self._clock())
        if dropped is not None:  # one idle connection is enough
            dropped.close()


def _query(query: str, params: Mapping[str, str] | None) -> str:
    """``?query``, or ``params`` in its place, encoded as httpx encodes (and places) them."""
    if params:
        query = urllib.parse.urlencode(params)
    return f"?{query}" if query else ""


def _decoded(content: bytes, headers: Headers) -> bytes:
    """The body with its ``Content-Encoding`` undone (gzip or deflate, as offered)."""
    coding = (headers.get("Content-Encoding") or "identity").strip().casefold()
    if coding in ("identity", "") or not content:
        return content
    import zlib  # only for a compressed answer (neither the engine nor `status` sends one)

    try:
        if coding in ("gzip", "x-gzip"):
            return zlib.decompress(content, 16 + zlib.MAX_WBITS)
        if coding == "deflate":
            try:
                return zlib.decompress(content)
            except zlib.error:  # raw deflate, as some servers send it
                return zlib.decompress(content, -zlib.MAX_WBITS)
    except zlib.error:
        raise RequestFailed(UnreadableAnswer(), connected=True) from None
    return content  # a coding we did not offer: as httpx, passed on as it came
