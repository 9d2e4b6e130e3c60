"""TimeTrack fixtures on top of ``trackmypeople_server``: an API key, and fresh users with a client.

A pytest plugin (register it next to ``tests.support.server_fixtures``). The key is
created once per session directly in the engine the server runs on; every test gets a
fresh user, so tests never see each other's timers or entries.
"""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tracktray.api._http import make_http_client
from tracktray.api._retry import RetryPolicy
from tracktray.api.timetrack import TimeTrackClient
from tracktray.engine.timetrack import TimeTrack

API_KEY = "tracktray-test-key"
API_SECRET = "tracktray-test-secret-1234"


@dataclass(frozen=True)
class TimeTrackServer:
    base_url: str
    ca_file: str
    key: str
    secret: str
    server: Any  # the trackmypeople_server object

    def http(self) -> httpx.Client:
        """A raw client with the key and secret, for endpoint tests."""
        return httpx.Client(
            base_url=self.base_url,
            verify=ssl.create_default_context(cafile=self.ca_file),
            headers={"X-TimeTrack-Api-Key": self.key, "X-TimeTrack-Api-Secret": self.secret},
            timeout=10,
        )

    def client(
        self,
        username: str,
        *,
        zone: str = "Europe/Brussels",
        clock: Callable[[], dt.datetime] | None = None,
        secret: str | None = None,
    ) -> TimeTrackClient:
        http = make_http_client(self.ca_file, read_timeout=10, environ={})  # as an account's
        extra: dict[str, Any] = {"clock": clock} if clock is not None else {}
        return TimeTrackClient(
            self.base_url,
            username,
            self.key,
            secret or self.secret,
            http=http,
            owns_http=True,
            zone=ZoneInfo(zone),
            retry=RetryPolicy(attempts=1),
            **extra,
        )


@pytest.fixture(scope="session")
def timetrack_server(trackmypeople_server: Any) -> TimeTrackServer:
    TimeTrack(trackmypeople_server.engine).set_api_key(API_KEY, API_SECRET, "tests")
    return TimeTrackServer(
        base_url=trackmypeople_server.origin + "/api/v2/ext/",
        ca_file=str(trackmypeople_server.ca_file),
        key=API_KEY,
        secret=API_SECRET,
        server=trackmypeople_server,
    )


@pytest.fixture
def timetrack_http(timetrack_server: TimeTrackServer) -> Iterator[httpx.Client]:
    with timetrack_server.http() as http:
        yield http
