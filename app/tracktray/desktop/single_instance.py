"""One tray widget per user: a second ``tracktray`` asks the first to show its menu.

How: a lock file (``QLockFile``) decides who is first — the OS lock dies with its process,
and Qt recognises the file of a crashed instance as stale — and the first instance
listens on a local socket (``QLocalServer``; a Unix socket, a named pipe on Windows).
A later instance finds the lock taken, connects, says ``activate`` and exits 0. Holding
the lock before listening makes it safe to delete a stale socket a crash left behind.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import sys
from pathlib import Path
from typing import Final

import platformdirs
from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

__all__ = ["SingleInstance"]

_log = logging.getLogger(__name__)

_ACTIVATE: Final = b"activate\n"
_CONNECT_TIMEOUT_MS: Final = 1000
#: Unix sockets paths are limited to 108 bytes (sun_path); longer ones use a short name
_MAX_SOCKET_PATH: Final = 100


class SingleInstance(QObject):
    """Call :meth:`acquire` once at start; keep the object alive while the app runs."""

    #: a second instance started and asked this one to show itself
    activation_requested = Signal()

    def __init__(
        self,
        key: str = "tracktray",
        parent: QObject | None = None,
        *,
        directory: Path | None = None,
    ) -> None:
        super().__init__(parent)
        # Per user: the runtime dir is the user's own, and the names carry the user.
        user = getpass.getuser()
        folder = directory or Path(platformdirs.user_runtime_dir("tracktray", ensure_exists=True))
        folder.mkdir(parents=True, exist_ok=True)
        # The folder is part of the digest: when the socket path is too long and the
        # short abstract name is used instead, instances of different runtime folders
        # (other sessions, tests) must not answer for each other.
        digest = hashlib.sha256(f"{user}\0{key}\0{folder.resolve()}".encode()).hexdigest()[:16]
        self._lock = QLockFile(str(folder / f"{key}-{digest}.lock"))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        socket_path = folder / f"{key}-{digest}.socket"
        if sys.platform == "win32" or len(str(socket_path)) > _MAX_SOCKET_PATH:
            self.server_name = f"{key}-{digest}"
        else:
            self.server_name = str(socket_path)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True when this is the first instance; False after telling the first to show."""
        if self._server is not None:
            return True
        if not self._lock.tryLock(0):
            self._tell_first_instance()
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # We hold the lock, so a socket still there is a crashed instance's: remove it.
        QLocalServer.removeServer(self.server_name)
        if not server.listen(self.server_name):
            _log.warning("single instance: cannot listen: %s", server.errorString())
            return True  # run anyway; only the "show the first one" convenience is lost
        server.newConnection.connect(self._on_new_connection)
        self._server = server
        return True

    def release(self) -> None:
        """Stop listening and free the lock (at quit; the OS does it on a crash)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _tell_first_instance(self) -> None:
        socket = QLocalSocket()
        socket.connectToServer(self.server_name)
        if socket.waitForConnected(_CONNECT_TIMEOUT_MS):
            socket.write(_ACTIVATE)
            socket.waitForBytesWritten(_CONNECT_TIMEOUT_MS)
            socket.disconnectFromServer()
        else:
            _log.info("another tracktray holds the lock but does not answer")

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while (connection := self._server.nextPendingConnection()) is not None:
            connection.readyRead.connect(lambda c=connection: self._on_ready_read(c))
            connection.disconnected.connect(connection.deleteLater)
            if connection.bytesAvailable():
                self._on_ready_read(connection)

    def _on_ready_read(self, connection: QLocalSocket) -> None:
        if connection.canReadLine() and connection.readLine().data() == _ACTIVATE:
            self.activation_requested.emit()
