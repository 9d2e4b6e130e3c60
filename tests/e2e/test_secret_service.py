"""Passwords round-trip through a real Secret Service (gnome-keyring) on a private bus.

The credential store is the widget's own (``tracktray.store.credentials``), with the
Secret Service backend chosen explicitly, as on a GNOME desktop.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from tests.support.desktop_env import DesktopSession
from tracktray.store.credentials import CredentialStore

SECRET = "correct horse battery staple"

# What another process (the CLI, the next widget start) reads from the same keyring.
READ_ELSEWHERE = (
    "import keyring, sys; print(keyring.get_password('tracktray', sys.argv[1]) or '<none>')"
)


@pytest.fixture
def store(
    secret_service: DesktopSession, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CredentialStore]:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service.bus_address)
    previous = keyring.get_keyring()
    keyring.set_keyring(SecretServiceKeyring())
    try:
        yield CredentialStore()
    finally:
        keyring.set_keyring(previous)


def read_elsewhere(desktop: DesktopSession, account_id: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", READ_ELSEWHERE, account_id],
        env=desktop.env(PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring"),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return done.stdout.strip()


def test_a_password_round_trips_through_gnome_keyring(
    store: CredentialStore, secret_service: DesktopSession
) -> None:
    assert store.available()
    store.set("work-server", SECRET)
    assert CredentialStore().get("work-server") == SECRET
    # Kept by the keyring daemon, not by this process:
    assert read_elsewhere(secret_service, "work-server") == SECRET
    # ...and stored encrypted on disk.
    keyrings = secret_service.home / ".local/share/keyrings"
    stored = [p.read_bytes() for p in keyrings.iterdir() if p.is_file()]
    assert stored, "gnome-keyring wrote no keyring file"
    assert not any(SECRET.encode() in data for data in stored)


def test_forgetting_a_password_removes_it_from_the_keyring(
    store: CredentialStore, secret_service: DesktopSession
) -> None:
    store.set("old-server", SECRET)
    store.delete("old-server")
    assert store.get("old-server") is None
    assert read_elsewhere(secret_service, "old-server") == "<none>"
    store.delete("old-server")  # forgetting twice is fine


# A process that sets no backend, as the CLI on a desktop: which one it uses, and
# whether keyring's discovery of every installed backend ran (it loads kwallet's).
CHOSEN_ELSEWHERE = (
    "import sys; from tracktray.store.credentials import CredentialStore, _keyring\n"
    "secret = CredentialStore().get(sys.argv[1])\n"
    "print(type(_keyring().get_keyring()).__module__, secret,\n"
    "      'discovered' if 'keyring.backends.kwallet' in sys.modules else 'asked directly')\n"
)


def test_a_process_without_a_backend_setting_asks_secret_service_directly(
    store: CredentialStore, secret_service: DesktopSession
) -> None:
    store.set("work-server", SECRET)
    env = secret_service.env()
    env.pop("PYTHON_KEYRING_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-c", CHOSEN_ELSEWHERE, "work-server"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert done.stdout.split(maxsplit=1) == [
        "keyring.backends.SecretService",
        f"{SECRET} asked directly\n",
    ]
