"""The one road off the UI thread.

Every network, keyring and disk call the widget makes goes through :class:`TaskBridge`:
the callable runs on a worker thread and its result (or exception) comes back to the Qt
main thread through a queued signal, where ``on_success``/``on_failure`` run. Work is
grouped in *lanes* (one per account, one for settings): each lane is a single worker
thread, so the clicks of one account reach its server in the order they were made,
while a slow server never holds up another lane. Modelled on Anki's ``taskman``.

A lane is a plain thread blocked on a C queue (:class:`queue.SimpleQueue`), not a
``ThreadPoolExecutor``: handing the outcome to the Qt thread is the last Python the
worker runs before it blocks again, so the woken Qt thread finds the GIL free instead of
trading it back and forth with the worker's bookkeeping (a handful of extra wake-ups of
both threads per task, measured with strace on an idle widget's polls).

A lane also keeps one *timed* job (:meth:`TaskBridge.schedule`): its thread waits for it
with the queue's own timeout and runs it there, so a periodic job (the poll) wakes that
one thread only; it hands something to the Qt thread (:meth:`TaskBridge.deliver`) only
when there is something to show.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

__all__ = ["TaskBridge"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: a lane's timed job: runs on the lane's thread and returns the seconds until it wants
#: to run again, or None (not until scheduled anew)
Timed = Callable[[], "float | None"]


@dataclass(frozen=True, slots=True)
class _Outcome:
    callback: Callable[[Any], None] | None
    value: Any
    failed: bool


class _Lane:
    """One worker thread running its jobs one after another, in the order queued."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        #: (monotonic deadline, job); set and read on the lane's own thread, except
        #: for :attr:`due_at`, which the Qt thread may read
        self._timed: tuple[float, Timed] | None = None
        # A daemon: the app shuts its lanes down at quit (TaskBridge.shutdown); one that
        # is left over (a test's bridge) must not keep the interpreter from exiting.
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)

    def shutdown(self, *, wait: bool) -> None:
        """Drop the queued jobs, let the running one finish, stop the thread."""
        try:
            while True:
                self._jobs.get_nowait()
        except queue.Empty:
            pass
        self._jobs.put(None)
        if wait and self._thread is not threading.current_thread():
            self._thread.join()

    @property
    def due_at(self) -> float | None:
        timed = self._timed
        return timed[0] if timed is not None else None

    def set_timed(self, delay_s: float | None, timed: Timed | None) -> None:
        """On the lane's thread: run ``timed`` in ``delay_s`` seconds (None: cancel)."""
        if delay_s is None or timed is None:
            self._timed = None
        else:
            self._timed = (time.monotonic() + delay_s, timed)

    def _work(self) -> None:
        take = self._jobs.get
        while True:
            timed = self._timed
            try:
                if timed is None:
                    job = take()
                else:
                    job = take(timeout=max(0.0, timed[0] - time.monotonic()))
            except queue.Empty:
                assert timed is not None
                self._timed = None
                again = timed[1]()
                if again is not None and self._timed is None:
                    self._timed = (time.monotonic() + again, timed[1])
                del timed
                continue
            del timed
            if job is None:
                return
            job()
            del job  # nothing of the last job stays alive while the lane waits


class TaskBridge(QObject):
    """Runs callables in per-lane worker threads; delivers outcomes on the Qt thread."""

    #: emitted from worker threads; the connection is queued because the bridge
    #: lives on the main thread, so the slot always runs there
    _delivered = Signal(object)
    #: the number of unfinished tasks changed (tests wait on ``pending == 0``)
    pending_changed = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lanes: dict[str, _Lane] = {}
        self._lock = threading.Lock()
        self._pending = 0
        self._closed = False
        self._delivered.connect(self._on_delivered)

    @property
    def pending(self) -> int:
        """Tasks submitted whose outcome has not been delivered yet."""
        return self._pending

    def run(
        self,
        lane: str,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
    ) -> None:
        """Queue ``work`` on ``lane``; the callbacks run later on the Qt thread.

        Without ``on_failure`` an exception is logged, never raised into Qt.
        """
        if self._closed:
            log.debug("task for lane %s dropped: the bridge is closed", lane)
            return
        executor = self._lane(lane)
        with self._lock:
            self._pending += 1
        self.pending_changed.emit(self._pending)

        def job() -> None:
            try:
                result = work()
            except Exception as exc:
                outcome = _Outcome(on_failure or _log_failure, exc, failed=True)
            else:
                outcome = _Outcome(on_success, result, failed=False)
            self._delivered.emit(outcome)  # the last thing: see the module's docstring

        executor.submit(job)

    def schedule(self, lane: str, delay_s: float | None, timed: Timed | None = None) -> None:
        """Run ``timed`` on ``lane``'s thread in ``delay_s`` seconds, in place of the lane's
        timed job so far (``None``: cancel it). The change itself is queued on the lane,
        behind the work already there. ``timed`` hands results over with :meth:`deliver`.
        """
        if self._closed:
            return
        executor = self._lane(lane)
        executor.submit(lambda: executor.set_timed(delay_s, timed))

    def due_in_ms(self, lane: str) -> int | None:
        """Milliseconds until ``lane``'s timed job runs (None: none is scheduled)."""
        with self._lock:
            executor = self._lanes.get(lane)
        due = executor.due_at if executor is not None else None
        return None if due is None else max(0, round((due - time.monotonic()) * 1000))

    def deliver(self, callback: Callable[[T], None], value: T) -> None:
        """From a lane's thread (a timed job): run ``callback(value)`` on the Qt thread."""
        with self._lock:
            self._pending += 1
        self._delivered.emit(_Outcome(callback, value, failed=False))

    def shutdown(self, *, wait: bool = True) -> None:
        """Refuse new work, drop queued work, and (by default) wait for running tasks.

        Called once, at quit. Outcomes still in flight are dropped: the widgets they
        would update are gone.
        """
        self._closed = True
        with self._lock:
            lanes = list(self._lanes.values())
            self._lanes.clear()
        for executor in lanes:
            executor.shutdown(wait=wait)

    def _lane(self, lane: str) -> _Lane:
        with self._lock:
            executor = self._lanes.get(lane)
            if executor is None:
                executor = _Lane(f"tracktray-{lane}")
                self._lanes[lane] = executor
            return executor

    def _on_delivered(self, outcome: _Outcome) -> None:
        with self._lock:
            self._pending -= 1
        try:
            if self._closed:
                return
            if outcome.callback is not None:
                outcome.callback(outcome.value)
        finally:
            self.pending_changed.emit(self._pending)


def _log_failure(exc: Exception) -> None:
    log.warning("background task failed: %s", exc, exc_info=exc)
