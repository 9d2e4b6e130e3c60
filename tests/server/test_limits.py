"""The limits of a server exposed to a network: throttled sign-ins (429 + Retry-After),
password hashes on a small pool, request-head and body timeouts, a cap on connections."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.org import TestUser, build_standard_tree, new_user
from tracktray.engine import Engine
from tracktray.engine.timetrack import TimeTrack
from tracktray.server.app import create_app
from tracktray.server.limits import Limits
from tracktray.server.running import ServerThread
from tracktray.server.throttle import Bucket, Throttle

LIMITS = Limits(
    max_connections=4,
    head_timeout_s=0.5,
    body_timeout_s=0.5,
    account_failures=3,
    address_failures=6,
    failure_window_s=60,
)


@dataclass
class Limited:
    origin: str
    engine: Engine
    user: TestUser
    trackers: dict[str, int]


@contextmanager
def _serving(directory: Path, limits: Limits, parser: str | None = None) -> Iterator[Limited]:
    engine = Engine.open(f"sqlite:///{directory / 'limits.sqlite'}")
    trackers = build_standard_tree(engine)
    user = new_user(engine, trackers)
    TimeTrack(engine).set_api_key("key", "right-secret")
    # plain HTTP
    server = ServerThread(create_app(engine, limits=limits), limits=limits, parser=parser)
    try:
        yield Limited(server.start(), engine, user, trackers)
    finally:
        server.stop()
        engine.close()


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[Limited]:
    with _serving(tmp_path, LIMITS) as server:
        yield server


@pytest.fixture(params=["h11", "httptools"])
def limited_on(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Limited]:
    """The connection-level limits, on each HTTP parser the server can run on."""
    with _serving(tmp_path, LIMITS, request.param) as server:
        yield server


def test_failed_sign_ins_are_throttled_per_account(limited: Limited) -> None:
    api = f"{limited.origin}/api/status.json"
    user = limited.user
    with httpx.Client(timeout=30) as known:  # the owner's widget, signed in before the attack
        assert known.post(api, auth=(user.username, user.password)).status_code == 200
        codes = [
            httpx.post(api, auth=(user.username, "wrong"), timeout=30).status_code for _ in range(5)
        ]
        assert codes == [401, 401, 401, 429, 429]
        refused = httpx.post(api, auth=(user.username, "wrong"), timeout=30)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert "Too many failed sign-ins" in refused.json()["error"]
        # The widget that already proved the password keeps working...
        assert known.post(api, auth=(user.username, user.password)).status_code == 200
    # ...and no new password is checked (hashed) while the account is throttled.
    other = new_user(limited.engine, limited.trackers)
    assert httpx.post(api, auth=(other.username, other.password), timeout=30).status_code == 200


def test_failed_sign_ins_are_throttled_per_client_address(limited: Limited) -> None:
    api = f"{limited.origin}/api/status.json"
    codes = [
        httpx.post(api, auth=(f"nobody{i}", "wrong"), timeout=30).status_code for i in range(8)
    ]
    assert codes == [401] * 6 + [429] * 2


def test_wrong_timetrack_secrets_are_throttled_too(limited: Limited) -> None:
    url = f"{limited.origin}/api/v2/ext/clients"
    wrong = {"X-TimeTrack-Api-Key": "key", "X-TimeTrack-Api-Secret": "wrong-secret"}
    codes = [httpx.get(url, headers=wrong, timeout=30).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    response = httpx.get(url, headers=wrong, timeout=30)
    assert response.headers["retry-after"] and response.json()["errors"][0]["status"] == 429


def test_password_hashes_run_on_a_small_pool_during_a_flood(tmp_path: Path) -> None:
    unthrottled = Limits(account_failures=1000, address_failures=1000)
    with _serving(tmp_path, unthrottled) as server:
        _flood(server)


def _flood(limited: Limited) -> None:
    api = f"{limited.origin}/api/status.json"
    with ThreadPoolExecutor(12) as pool:
        codes = list(
            pool.map(
                lambda i: httpx.post(api, auth=(f"flood{i}", "x"), timeout=30).status_code,
                range(24),
            )
        )
    assert set(codes) == {401}
    # 24 hashes at concurrency 12 ran on the hash pool, which never grew past its size
    # (the request threads only waited for it).
    hashers = [t for t in threading.enumerate() if t.name.startswith("tracktray-hash")]
    assert 1 <= len(hashers) <= 2  # Limits.hash_workers default


def test_the_throttle_refills_one_failure_per_window_share() -> None:
    now = [0.0]
    throttle = Throttle(Bucket(burst=3, window_s=30), clock=lambda: now[0])
    for _ in range(3):
        assert throttle.wait_s("k") == 0
        throttle.failed("k")
    assert throttle.wait_s("k") == 10  # one failure back every 30/3 s
    now[0] = 9.5
    assert throttle.wait_s("k") == 1
    now[0] = 10.0
    assert throttle.wait_s("k") == 0
    throttle.succeeded("k")
    assert throttle.wait_s("k") == 0


def test_the_throttle_forgets_refilled_keys_beyond_its_size() -> None:
    now = [0.0]
    throttle = Throttle(Bucket(burst=2, window_s=10), max_keys=100, clock=lambda: now[0])
    for i in range(100):
        throttle.failed(f"old{i}")
    now[0] = 60.0
    throttle.failed("new")
    assert throttle.wait_s("new") == 0 and len(throttle._tokens) == 1


def _raw(origin: str) -> socket.socket:
    host, port = origin.removeprefix("http://").rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
        return True
    except (TimeoutError, ConnectionResetError):
        return False
    finally:
        sock.close()


def test_a_request_head_sent_too_slowly_is_cut_off(limited_on: Limited) -> None:
    sock = _raw(limited_on.origin)
    sock.sendall(b"POST /api/status.json HTTP/1.1\r\nHost: x\r\n")  # and never the rest
    started = time.monotonic()
    assert _closed_within(sock, 5)
    assert time.monotonic() - started < 3


def test_an_idle_connection_that_never_speaks_is_cut_off(limited_on: Limited) -> None:
    assert _closed_within(_raw(limited_on.origin), 5)


def test_a_body_sent_too_slowly_answers_408(limited_on: Limited) -> None:
    sock = _raw(limited_on.origin)
    user = limited_on.user
    token = httpx.BasicAuth(user.username, user.password)._auth_header
    sock.sendall(
        b"POST /api/status.json HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Authorization: " + token.encode() + b"\r\n\r\nabc"
    )
    sock.settimeout(5)
    answer = sock.recv(4096)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408")


def test_connections_beyond_the_cap_are_closed_at_once(limited_on: Limited) -> None:
    held = [_raw(limited_on.origin) for _ in range(LIMITS.max_connections)]
    try:
        for sock in held:  # each one is accepted: it answers a request
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        extra = _raw(limited_on.origin)
        assert _closed_within(extra, 2)
    finally:
        for sock in held:
            sock.close()
