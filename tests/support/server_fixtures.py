"""Session fixtures that start the real engine server over HTTPS on loopback.

``trackmypeople_server`` is one server for the whole session (uvicorn in a thread, trustme CA,
SQLite file); ``server_user`` is a fresh user on it for each test, so tests never see
each other's blocks.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.https_server import TrackMyPeopleServer, start_trackmypeople_server
from tests.support.org import TestUser

__all__ = ["TestUser", "TrackMyPeopleServer", "server_user", "trackmypeople_server"]


@pytest.fixture(scope="session")
def trackmypeople_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrackMyPeopleServer]:
    server = start_trackmypeople_server(tmp_path_factory.mktemp("tmp-server"))
    yield server
    server.stop()


@pytest.fixture
def server_user(trackmypeople_server: TrackMyPeopleServer) -> TestUser:
    return trackmypeople_server.new_user()
