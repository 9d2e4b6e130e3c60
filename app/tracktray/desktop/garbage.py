"""When Python's cyclic collector is due, decided without Qt.

:mod:`tracktray.desktop.collector` runs it on the Qt thread; the test suite runs it
between tests the same way, without importing Qt for tests that never touch it.
"""

from __future__ import annotations

import gc

__all__ = ["collect_due_generations"]


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
