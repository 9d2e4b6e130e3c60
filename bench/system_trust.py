"""A bench sandbox whose server account names no CA file and trusts the system's store.

The bench server's certificate comes from its own CA, and its accounts name that CA's
file, which is all they then trust. An account on a server with a public certificate
names none: it trusts the system's certificate authorities (``api/_trust.py``). This
set-up gives the sandbox a system store as a Debian desktop has one — this machine's
CAs and the bench's, one file each in a hashed directory (``SSL_CERT_DIR``; the
machine's own ``SSL_CERT_FILE``, if any, is not passed on) — and an account without a CA
file, so a figure shows what that account costs.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
import sys
from pathlib import Path

from bench.figures_startup import Setup
from bench.sandbox import Sandbox

__all__ = ["trusting_the_system"]


def trusting_the_system(setup: Setup | None, ca_file: Path) -> Setup | None:
    """``setup`` (which makes the account) with a system store holding ``ca_file`` and
    the account naming no CA file; None without ``openssl`` (to hash the directory)."""
    if setup is None or shutil.which("openssl") is None:
        return None

    def prepare(sandbox: Sandbox) -> None:
        setup(sandbox)
        store = sandbox.path("ssl-certs")
        store.mkdir()
        machine = Path(ssl.get_default_verify_paths().openssl_capath)
        for certificate in machine.glob("*.pem") if machine.is_dir() else ():
            (store / certificate.name).symlink_to(certificate.resolve())
        shutil.copy(ca_file, store / "tracktray-bench-ca.pem")
        subprocess.run(["openssl", "rehash", str(store)], check=True, capture_output=True)
        sandbox.env["SSL_CERT_DIR"] = str(store)
        sandbox.env.pop("SSL_CERT_FILE", None)
        subprocess.run(
            [sys.executable, "-c", _FORGET_THE_CA_FILE], env=sandbox.env, check=True, timeout=60
        )

    return prepare


#: the active account as the settings dialog leaves it without a CA file
_FORGET_THE_CA_FILE = """
from tracktray.store.settings import SettingsStore
store = SettingsStore()
settings = store.load()
account = settings.active_account
store.save(settings.with_account(account.replace(ca_file=None), activate=True))
"""
