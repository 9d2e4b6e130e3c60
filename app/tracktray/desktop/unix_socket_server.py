"""A line-based Unix socket server in the Qt event loop: the single-instance socket on
Linux and macOS, without QtNetwork.

``QLocalServer`` is QtNetwork: loading it at start-up costs the Qt thread a few ms and
the process its memory, for a socket that is a plain ``AF_UNIX`` stream on these systems
(what ``QLocalServer`` makes there, and what the CLI's stdlib client connects to). Here
the stdlib socket listens, and ``QSocketNotifier`` s wake the event loop when a client
connects, sends, or leaves: no thread, no timer. Each connection hands its first line to
the owner with a way to answer it (one write, then the connection closes).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSocketNotifier

__all__ = ["Answer", "LineHandler", "UnixLineServer"]

log = logging.getLogger(__name__)

#: writes the answer (bytes) and closes the connection; nothing when the client has gone
Answer = Callable[[bytes], None]
#: what to do with a connection's first line (the newline included)
LineHandler = Callable[[bytes, Answer], None]

_MAX_LINE = 4096
_BACKLOG = 16


class UnixLineServer(QObject):
    """Listens on ``path`` until :meth:`close` (or its parent goes)."""

    def __init__(self, listener: socket.socket, path: Path, handler: LineHandler, parent: QObject):
        super().__init__(parent)
        self._listener = listener
        self._path = path
        self._handler = handler
        self._connections: set[_Connection] = set()
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)

    @classmethod
    def listen(cls, path: Path, handler: LineHandler, parent: QObject) -> UnixLineServer | None:
        """Listen on ``path`` (only this user may connect), removing a socket file left
        there (the caller holds the lock: it is a crashed instance's). None on failure."""
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # Only this user may connect. As QLocalServer does: the socket is made in a
        # private folder, restricted, then moved into place, so nobody can connect in
        # between (the short name lives in the shared temp folder).
        private = path.parent / f".{path.name}.{os.getpid()}"
        try:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            os.mkdir(private, 0o700)
            try:
                listener.bind(str(private / "s"))
                os.chmod(private / "s", 0o600)
                listener.listen(_BACKLOG)
                os.replace(private / "s", path)
            finally:
                with contextlib.suppress(OSError):
                    (private / "s").unlink()
                os.rmdir(private)
            listener.setblocking(False)
        except OSError as exc:
            listener.close()
            log.warning("single instance: cannot listen on %s: %s", path, exc)
            return None
        return cls(listener, path, handler, parent)

    def close(self) -> None:
        """Stop listening, close every connection and remove the socket file."""
        self._notifier.setEnabled(False)
        for connection in list(self._connections):
            connection.close()
        self._listener.close()
        with contextlib.suppress(OSError):
            self._path.unlink()

    def _accept(self, *_: object) -> None:
        while True:
            try:
                conn, _address = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                log.debug("single instance: accept failed: %s", exc)
                return
            conn.setblocking(False)
            self._connections.add(_Connection(conn, self._handler, self._connections.discard, self))


class _Connection(QObject):
    """One client: its first line goes to the handler; the answer closes it."""

    def __init__(
        self,
        conn: socket.socket,
        handler: LineHandler,
        gone: Callable[[_Connection], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._conn = conn
        self._handler = handler
        self._gone = gone
        self._buffer = b""
        self._answered = False
        self._closed = False
        self._reader = QSocketNotifier(conn.fileno(), QSocketNotifier.Type.Read, self)
        self._reader.activated.connect(self._read)

    def _read(self, *_: object) -> None:
        try:
            data = self._conn.recv(_MAX_LINE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client left (or gave up waiting)
            self.close()
            return
        if self._answered:
            return  # one question per connection
        self._buffer += data
        line, newline, _rest = self._buffer.partition(b"\n")
        if newline:
            self._answered = True
            self._handler(line + newline, self._answer)
        elif len(self._buffer) > _MAX_LINE:
            self.close()  # not one of our clients

    def _answer(self, data: bytes) -> None:
        if self._closed:
            return  # the CLI gave up waiting and asked the server itself
        # A local stream takes a small answer at once; what is left after a full buffer
        # (a client not reading) is dropped with the connection.
        with contextlib.suppress(OSError):
            self._conn.send(data)
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._reader.setEnabled(False)
        self._conn.close()
        self._gone(self)
        self.deleteLater()
