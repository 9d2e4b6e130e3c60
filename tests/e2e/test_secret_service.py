"""Passwords round-trip through a real Secret Service (gnome-keyring) on a private bus.

The credential store is the widget's own (``tracktray.store.credentials``), with the
Secret Service backend chosen explicitly, as on a GNOME desktop; a command, which sets
no backend, reads the password without importing keyring (``store/secret_service.py``),
and leaves to keyring what it cannot read plainly (a locked keyring, a configured one).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection
from jeepney.wrappers import unwrap_msg
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from tests.support.desktop_env import DesktopSession, missing_programs
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


# What a command (``tracktray status``) reads: the password, and whether keyring loaded.
READ_AS_A_COMMAND = (
    "import sys\n"
    "from tracktray.store.credentials import CredentialStore\n"
    "try:\n"
    "    print(CredentialStore().get(sys.argv[1]))\n"
    "except Exception as exc:\n"
    "    print(type(exc).__name__, exc)\n"
    "print('keyring loaded' if 'keyring' in sys.modules else 'no keyring')\n"
)


def read_as_a_command(
    desktop: DesktopSession, account_id: str, *, script: str = READ_AS_A_COMMAND, **extra: str
) -> list[str]:
    env = {**desktop.env(), **extra}
    env.pop("PYTHON_KEYRING_BACKEND", None)  # keyring's own choice: the Secret Service
    done = subprocess.run(
        [sys.executable, "-c", script, account_id],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return done.stdout.splitlines()


def test_a_command_reads_what_keyring_stored_without_importing_keyring(
    store: CredentialStore, secret_service: DesktopSession
) -> None:
    store.set("work-server", SECRET)  # through keyring's Secret Service backend
    assert read_as_a_command(secret_service, "work-server") == [SECRET, "no keyring"]
    assert read_as_a_command(secret_service, "nobody") == ["None", "no keyring"]
    # a keyring configuration file names the backend: keyring reads, as it always did
    configs = secret_service.home / "configs"
    config = configs / "python_keyring" / "keyringrc.cfg"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[backend]\ndefault-keyring=keyring.backends.SecretService.Keyring\n")
    configured = read_as_a_command(secret_service, "work-server", XDG_CONFIG_HOME=str(configs))
    assert configured == [SECRET, "keyring loaded"]


# The same read by a child process while the command goes on (store/secret_ahead.py),
# as ``tracktray status`` does on Linux: the answer, and what this process loaded.
READ_AHEAD = (
    "import sys\n"
    "from tracktray.store.credentials import CredentialStore\n"
    "from tracktray.store.secret_ahead import read_ahead\n"
    "print(read_ahead(CredentialStore(), sys.argv[1])())\n"
    "print(sorted({'keyring', 'jeepney', 'tracktray.store.secret_service'} & set(sys.modules)))\n"
)


def test_a_child_reads_the_secret_service_for_the_command(
    store: CredentialStore, secret_service: DesktopSession
) -> None:
    store.set("work-server", SECRET)
    for account, said in (("work-server", SECRET), ("nobody", "None")):
        # the answer, and nothing read in this process
        assert read_as_a_command(secret_service, account, script=READ_AHEAD) == [said, "[]"]


def test_a_locked_keyring_is_left_to_keyring_which_says_so(tmp_path: Path) -> None:
    missing = missing_programs("Xvfb", "dbus-daemon", "gnome-keyring-daemon")
    if missing:
        pytest.skip(f"needs {', '.join(missing)}: run scripts/install-system-packages")
    desktop = DesktopSession(tmp_path)  # its own keyring: this test locks it
    try:
        desktop.start_keyring("login password")
        env = desktop.env(PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring")
        subprocess.run(
            [sys.executable, "-c", "import keyring; keyring.set_password('tracktray', 'w', 's')"],
            env=env, check=True, timeout=30,
        )  # fmt: skip
        with open_dbus_connection(desktop.bus_address) as bus:
            service = DBusAddress(
                "/org/freedesktop/secrets",
                bus_name="org.freedesktop.secrets",
                interface="org.freedesktop.Secret.Service",
            )
            default = ["/org/freedesktop/secrets/aliases/default"]
            unwrap_msg(bus.send_and_get_reply(new_method_call(service, "Lock", "ao", (default,))))
        # keyring asks to unlock (no one can answer here) and says it is locked
        assert read_as_a_command(desktop, "w") == [
            "CredentialStoreError The keyring is locked, so tracktray could not read the "
            "password; unlock it and try again.",
            "keyring loaded",
        ]
    finally:
        desktop.close()
