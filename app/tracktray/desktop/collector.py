"""Python's cyclic garbage collector, run on the Qt thread only.

Automatic collection runs in whichever thread happens to allocate when a threshold is
crossed: a task-bridge worker, or an HTTP server's thread. A garbage cycle holding a
QObject is then destroyed on that thread; its destructor takes Qt's connection lock and
waits for the GIL, while the Qt thread holds the GIL and waits for that lock — a
deadlock (seen: ``QMenu::addMenu`` on the main thread against ``QObject::~QObject``
under ``gc`` on another thread). Anki and qutebrowser do the same as this module:
disable automatic collection while the app runs and collect from the event loop.

Collection is driven by events the app already wakes up for (every answer the task
bridge delivers: polls, clicks, keyring and disk work), so it adds no wake-ups of its own.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, Slot

__all__ = ["MainThreadCollector", "collect_due_generations"]


def collect_due_generations() -> int:
    """Collect the generations whose allocation counts passed their thresholds.

    The same decision the automatic collector makes, so the cost stays what it would
    have been; returns the number of unreachable objects found.
    """
    counts = gc.get_count()
    thresholds = gc.get_threshold()
    generation = -1
    for index in range(len(thresholds)):
        if thresholds[index] and counts[index] > thresholds[index]:
            generation = index
    return gc.collect(generation) if generation >= 0 else 0


class MainThreadCollector(QObject):
    """Disables automatic collection until :meth:`uninstall`; :meth:`collect` does it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._installed = True

    @Slot()
    def collect(self) -> None:
        if self._installed:
            collect_due_generations()

    def uninstall(self) -> None:
        """At quit: collect everything here, then give collection back to Python."""
        if not self._installed:
            return
        self._installed = False
        gc.collect()
        if self._was_enabled:
            gc.enable()
