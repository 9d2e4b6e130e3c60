"""The factory opens each kind of account ready to use, and nothing heavier than needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tracktray.accounts import Backend, Capability
from tracktray.accounts.factory import default_data_dir, open_backend, widget_version
from tracktray.api import AuthenticationFailed, ValidationFailed
from tracktray.api.trackmypeople import TrackMyPeopleClient
from tracktray.store import AccountConfig
from tracktray.store.settings import LOCAL_ACCOUNT


def test_local_account_opens_the_local_engine(tmp_path: Path) -> None:
    backend = open_backend(LOCAL_ACCOUNT, None, data_dir=tmp_path)
    try:
        assert isinstance(backend, Backend)
        assert backend.capabilities & Capability.MANAGE_TRACKERS
        assert [t.name for t in backend.trackers()] == ["General"]
    finally:
        backend.close()
    assert (tmp_path / "local.sqlite").is_file()


def test_trackmypeople_account_over_https(trackmypeople_server: Any, server_user: Any) -> None:
    config = AccountConfig(
        id="work",
        kind="trackmypeople",
        label="Work",
        url=trackmypeople_server.origin,
        username=server_user.username,
        ca_file=str(trackmypeople_server.ca_file),
    )
    backend = open_backend(config, server_user.password, data_dir=Path("unused"))
    try:
        assert isinstance(backend, TrackMyPeopleClient)
        assert isinstance(backend, Backend)
        assert backend.capabilities & Capability.REPORTEES
        assert backend.base_url == trackmypeople_server.api_url
        assert backend.status().default_tracker is not None
    finally:
        backend.close()


def test_trackmypeople_needs_a_password_and_a_valid_address() -> None:
    config = AccountConfig(id="w", kind="trackmypeople", label="Work", url="https://x.example")
    with pytest.raises(AuthenticationFailed, match="No password"):
        open_backend(config, None, data_dir=Path("unused"))
    plain = AccountConfig(id="w", kind="trackmypeople", label="W", url="http://x.example")
    with pytest.raises(ValidationFailed, match="https"):
        open_backend(plain, "pw", data_dir=Path("unused"))


def test_a_remote_account_does_not_load_the_engine() -> None:
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tracktray.accounts.factory import open_backend\n"
        "from tracktray.store import AccountConfig\n"
        "c = AccountConfig(id='w', kind='trackmypeople', label='W', url='https://x.example')\n"
        "open_backend(c, 'pw', data_dir=Path('.')).close()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'sqlalchemy', 'alembic', 'PySide6', 'starlette'}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_widget_version_and_data_dir() -> None:
    assert widget_version().startswith(("Linux_Qt-", "Mac_Qt-", "Windows_Qt-"))
    assert default_data_dir().name == "tracktray"
