"""Secrets go to the keyring only; without one the user is told what to do."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tracktray.store import CredentialStore, NoKeyringError


def test_keyring_round_trip() -> None:
    store = CredentialStore(service="tracktray-test-roundtrip")
    assert store.available()
    assert store.get("acct") is None
    store.set("acct", "s3cret")
    assert store.get("acct") == "s3cret"
    assert CredentialStore(service="tracktray-test-roundtrip").get("acct") == "s3cret"
    store.delete("acct")
    store.delete("acct")  # forgetting twice is fine
    assert store.get("acct") is None


def test_session_only_remembers_in_memory() -> None:
    store = CredentialStore.session_only(service="tracktray-test-session")
    store.set("acct", "pw")
    assert store.get("acct") == "pw"
    assert not store.remembers_across_sessions
    assert CredentialStore(service="tracktray-test-session").get("acct") is None
    store.delete("acct")
    assert store.get("acct") is None


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """What a headless Linux without Secret Service has: keyring's "fail" backend."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def assert_no_keyring_is_said(store: CredentialStore) -> None:
    """Every call of ``store`` says there is no keyring, and what to do instead."""
    assert not store.available()
    actions: list[Callable[[], object]] = [
        lambda: store.get("a"),
        lambda: store.set("a", "pw"),
        lambda: store.delete("a"),
    ]
    for action in actions:
        with pytest.raises(NoKeyringError, match="TRACKTRAY_PASSWORD"):
            action()


@pytest.mark.usefixtures("no_keyring")
def test_no_keyring_says_what_to_do() -> None:
    assert_no_keyring_is_said(CredentialStore())
    assert CredentialStore.session_only().available()


_LOADS = """
import json, os, sys
from tracktray.store import CredentialStore
from tracktray._lazy import has_run

store = CredentialStore(service="tracktray-test-metadata")
store.set("acct", "pw")
read = store.get("acct")
loaded_then = has_run("importlib_metadata") or has_run("importlib.metadata")
import keyring.backend  # keyring's own discovery: the entry-point scan
names = sorted(type(backend).__name__ for backend in keyring.backend.get_all_keyring())
store.delete("acct")
print(json.dumps([read, loaded_then, names]))
"""


def test_keyring_loads_its_entry_points_only_when_its_discovery_scans_them() -> None:
    import json
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _LOADS], capture_output=True, text=True, env=os.environ, check=True
    )
    read, loaded_then, names = json.loads(done.stdout)
    assert read == "pw"  # the keyring works with the stand-in
    assert not loaded_then  # ...without importlib_metadata
    # the scan ran through the stand-in: keyring's installed backends (chainer, fail...)
    assert "ChainerBackend" in names, names
