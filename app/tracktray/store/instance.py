"""Where the running widget listens: its lock file and local socket, computed without Qt.

The widget (``desktop/single_instance.py``, QLockFile + QLocalServer) and the CLI (which
asks a running widget for ``status`` with the stdlib ``socket``) must agree on one name
per user and runtime folder; this is the one place that names it.
"""

from __future__ import annotations

import getpass
import importlib
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

__all__ = ["InstanceAddress", "instance_address"]

#: Unix socket paths are limited to 108 bytes (sun_path); longer ones use a short name
_MAX_SOCKET_PATH: Final = 100


@dataclass(frozen=True)
class InstanceAddress:
    folder: Path
    lock_path: Path
    #: QLocalServer's name: a socket path, or a short name Qt places in the temp folder
    server_name: str

    @property
    def socket_path(self) -> Path:
        """The Unix socket's file (where QLocalServer puts a short name: the temp dir)."""
        if "/" in self.server_name:
            return Path(self.server_name)
        return Path(tempfile.gettempdir()) / self.server_name


def _sha256(data: bytes) -> Any:
    """SHA-256 from Python's own module where it has one: the same digest as hashlib's
    without loading OpenSSL (~3 ms, on the widget's and ``tracktray status``'s start)."""
    for builtin in ("_sha2", "_sha256"):  # Python 3.12+, 3.11
        try:
            return importlib.import_module(builtin).sha256(data)
        except ImportError:
            continue
    import hashlib

    return hashlib.sha256(data)


def instance_address(key: str = "tracktray", directory: Path | None = None) -> InstanceAddress:
    if directory is None:
        import platformdirs

        directory = Path(platformdirs.user_runtime_dir("tracktray", ensure_exists=True))
    # Per user: the runtime dir is the user's own, and the names carry the user. The
    # folder is part of the digest: when the socket path is too long and the short name
    # is used instead, instances of different runtime folders (other sessions, tests)
    # must not answer for each other.
    user = getpass.getuser()
    digest = _sha256(f"{user}\0{key}\0{directory.resolve()}".encode()).hexdigest()[:16]
    socket_path = directory / f"{key}-{digest}.socket"
    if sys.platform == "win32" or len(str(socket_path)) > _MAX_SOCKET_PATH:
        server_name = f"{key}-{digest}"
    else:
        server_name = str(socket_path)
    return InstanceAddress(directory, directory / f"{key}-{digest}.lock", server_name)
