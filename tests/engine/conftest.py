"""Engine tests run on a real SQLite file: a migrated template copied per test."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.clicks import Clicks
from tests.support.clock import FakeClock
from tests.support.org import build_standard_tree
from tracktray.engine import Engine
from tracktray.engine.plainwrite import PlainTracking
from tracktray.engine.readpath import PlainReader

# A Monday in November: Brussels is UTC+1.
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("engine-template") / "template.sqlite"
    engine = Engine.open(f"sqlite:///{path}")
    build_standard_tree(engine)
    engine.close()
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def engine(template_db: Path, tmp_path: Path, clock: FakeClock) -> Iterator[Engine]:
    path = tmp_path / "engine.sqlite"
    shutil.copy(template_db, path)
    eng = Engine.open(f"sqlite:///{path}", clock=clock)
    yield eng
    eng.close()


@pytest.fixture
def tree(engine: Engine) -> dict[str, int]:
    return build_standard_tree(engine)  # already there: returns the ids


@pytest.fixture(params=["engine", "plain"])
def clicks(
    request: pytest.FixtureRequest, engine: Engine, tmp_path: Path, clock: FakeClock
) -> Iterator[Clicks]:
    """The click rules run by the engine, or by local mode's plain path on the engine's
    own file with the same clock: every test using it runs both ways."""
    if request.param == "engine":
        yield engine
        return
    reader = PlainReader.open(tmp_path / "engine.sqlite")
    assert reader is not None
    yield PlainTracking(reader, clock=clock)
    reader.close()
