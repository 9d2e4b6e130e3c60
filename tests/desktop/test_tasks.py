"""The task bridge runs work off the Qt thread and hands outcomes back to it, in order."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from tracktray.desktop.tasks import TaskBridge


@pytest.fixture
def bridge(qtbot: QtBot) -> Iterator[TaskBridge]:
    b = TaskBridge()
    yield b
    b.shutdown()


def test_work_runs_off_the_main_thread_and_results_come_back_on_it(
    qtbot: QtBot, bridge: TaskBridge
) -> None:
    main = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen["callback"] = threading.get_ident()
        seen["value"] = value

    bridge.run("acct", work, done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["worker"] != main
    assert seen["callback"] == main
    assert seen["value"] == 42
    assert bridge.pending == 0


def test_failures_reach_on_failure_on_the_main_thread(qtbot: QtBot, bridge: TaskBridge) -> None:
    errors: list[tuple[Exception, int]] = []

    def work() -> None:
        raise ValueError("no")

    bridge.run("acct", work, on_failure=lambda e: errors.append((e, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(errors))
    assert str(errors[0][0]) == "no"
    assert errors[0][1] == threading.get_ident()


def test_one_lane_keeps_click_order_while_another_lane_is_not_held_up(
    qtbot: QtBot, bridge: TaskBridge
) -> None:
    gate = threading.Event()
    order: list[str] = []

    def slow_first() -> str:
        gate.wait(5)
        return "a1"

    bridge.run("a", slow_first, order.append)
    bridge.run("a", lambda: "a2", order.append)
    bridge.run("b", lambda: "b1", order.append)
    # lane b finishes while lane a is still blocked on its first task
    qtbot.waitUntil(lambda: order == ["b1"])
    gate.set()
    qtbot.waitUntil(lambda: order == ["b1", "a1", "a2"])


def test_nothing_is_delivered_after_shutdown(qtbot: QtBot) -> None:
    bridge = TaskBridge()
    got: list[int] = []
    bridge.shutdown()
    bridge.run("a", lambda: 1, got.append)
    qtbot.wait(20)  # give a (wrong) delivery the chance to happen
    assert got == []
