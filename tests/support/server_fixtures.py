"""Session fixtures that start the real engine server over HTTPS on loopback.

``tmp_server`` is one server for the whole session (uvicorn in a thread, trustme CA,
SQLite file); ``server_user`` is a fresh user on it for each test, so tests never see
each other's blocks.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.https_server import TmpServer, start_tmp_server
from tests.support.org import TestUser

__all__ = ["TestUser", "TmpServer", "server_user", "tmp_server"]


@pytest.fixture(scope="session")
def tmp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TmpServer]:
    server = start_tmp_server(tmp_path_factory.mktemp("tmp-server"))
    yield server
    server.stop()


@pytest.fixture
def server_user(tmp_server: TmpServer) -> TestUser:
    return tmp_server.new_user()
