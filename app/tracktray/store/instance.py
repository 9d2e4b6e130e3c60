"""Where the running widget listens: its lock file and local socket, computed without Qt.

The widget (``desktop/single_instance.py``, QLockFile + QLocalServer) and the CLI (which
asks a running widget for ``status`` with the stdlib ``socket``) must agree on one name
per user and runtime folder; this is the one place that names it.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Final

    from tracktray.store.account_config import StrPath

__all__ = ["InstanceAddress", "instance_address", "qt_temp_dir"]

#: Unix socket paths are limited to 108 bytes (sun_path); longer ones use a short name
_MAX_SOCKET_PATH: Final = 100


class InstanceAddress:
    """Where one widget listens. (A plain class: a dataclass costs the widget's first
    stage ~1 ms to define. The names are kept as text: ``tracktray status`` asks the
    widget with :attr:`socket_file` and imports no pathlib.)"""

    __slots__ = ("_folder", "_lock_path", "server_name")

    def __init__(self, folder: StrPath, lock_path: StrPath, server_name: str) -> None:
        self._folder = folder
        self._lock_path = lock_path
        #: QLocalServer's name: a socket path, or a short name Qt places in the temp folder
        self.server_name = server_name

    @property
    def folder(self) -> Path:
        from pathlib import Path

        return Path(self._folder)

    @property
    def lock_path(self) -> Path:
        from pathlib import Path

        return Path(self._lock_path)

    @property
    def socket_file(self) -> str:
        """The Unix socket's file (where QLocalServer puts a short name: Qt's temp dir)."""
        if "/" in self.server_name:
            return self.server_name
        return os.path.join(qt_temp_dir(), self.server_name)

    @property
    def socket_path(self) -> Path:
        from pathlib import Path

        return Path(self.socket_file)


def instance_address(key: str = "tracktray", directory: StrPath | None = None) -> InstanceAddress:
    if directory is None:
        from tracktray.store.places import user_runtime_dir

        directory = user_runtime_dir()
    # os.path rather than pathlib (Path.resolve is os.path.realpath): the same names
    # Per user: the runtime dir is the user's own, and the names carry the user. The
    # folder is part of the digest: when the socket path is too long and the short name
    # is used instead, instances of different runtime folders (other sessions, tests)
    # must not answer for each other.
    user = _user_name()
    folder = os.fspath(directory)
    digest = _sha256(f"{user}\0{key}\0{os.path.realpath(folder)}".encode())[:16]
    socket_path = os.path.join(folder, f"{key}-{digest}.socket")
    if sys.platform == "win32" or len(socket_path) > _MAX_SOCKET_PATH:
        server_name = f"{key}-{digest}"
    else:
        server_name = socket_path
    return InstanceAddress(folder, os.path.join(folder, f"{key}-{digest}.lock"), server_name)


def qt_temp_dir() -> str:
    """The folder where QLocalServer puts a socket given a short name: ``QDir::tempPath()``
    on Unix, ``$TMPDIR`` cleaned as Qt cleans a path (links are not resolved), else
    ``/tmp`` (macOS sets TMPDIR in every session). Not ``tempfile.gettempdir()``: that
    costs ~5 ms of a command's imports, and it also reads ``$TEMP`` and ``$TMP``, which
    Qt does not, so it could name another folder than the widget's."""
    return os.path.normpath(os.environ.get("TMPDIR") or "/tmp")


def _user_name() -> str:
    """``getpass.getuser()`` without importing getpass (and termios with it): the first
    of these variables that is set, else the account's name (a service or a container
    may set none of them)."""
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if name := os.environ.get(variable):
            return name
    try:
        import pwd  # built in where it exists: what getpass itself asks
    except ImportError:
        import getpass  # where there is no pwd module (Windows) it says why

        return getpass.getuser()
    return pwd.getpwuid(os.getuid()).pw_name


def _sha256(data: bytes) -> str:
    """SHA-256 in hex. CPython's own implementation where it has one: hashlib loads
    OpenSSL first (~3 ms of ``tracktray status``, which computes this name)."""
    for name in ("_sha256", "_sha2"):  # Python 3.11; 3.12 and later
        try:
            # __import__, not importlib (~0.6 ms more): these are top-level modules
            module = __import__(name)
        except ImportError:
            continue
        return str(module.sha256(data).hexdigest())
    import hashlib

    return hashlib.sha256(data).hexdigest()
