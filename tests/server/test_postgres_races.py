"""Races on a team server: two ``tracktray-server`` processes on one PostgreSQL database,
each pair of requests sent at the same moment, one to each process.

The rules must hold whichever process answers first: two overlapping ``add``s never both
stored, one winner for two ``stop``s (the loser gets ``result`` 0, nothing was open for
it), one winner for two TimeTrack clock-outs (the loser gets 409).
"""

from __future__ import annotations

import datetime as dt
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from tests.support.org import TestUser, build_standard_tree, new_user
from tests.support.postgres import PostgresServer, find_binaries
from tests.support.server_process import ServerProcess
from tracktray.engine import Engine
from tracktray.engine.tables import blocks
from tracktray.engine.timetrack import TimeTrack
from tracktray.server.tls import self_signed

pytestmark = pytest.mark.postgres

PAIRS = 60
KEY, SECRET = "race-key", "race-secret-0123456789"


@dataclass
class Team:
    engine: Engine
    user: TestUser
    servers: list[ServerProcess]


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def team(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Team]:
    """Two server processes on one database: PostgreSQL, and a SQLite file (kept honest)."""
    postgres: PostgresServer | None = None
    servers: list[ServerProcess] = []
    try:
        if request.param == "postgresql":
            bindir = find_binaries()
            if bindir is None:
                pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
            postgres = PostgresServer(bindir)
            postgres.start()
            url = postgres.url(postgres.create_database())
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp('race-db') / 'team.sqlite'}"
        engine = Engine.open(url)
        user = new_user(engine, build_standard_tree(engine), timezone="UTC")
        TimeTrack(engine).set_api_key(KEY, SECRET, "races")
        tls = tmp_path_factory.mktemp("race-tls")
        self_signed(tls)  # made once, before two processes could both make it
        servers = [ServerProcess(url, tls) for _ in range(2)]
        yield Team(engine, user, servers)
        engine.close()
    finally:
        for server in servers:
            server.stop()
        if postgres is not None:
            postgres.stop()


@contextmanager
def _clients(
    team: Team, path: str, headers: dict[str, str] | None = None
) -> Iterator[list[httpx.Client]]:
    clients = [
        httpx.Client(
            base_url=server.origin + path,
            verify=ssl.create_default_context(cafile=str(server.ca_file)),
            auth=(team.user.username, team.user.password),
            headers=headers,
            timeout=30,
        )
        for server in team.servers
    ]
    try:
        yield clients
    finally:
        for client in clients:
            client.close()


def _race(
    clients: list[httpx.Client],
    pairs: int,
    before: Callable[[int], None],
    send: Callable[[httpx.Client, int, int], httpx.Response],
) -> list[tuple[httpx.Response, httpx.Response]]:
    """For each pair: ``before(i)`` alone, then ``send`` on both clients at the same moment."""
    barrier = threading.Barrier(3)
    slots: list[httpx.Response | None] = [None, None]
    out: list[tuple[httpx.Response, httpx.Response]] = []

    def worker(side: int) -> None:
        for i in range(pairs):
            barrier.wait()  # the pair's setup is done
            slots[side] = send(clients[side], side, i)
            barrier.wait()  # both answered

    threads = [threading.Thread(target=worker, args=(side,)) for side in (0, 1)]
    for thread in threads:
        thread.start()
    for i in range(pairs):
        before(i)
        barrier.wait()
        barrier.wait()
        first, second = slots
        assert first is not None and second is not None
        out.append((first, second))
    for thread in threads:
        thread.join()
    return out


def test_two_processes_never_both_store_overlapping_blocks(team: Team) -> None:
    with _clients(team, "/api/") as clients:
        _check_adds(team, clients)


