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
