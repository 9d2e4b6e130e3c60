"""The engine's TrackMyPeople server on loopback over real HTTPS, for tests.

Used by the session fixture ``trackmypeople_server`` and by tests that need their own server (an
injected clock, a separate database).
"""

from __future__ import annotations

import dataclasses
import ssl
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.org import TestUser, build_standard_tree, new_user
from tracktray.engine import Clock, Engine
from tracktray.engine.engine import system_clock
from tracktray.server.app import create_app
from tracktray.server.limits import Limits
from tracktray.server.running import ServerThread, Tls
from tracktray.server.tls import self_signed


@dataclass
class TrackMyPeopleServer:
    api_url: str
    origin: str
    ca_file: Path
    db_url: str
    engine: Engine
    trackers: dict[str, int] = field(default_factory=dict)
    thread: ServerThread | None = None

    def new_user(
        self,
        *,
        timezone: str = "Europe/Brussels",
        can_see_reporting: bool = False,
        password: str | None = None,
    ) -> TestUser:
        return new_user(
            self.engine,
            self.trackers,
            timezone=timezone,
            can_see_reporting=can_see_reporting,
            password=password,
        )

    def run_probe(self, user: TestUser, probe: str) -> str:
        """Run ``probe`` in a fresh interpreter (what it imports is its own), its
        ``sys.argv[1:]`` this server's API URL, ``user``'s name and password and the CA
        file, no proxy in its environment; its output, stripped."""
        import os
        import subprocess
        import sys

        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        arguments = [self.api_url, user.username, user.password, str(self.ca_file)]
        done = subprocess.run(
            [sys.executable, "-c", probe, *arguments],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            env=env,
        )
        return done.stdout.strip()

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def client(self, user: TestUser | None = None) -> httpx.Client:
        """A keep-alive client on the API base URL, signed in as ``user`` if given."""
        return httpx.Client(
            base_url=self.api_url,
            verify=self.ssl_context(),
            auth=(user.username, user.password) if user else None,
            timeout=30,
        )

    def stop(self) -> None:
        if self.thread is not None:
            self.thread.stop()
        self.engine.close()


def start_trackmypeople_server(
    directory: Path, *, clock: Clock = system_clock, idle_timeout_s: float | None = None
) -> TrackMyPeopleServer:
    """A fresh SQLite file with the standard tree, served on 127.0.0.1:<free port>;
    ``idle_timeout_s`` shortens how long it keeps an idle connection open."""
    directory.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{directory / 'server.sqlite'}"
    engine = Engine.open(db_url, clock=clock)
    trackers = build_standard_tree(engine)
    files = self_signed(directory / "tls")
    assert files.ca is not None
    # One server for the whole session, every test from 127.0.0.1: the sign-in throttle
    # would add up hundreds of tests' deliberate wrong passwords (tests/server/test_limits.py
    # covers it with its own server).
    limits = Limits(account_failures=100_000, address_failures=100_000)
    if idle_timeout_s is not None:
        limits = dataclasses.replace(limits, idle_timeout_s=idle_timeout_s)
    thread = ServerThread(
        create_app(engine, limits=limits), tls=Tls(files.cert, files.key), limits=limits
    )
    origin = thread.start()
    return TrackMyPeopleServer(
        api_url=f"{origin}/api/",
        origin=origin,
        ca_file=files.ca,
        db_url=db_url,
        engine=engine,
        trackers=trackers,
        thread=thread,
    )
