"""The app's bench hooks: silent by default, one timestamped line per event when asked,
and bench commands answered from the Qt event loop."""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from tracktray.desktop import benchhooks, benchprobe


@pytest.fixture
def hooks_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """benchhooks as the app sees it when the bench sets TRACKTRAY_BENCH_EVENTS."""
    monkeypatch.setenv(benchhooks.EVENTS_ENV, str(tmp_path / "events"))
    yield importlib.reload(benchhooks)
    monkeypatch.delenv(benchhooks.EVENTS_ENV)
    importlib.reload(benchhooks)


def _events(tmp_path: Path) -> list[tuple[int, str]]:
    lines = (tmp_path / "events").read_text().splitlines()
    return [(int(ns), event) for ns, event in (line.split(" ", 1) for line in lines)]


def test_emit_writes_nothing_unless_the_bench_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(benchhooks.EVENTS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    importlib.reload(benchhooks).emit("icon-shown")
    assert list(tmp_path.iterdir()) == []


def test_emit_appends_monotonic_timestamped_lines(hooks_to: ModuleType, tmp_path: Path) -> None:
    before = time.monotonic_ns()
    hooks_to.emit("icon-shown")
    hooks_to.emit("pong 7")
    after = time.monotonic_ns()
    events = _events(tmp_path)
    assert [event for _, event in events] == ["icon-shown", "pong 7"]
    assert before <= events[0][0] <= events[1][0] <= after


def test_probe_starts_nothing_unless_the_bench_asks(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(benchhooks.COMMANDS_ENV, raising=False)
    assert benchprobe.install(QObject(), lambda: None) is None


def test_probe_answers_pings_and_clicks_from_the_event_loop(
    qtbot: QtBot, hooks_to: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "commands"
    os.mkfifo(fifo)
    monkeypatch.setenv(benchhooks.COMMANDS_ENV, str(fifo))
    clicks: list[int] = []
    parent = QObject()
    assert benchprobe.install(parent, lambda: clicks.append(1)) is not None
    with open(fifo, "w", encoding="utf-8") as commands:  # the app holds the read end
        commands.write("ping 3\nclick\npi")
        commands.flush()
        qtbot.waitUntil(lambda: clicks == [1])
        commands.write("ng 4\n")
    qtbot.waitUntil(lambda: [e for _, e in _events(tmp_path)] == ["pong 3", "pong 4"])
