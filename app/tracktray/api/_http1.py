"""One HTTP/1.1 connection of a server account: a request written, its answer parsed.

The answer is parsed by httptools (llhttp, the parser of Node.js, in C; the engine's
server parses requests with it too): status line, headers, ``Content-Length``,
chunked and close-delimited bodies, interim ``1xx`` answers, keep-alive. The standard
library's ``http.client`` did this before, but it imports the ``email`` package for its
header parser: ~1 MiB of a resting widget and ~6 ms of ``tracktray status``, against
0.3 MiB and 1.5 ms for httptools. What is written here is the request itself, with the
checks ``http.client`` makes (no control characters in the target, no line breaks in
a header), and the reading loop around the parser, with limits on what a hostile
server may send before its headers end.

Only the methods of the APIs are sent (GET, POST, PUT, PATCH, DELETE): an answer to
HEAD, which has no body whatever its ``Content-Length`` says, is never waited for.
"""

from __future__ import annotations

import socket
import ssl

import httptools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["Answer", "BrokenAnswer", "Connection", "Headers", "host_header"]

#: an answer's status line and headers may not be longer (``http.client``: 100 lines
#: of at most 64 KiB each; httpx's h11: 64 KiB in all)
MAX_HEAD_BYTES = 64 * 1024
_READ_BYTES = 64 * 1024
#: what may not appear in a request target (``http.client``'s rule: controls, space)
_NOT_IN_TARGET = frozenset(chr(code) for code in (*range(0x21), 0x7F))


class BrokenAnswer(Exception):
    """What came back is not an HTTP answer that can be read to its end: a closed
    connection before the answer was complete, a head over the limit, garbage."""


class Headers:
    """An answer's headers, names in any case; ``get`` gives the first value, as
    ``http.client``'s message did."""

    __slots__ = ("_fields",)

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        self._fields = fields

    def get(self, name: str, default: str | None = None) -> str | None:
        wanted = name.casefold()
        return next((value for key, value in self._fields if key.casefold() == wanted), default)

    def __repr__(self) -> str:
        return f"Headers({self._fields!r})"


class Answer:
    """A complete answer: status, headers, body as sent (``Content-Encoding`` kept)."""

    __slots__ = ("content", "headers", "keep_alive", "status")

    def __init__(self, status: int, headers: Headers, content: bytes, keep_alive: bool) -> None:
        self.status = status
        self.headers = headers
        self.content = content
        #: whether the connection may carry the next request
        self.keep_alive = keep_alive


def host_header(host: bytes | str, port: int, secure: bool) -> str:
    """The ``Host`` header's value, as ``http.client`` and httpx write it."""
    name = host.decode("ascii") if isinstance(host, bytes) else host.encode("idna").decode()
    if ":" in name:
        name = f"[{name}]"
    return name if port == (443 if secure else 80) else f"{name}:{port}"


