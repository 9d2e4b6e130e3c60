"""Garbage holding QObjects is freed on the Qt thread, never on a worker thread."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tracktray.desktop.collector import MainThreadCollector
from tracktray.desktop.garbage import collect_due_generations
from tracktray.desktop.icons import TrayState

MakeApp = Callable[..., Harness]


class _Cyclic(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_a_cycle_made_garbage_is_freed_on_the_qt_thread_not_where_memory_is_allocated(
    qtbot: QtBot,
) -> None:
    gc.enable()  # as in a fresh process (the test session itself keeps it disabled)
    collector = MainThreadCollector()
    try:
        destroyed_on: list[int] = []
        doomed = _Cyclic()
        doomed.destroyed.connect(
            lambda: destroyed_on.append(threading.get_ident()),
            Qt.ConnectionType.DirectConnection,
        )
        del doomed

        def allocate() -> None:  # far past every automatic threshold
            junk = [[i] for i in range(200_000)]
            del junk

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        assert destroyed_on == []  # automatic collection did not run on the worker

        gc.collect()  # what collect() does once the thresholds are passed
        assert destroyed_on == [threading.get_ident()]
    finally:
        collector.uninstall()
        gc.disable()


def test_collect_due_generations_waits_for_the_threshold_like_python_does() -> None:
    gc.collect()
    cycle = _Cyclic()
    del cycle
    assert collect_due_generations() == 0  # one young cycle: not due yet
    junk = [[i] for i in range(3 * gc.get_threshold()[0])]
    assert collect_due_generations() >= 1  # due now: the cycle is found
    del junk


def test_uninstall_gives_collection_back_as_it_was() -> None:
    was = gc.isenabled()
    collector = MainThreadCollector()
    assert not gc.isenabled()
    collector.uninstall()
    collector.uninstall()  # idempotent
    assert gc.isenabled() == was


def test_the_app_frees_garbage_on_the_qt_thread_when_a_click_is_answered(
    make_app: MakeApp,
) -> None:
    h = make_app()
    h.wait_ready()
    assert not gc.isenabled(), "the running widget leaves collection to the Qt thread"
    destroyed_on: list[int] = []
    doomed = _Cyclic()
    doomed.destroyed.connect(
        lambda: destroyed_on.append(threading.get_ident()), Qt.ConnectionType.DirectConnection
    )
    del doomed
    # Kept alive: freeing it would give the allocation count back, and nothing would be due.
    junk = [[i] for i in range(3 * gc.get_threshold()[0])]
    h.click()  # its answer is delivered on the Qt thread, which collects what is due
    h.wait_state(TrayState.RUNNING)
    h.wait_idle()
    assert destroyed_on == [threading.get_ident()]
    del junk


def test_what_start_up_made_is_frozen_once_the_first_status_is_in_and_given_back_at_quit(
    make_app: MakeApp,
) -> None:
    h = make_app()
    frozen_before = gc.get_freeze_count()
    h.wait_ready()
    h.qtbot.waitUntil(lambda: h.app.collector.frozen, timeout=10_000)
    assert gc.get_freeze_count() > frozen_before  # modules, classes: out of every pass
    h.app.shutdown()
    assert gc.get_freeze_count() == 0
