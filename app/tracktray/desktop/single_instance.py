"""One tray widget per user: a second ``tracktray`` asks the first to show its menu.

How: a lock file (``QLockFile``) decides who is first — the OS lock dies with its process,
and Qt recognises the file of a crashed instance as stale — and the first instance
listens on a local socket: a Unix socket on Linux and macOS, served from the event loop
with the stdlib ``socket`` and ``QSocketNotifier`` (``unix_socket_server.py``: no
QtNetwork at all), a named pipe (``QLocalServer``) on Windows. A later instance finds the
lock taken, connects, says ``activate`` and exits 0. Holding the lock before listening
makes it safe to delete a stale socket a crash left behind. ``tracktray status``
(Qt-free: the stdlib ``socket``) may say ``status`` instead: the widget polls its open
account and answers one JSON line (``cli/widget_status.py``).

At start-up the widget takes the lock before its icon shows (:meth:`SingleInstance.lock`)
and listens once its first status is drawn (:meth:`SingleInstance.listen`). A second start
in between finds the lock taken and keeps trying to reach the first for a few seconds.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QLockFile, QObject, Signal

from tracktray.store.instance import instance_address

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

    from tracktray.desktop.unix_socket_server import Answer, UnixLineServer

#: Windows has no Unix sockets for this: a named pipe through QtNetwork there
_NAMED_PIPE = sys.platform == "win32"

__all__ = ["SingleInstance"]

_log = logging.getLogger(__name__)

_ACTIVATE: Final = b"activate\n"
#: ``tracktray status`` asks the running widget (one JSON line comes back)
STATUS_QUESTION: Final = b"status\n"
_CONNECT_TIMEOUT_MS: Final = 1000
#: how long a second start keeps trying to reach a first one that is still starting
_FIRST_STARTING_S: Final = 5.0

#: how the widget answers a status question: a JSON object, or None ("ask yourself")
Reply = Callable[[dict[str, Any] | None], None]


class SingleInstance(QObject):
    """Call :meth:`acquire` once at start; keep the object alive while the app runs."""

    #: a second instance started and asked this one to show itself
    activation_requested = Signal()
    #: the CLI asked for the status; the argument is a :data:`Reply` to answer with
    status_requested = Signal(object)

    def __init__(
        self,
        key: str = "tracktray",
        parent: QObject | None = None,
        *,
        directory: Path | None = None,
    ) -> None:
        super().__init__(parent)
        address = instance_address(key, directory)
        address.folder.mkdir(parents=True, exist_ok=True)
        self._lock = QLockFile(str(address.lock_path))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self.server_name = address.server_name
        self._socket_path = address.socket_path
        self._server: QLocalServer | UnixLineServer | None = None

    def acquire(self) -> bool:
        """True when this is the first instance (now listening); False after telling the
        first to show."""
        if not self.lock():
            return False
        self.listen()
        return True

    def lock(self) -> bool:
        """Take the lock: True when this is the first instance; False after telling the
        first to show. Call :meth:`listen` later to answer later starts."""
        if self._server is not None or self._lock.isLocked():
            return True
        if not self._lock.tryLock(0):
            self._tell_first_instance()
            return False
        return True

    def listen(self) -> None:
        """Answer later starts and ``tracktray status`` (needs the lock: :meth:`lock`)."""
        if self._server is not None or not self._lock.isLocked():
            return
        if not _NAMED_PIPE:
            from tracktray.desktop.unix_socket_server import UnixLineServer

            # We hold the lock, so a socket still there is a crashed instance's: replaced.
            self._server = UnixLineServer.listen(self._socket_path, self._on_line, self)
            return  # None: run anyway; only the "show the first one" convenience is lost
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # We hold the lock, so a socket still there is a crashed instance's: remove it.
        QLocalServer.removeServer(self.server_name)
        if not server.listen(self.server_name):
            _log.warning("single instance: cannot listen: %s", server.errorString())
            return  # run anyway; only the "show the first one" convenience is lost
        server.newConnection.connect(self._on_new_connection)
        self._server = server

    def release(self) -> None:
        """Stop listening and free the lock (at quit; the OS does it on a crash)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _tell_first_instance(self) -> None:
        # This process shows nothing and exits next, so it may wait: the first one
        # listens only once its first status is drawn.
        deadline = time.monotonic() + _FIRST_STARTING_S
        while True:
            if self._say_activate():
                return
            if time.monotonic() > deadline or not self._first_holds_lock():
                _log.info("another tracktray holds the lock but does not answer")
                return
            time.sleep(0.05)

    def _say_activate(self) -> bool:
        """Tell the first instance to show itself; False when it does not listen (yet)."""
        if not _NAMED_PIPE:
            import socket

            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(_CONNECT_TIMEOUT_MS / 1000)
                try:
                    client.connect(str(self._socket_path))
                    client.sendall(_ACTIVATE)
                except OSError:
                    return False
            return True
        from PySide6.QtNetwork import QLocalSocket

        local = QLocalSocket()
        local.connectToServer(self.server_name)
        if not local.waitForConnected(_CONNECT_TIMEOUT_MS):
            return False
        local.write(_ACTIVATE)
        local.waitForBytesWritten(_CONNECT_TIMEOUT_MS)
        local.disconnectFromServer()
        return True

    def _first_holds_lock(self) -> bool:
        """Is the lock still held by another process (one that may be starting)?"""
        if self._lock.tryLock(0):  # it quit meanwhile: nobody to tell
            self._lock.unlock()
            return False
        return True

    def _on_line(self, line: bytes, answer: Answer) -> None:
        """A question on the Unix socket: show the menu, or answer the status."""
        if line == _ACTIVATE:
            self.activation_requested.emit()
        elif line == STATUS_QUESTION:

            def reply(status: dict[str, Any] | None) -> None:
                answer(json.dumps(status).encode() + b"\n")

            self.status_requested.emit(reply)

    def _on_new_connection(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        assert isinstance(self._server, QLocalServer)
        while (connection := self._server.nextPendingConnection()) is not None:
            connection.readyRead.connect(lambda c=connection: self._on_ready_read(c))
            connection.disconnected.connect(connection.deleteLater)
            if connection.bytesAvailable():
                self._on_ready_read(connection)

    def _on_ready_read(self, connection: QLocalSocket) -> None:
        if not connection.canReadLine():
            return
        line = connection.readLine().data()
        if line == _ACTIVATE:
            self.activation_requested.emit()
        elif line == STATUS_QUESTION:
            self.status_requested.emit(_reply_on(connection))


def _reply_on(connection: QLocalSocket) -> Reply:
    """Answer once on ``connection`` (if the asker still waits), then hang up."""

    def reply(answer: dict[str, Any] | None) -> None:
        from PySide6.QtNetwork import QLocalSocket  # loaded: a connection came in

        if connection.state() != QLocalSocket.LocalSocketState.ConnectedState:
            return  # the CLI gave up waiting and asked the server itself
        connection.write(json.dumps(answer).encode() + b"\n")
        connection.flush()
        connection.disconnectFromServer()

    return reply
