"""When the database is unreachable, clients get a retryable 503, not a crash page."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tracktray.engine import Engine
from tracktray.engine.database import connect
from tracktray.server.app import create_app
from tracktray.server.running import ServerThread


@pytest.fixture
def origin(tmp_path: Path) -> Iterator[str]:
    # A PostgreSQL URL whose server does not exist (a socket directory with no socket).
    engine = Engine(connect(f"postgresql://nobody@/nothing?host={tmp_path}"))
    server = ServerThread(create_app(engine))  # plain HTTP on loopback: no TLS needed here
    yield server.start()
    server.stop()
    engine.close()


def test_an_unreachable_database_answers_503_with_retry_after(
    origin: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="tracktray.server"):
        response = httpx.post(f"{origin}/api/status.json", auth=("someone", "secret"))
        page = httpx.get(f"{origin}/blocks/1/edit", auth=("someone", "secret"))
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    assert "try again shortly" in response.text
    assert page.status_code == 503
    assert any("database error" in r.getMessage() for r in caplog.records)
    assert not any("secret" in r.getMessage() for r in caplog.records)


def test_the_timetrack_face_answers_a_database_outage_the_same_way(origin: str) -> None:
    headers = {"X-TimeTrack-Api-Key": "key", "X-TimeTrack-Api-Secret": "secret-secret"}
    for method, path in [("GET", "attendances"), ("POST", "attendance_timer/start")]:
        response = httpx.request(method, f"{origin}/api/v2/ext/{path}", headers=headers, json={})
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "5"
        [error] = response.json()["errors"]
        assert error["status"] == 503 and "try again shortly" in error["detail"]


def test_unknown_timetrack_addresses_keep_the_errors_body(origin: str) -> None:
    response = httpx.get(f"{origin}/api/v2/ext/nowhere")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
    response = httpx.delete(f"{origin}/api/v2/ext/clients")
    assert response.status_code == 405
    assert response.json()["errors"][0]["code"] == "method_not_allowed"
