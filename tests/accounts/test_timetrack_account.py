from __future__ import annotations

from pathlib import Path

import pytest

from tracktray.accounts.factory import open_backend
from tracktray.accounts.timetrack import attendance_of, join_key_secret, split_key_secret
from tracktray.api import AuthenticationFailed
from tracktray.api.timetrack import TimeTrackClient
from tracktray.store.settings import AccountConfig

CONFIG = AccountConfig(
    id="tt",
    kind="timetrack",
    label="Acme TimeTrack",
    url="https://acme.example.com",
    username="ivan",
    ca_file=None,
)


@pytest.mark.parametrize(("key", "secret"), [("k", "s"), ("a:b", "c:d:e"), ("k", '{"x": 1}')])
def test_key_and_secret_survive_the_keyring_entry(key: str, secret: str) -> None:
    assert split_key_secret(join_key_secret(key, secret)) == (key, secret)


def test_colon_form_is_accepted() -> None:
    assert split_key_secret("key:se:cret") == ("key", "se:cret")


@pytest.mark.parametrize("stored", ["", "only-a-key", '{"key": "k"}'])
def test_incomplete_entry_is_an_authentication_error(stored: str) -> None:
    with pytest.raises(AuthenticationFailed, match="incomplete"):
        split_key_secret(stored)


def test_factory_opens_a_timetrack_client(tmp_path: Path) -> None:
    backend = open_backend(CONFIG, join_key_secret("k", "s"), data_dir=tmp_path)
    try:
        assert isinstance(backend, TimeTrackClient)
        assert backend.base_url == "https://acme.example.com/api/v2/ext/"
        assert attendance_of(backend) is backend
    finally:
        backend.close()


def test_factory_without_secret_says_so(tmp_path: Path) -> None:
    with pytest.raises(AuthenticationFailed, match="API key and secret"):
        open_backend(CONFIG, None, data_dir=tmp_path)
