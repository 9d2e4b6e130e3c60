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


@pytest.mark.usefixtures("no_keyring")
def test_no_keyring_says_what_to_do() -> None:
    store = CredentialStore()
    assert not store.available()
    actions: list[Callable[[], object]] = [
        lambda: store.get("a"),
        lambda: store.set("a", "pw"),
        lambda: store.delete("a"),
    ]
    for action in actions:
        with pytest.raises(NoKeyringError, match="TRACKTRAY_PASSWORD"):
            action()
    assert CredentialStore.session_only().available()