class Connection:
    """HTTP/1.1 to one host, plain or over TLS with the account's context; connecting
    (the TLS handshake included) has its own timeout, as in httpx."""

    def __init__(
        self,
        host: bytes | str,
        port: int,
        context: ssl.SSLContext | None,
        *,
        connect_timeout: float,
        read_timeout: float,
    ) -> None:
        self.host = host
        self.port = port
        self._context = context
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._host_header = host_header(host, port, context is not None)
        #: the socket, None once closed (by us, or because the server said it closes)
        self.sock: socket.socket | None = None

    def connect(self) -> None:
        # getaddrinfo takes the name as bytes (typeshed says str alone)
        sock = socket.create_connection((self.host, self.port), self._connect_timeout)  # type: ignore[arg-type]
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as httpcore does
            if self._context is not None:
                self._context.set_alpn_protocols(["http/1.1"])  # as httpx offers it
                sock = self._context.wrap_socket(sock, server_hostname=self.host)
            sock.settimeout(self._read_timeout)
        except BaseException:
            sock.close()
            raise
        self.sock = sock

    def close(self) -> None:
        sock, self.sock = self.sock, None
        if sock is not None:
            sock.close()

    def send(
        self, method: str, target: str, body: bytes | None, headers: Mapping[str, str]
    ) -> None:
        """Write one request. ValueError or UnicodeError (nothing sent) for a target or
        header that cannot be written; OSError once sending began."""
        if method == "HEAD":  # its answer's length would be misread (see above)
            raise ValueError("HEAD is not sent by this client")  # not translated: a bug
        head = _request_head(method, target, self._host_header, headers)
        sock = self.sock
        if sock is None:
            # not translated: RequestFailed's cause, which the Wire says in a sentence
            raise ConnectionResetError("the connection is closed")
        sock.sendall(head + body if body else head)

    def receive(self) -> Answer:
        """Read the answer to the request sent (interim ``1xx`` answers skipped)."""
        sock = self.sock
        if sock is None:
            # not translated: RequestFailed's cause, which the Wire says in a sentence
            raise ConnectionResetError("the connection is closed")
        reading = _Reading()
        parser = httptools.HttpResponseParser(reading)
        reading.parser = parser
        while reading.answer is None:
            data = sock.recv(_READ_BYTES)
            if not data:
                return self._at_the_end(reading)
            try:
                parser.feed_data(data)
            except httptools.HttpParserUpgrade:
                # not translated: RequestFailed's causes (here and below), said by the Wire
                raise BrokenAnswer("the server switched to another protocol") from None
            except httptools.HttpParserError as error:
                if reading.answer is None:  # after the answer: bytes that are no answer
                    raise BrokenAnswer(str(error)) from None
                reading.answer.keep_alive = False
            if not reading.head_done:
                reading.head_bytes += len(data)  # what httptools keeps until a header ends
            if reading.head_bytes > MAX_HEAD_BYTES or reading.head_size > MAX_HEAD_BYTES:
                raise BrokenAnswer("the answer's headers are too long")  # not translated: a cause
        if not reading.answer.keep_alive:
            self.close()
        return reading.answer

    def _at_the_end(self, reading: _Reading) -> Answer:
        """The server closed the connection: an answer whose body runs to the end of
        the connection (no length, not chunked) is complete; any other is broken."""
        self.close()
        if reading.head_done and reading.ends_with_the_connection():
            return Answer(reading.status, reading.headers(), b"".join(reading.body), False)
        if reading.head_bytes == 0 and not reading.head_done:
            # not translated: RequestFailed's causes, which the Wire says in httpx's sentence
            raise BrokenAnswer("the server closed the connection without answering")
        raise BrokenAnswer(  # not translated: as above
            "the server closed the connection before the answer was complete"
        )

    def still_open(self) -> bool:
        """Whether the idle socket may carry a request: nothing to read on it (a server
        that closed it makes it readable: EOF, or TLS's close_notify)."""
        sock = self.sock
        if sock is None:
            return False
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return False  # TLS data already read from the socket, not yet by us
        import select

        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return not poller.poll(0)
        readable, _, _ = select.select([sock], [], [], 0)
        return not readable


class _Reading:
    """httptools' callbacks for one answer: what has come so far."""

    def __init__(self) -> None:
        self.parser: httptools.HttpResponseParser | None = None
        self.fields: list[tuple[str, str]] = []
        self.body: list[bytes] = []
        self.status = 0
        self.head_done = False
        #: bytes read while the head was not complete; the head's own length
        self.head_bytes = 0
        self.head_size = 0
        self.answer: Answer | None = None

    def on_message_begin(self) -> None:
        self.fields, self.body, self.head_done = [], [], False
        self.head_bytes = self.head_size = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self.head_size += len(name) + len(value) + 4
        self.fields.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        assert self.parser is not None
        self.status = self.parser.get_status_code()
        self.head_done = True

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        assert self.parser is not None
        if 100 <= self.status < 200:
            return  # an interim answer: the real one follows
        if self.answer is not None:  # a second answer to one request: trust neither more
            self.answer.keep_alive = False
            return
        keep_alive = self.parser.should_keep_alive()
        self.answer = Answer(self.status, self.headers(), b"".join(self.body), keep_alive)

    def headers(self) -> Headers:
        return Headers(self.fields)

    def ends_with_the_connection(self) -> bool:
        if self.status in (204, 304) or 100 <= self.status < 200:
            return False
        names = {name.casefold() for name, _ in self.fields}
        return "content-length" not in names and "transfer-encoding" not in names


def _request_head(method: str, target: str, host: str, headers: Mapping[str, str]) -> bytes:
    """The request line, ``Host`` and ``headers``, as ``http.client`` wrote them."""
    if not target.isascii() or not _NOT_IN_TARGET.isdisjoint(target):
        # not translated: http.client's words for a bug
        raise ValueError(f"URL can't contain control characters. {target!r}")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}"]  # not translated: HTTP
    for name, value in headers.items():
        if not name or not name.isascii() or any(c in ":\r\n\0 \t" for c in name):
            raise ValueError(f"Invalid header name {name!r}")  # not translated: a bug
        if "\n" in value or "\r" in value or "\0" in value:
            raise ValueError(f"Invalid header value {value!r}")  # not translated: a bug
        lines.append(f"{name}: {value}")
    lines.append("\r\n")
    return "\r\n".join(lines).encode("latin-1")  # UnicodeEncodeError: not Latin-1
