"""The app's bench hooks: silent by default, one timestamped line per event when asked."""

from __future__ import annotations

import importlib
import os
import queue
import time
from pathlib import Path

import pytest

from tracktray.desktop import benchhooks


def test_emit_writes_nothing_unless_the_bench_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(benchhooks.EVENTS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    hooks = importlib.reload(benchhooks)
    hooks.emit("icon-shown")
    assert list(tmp_path.iterdir()) == []


def test_emit_appends_monotonic_timestamped_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = tmp_path / "events"
    monkeypatch.setenv(benchhooks.EVENTS_ENV, str(events))
    hooks = importlib.reload(benchhooks)
    try:
        before = time.monotonic_ns()
        hooks.emit("icon-shown")
        hooks.emit("pong 7")
        after = time.monotonic_ns()
    finally:
        monkeypatch.delenv(benchhooks.EVENTS_ENV)
        importlib.reload(benchhooks)
    lines = [line.split(" ", 1) for line in events.read_text().splitlines()]
    assert [event for _, event in lines] == ["icon-shown", "pong 7"]
    stamps = [int(ns) for ns, _ in lines]
    assert before <= stamps[0] <= stamps[1] <= after


def test_listen_hands_each_fifo_line_to_the_handler(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "commands"
    os.mkfifo(fifo)
    monkeypatch.setenv(benchhooks.COMMANDS_ENV, str(fifo))
    lines: queue.Queue[str] = queue.Queue()
    assert benchhooks.listen(lines.put)
    with open(fifo, "w", encoding="utf-8") as commands:
        commands.write("ping 1\n\nclick\n")
    received = [lines.get(timeout=5), lines.get(timeout=5)]
    assert received == ["ping 1", "click"]


def test_listen_starts_nothing_unless_the_bench_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(benchhooks.COMMANDS_ENV, raising=False)
    assert not benchhooks.listen(lambda line: None)
