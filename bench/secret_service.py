"""A bench sandbox whose server account keeps its password in a real Secret Service.

The bench's sandboxes keep passwords in a file keyring (``PYTHON_KEYRING_BACKEND``),
which loads keyring's package. A Linux desktop keeps them in the Secret Service, which
tracktray reads without keyring (``store/secret_service.py``): where gnome-keyring is
installed, this set-up moves the password there (gnome-keyring on a private session bus)
and leaves keyring to its own choice, so a figure can show what a desktop user meets.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys

from bench.figures_startup import Setup
from bench.sandbox import Sandbox

__all__ = ["in_secret_service"]


#: moves the account's password from the bench's file keyring into the Secret Service
_TO_SECRET_SERVICE = """
from keyring.backends.SecretService import Keyring
from tests.support.filekeyring import FileKeyring
secret = FileKeyring().get_password("tracktray", "bench")
Keyring().set_password("tracktray", "bench", secret)
FileKeyring().delete_password("tracktray", "bench")
"""


def in_secret_service(setup: Setup | None, desktops: contextlib.ExitStack) -> Setup | None:
    """``setup`` with the password in gnome-keyring's Secret Service (a private session
    bus, closed with ``desktops``) and keyring left to its own choice; None without
    gnome-keyring or without ``setup``."""
    from tests.support.desktop_env import DesktopSession, missing_programs

    if setup is None or missing_programs("Xvfb", "dbus-daemon", "gnome-keyring-daemon"):
        return None

    def prepare(sandbox: Sandbox) -> None:
        setup(sandbox)
        desktop = DesktopSession(sandbox.path("desktop"))
        desktops.callback(desktop.close)
        desktop.start_keyring("bench login")
        sandbox.env["DBUS_SESSION_BUS_ADDRESS"] = desktop.bus_address
        subprocess.run(
            [sys.executable, "-c", _TO_SECRET_SERVICE], env=sandbox.env, check=True, timeout=60
        )
        del sandbox.env["PYTHON_KEYRING_BACKEND"]  # keyring's own choice: the Secret Service

    return prepare
