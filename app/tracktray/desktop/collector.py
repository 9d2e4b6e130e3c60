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

Once started (the first status is drawn), :meth:`MainThreadCollector.freeze_start_up`
moves every object alive then — modules, classes, functions: long-lived and never
garbage — out of the collector's sight (``gc.freeze``), so no later pass walks them
again. Quitting gives them back.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, Slot

from tracktray.desktop.garbage import collect_due_generations

__all__ = ["MainThreadCollector"]


class MainThreadCollector(QObject):
    """Disables automatic collection until :meth:`uninstall`; :meth:`collect` does it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._installed = True
        self._frozen = False

    @Slot()
    def collect(self) -> None:
        if self._installed:
            collect_due_generations()

    def freeze_start_up(self) -> None:
        """Start-up is over: later collections skip what exists now (once)."""
        if self._installed and not self._frozen:
            self._frozen = True
            gc.freeze()

    @property
    def frozen(self) -> bool:
        return self._frozen

    def uninstall(self) -> None:
        """At quit: collect everything here, then give collection back to Python."""
        if not self._installed:
            return
        self._installed = False
        if self._frozen:
            gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()