def _check_adds(team: Team, clients: list[httpx.Client]) -> None:
    base = int(dt.datetime.now(dt.UTC).timestamp()) // 3600 * 3600 - 3 * 3600

    def send(client: httpx.Client, side: int, i: int) -> httpx.Response:
        start = base - i * 3 * 3600 + side * 1800  # the two halves overlap by 30 minutes
        return client.post("add.json", data={"start": str(start), "stop": str(start + 3600)})

    answers = _race(clients, PAIRS, lambda i: None, send)
    both = sum(1 for a, b in answers if a.json()["result"] == b.json()["result"] == 1)
    assert all(r.status_code == 200 for pair in answers for r in pair)
    assert both == 0, f"{both} of {PAIRS} overlapping pairs were both stored"
    for a, b in answers:
        loser = a if a.json()["result"] == 0 else b
        assert loser.json()["error"] == "overlap" and "/blocks/" in loser.json()["url"]


def test_two_processes_stopping_at_once_have_exactly_one_winner(team: Team) -> None:
    with _clients(team, "/api/") as clients:
        _check_stops(team, clients)


def _check_stops(team: Team, clients: list[httpx.Client]) -> None:
    starter = clients[0]

    def before(i: int) -> None:
        assert starter.post("start.json").json()["result"] == 1

    def send(client: httpx.Client, side: int, i: int) -> httpx.Response:
        data = {"description": f"pair {i} side {side}"}
        if side == 1:  # one side replays a stop with its time (the ``at`` extension)
            data["at"] = str(int(time.time()))
        return client.post("stop.json", data=data)

    answers = _race(clients, PAIRS, before, send)
    results = [sorted((a.json()["result"], b.json()["result"])) for a, b in answers]
    double = sum(1 for r in results if r == [1, 1])
    assert double == 0, f"{double} of {PAIRS} stop pairs both answered result 1"
    assert all(r == [0, 1] for r in results)
    for a, b in answers:
        loser = a if a.json()["result"] == 0 else b
        assert "nothing to stop" in loser.json()["error"]
    # The winner's description is the one stored on each closed block.
    with team.engine.db.connect() as conn:
        stored = set(
            conn.execute(
                select(blocks.c.description).where(
                    blocks.c.profile_id == team.user.profile_id,
                    blocks.c.description.like("pair %"),
                )
            ).scalars()
        )
    winners = {
        ("pair {} side {}".format(i, 0 if a.json()["result"] == 1 else 1))
        for i, (a, b) in enumerate(answers)
    }
    assert stored == winners


def test_two_processes_clocking_out_at_once_answer_one_200_and_one_409(team: Team) -> None:
    headers = {"X-TimeTrack-Api-Key": KEY, "X-TimeTrack-Api-Secret": SECRET}
    with _clients(team, "/api/v2/ext/", headers) as clients:
        _check_clock_outs(team, clients)


def _check_clock_outs(team: Team, clients: list[httpx.Client]) -> None:
    day = dt.date.today() - dt.timedelta(days=2)

    def stamp(i: int, hour: int) -> str:
        return f"{day - dt.timedelta(days=i)}T{hour:02d}:00:00.000Z"

    def before(i: int) -> None:
        body: dict[str, Any] = {"username": team.user.username, "date": stamp(i, 9)}
        assert clients[0].post("attendance_timer/start", json=body).status_code == 200

    def send(client: httpx.Client, side: int, i: int) -> httpx.Response:
        body = {"username": team.user.username, "date": stamp(i, 17)}
        return client.post("attendance_timer/stop", json=body)

    answers = _race(clients, PAIRS, before, send)
    codes = [sorted((a.status_code, b.status_code)) for a, b in answers]
    double = sum(1 for c in codes if c == [200, 200])
    assert double == 0, f"{double} of {PAIRS} clock-out pairs both answered 200"
    assert all(c == [200, 409] for c in codes)
    with team.engine.db.connect() as conn:
        entries = conn.execute(
            select(func.count()).where(
                blocks.c.profile_id == team.user.profile_id, blocks.c.kind == "attendance"
            )
        ).scalar_one()
    assert entries == PAIRS
