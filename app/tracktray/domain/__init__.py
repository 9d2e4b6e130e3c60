"""Pure values shared by every layer: no I/O, no Qt, no HTTP.

The names below load on first use (PEP 562): a module that needs only a rule of time
(``domain.worktime``, ``domain.localtime``) does not pay for building every value class,
and ``tracktray status`` builds only the ones it shows.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing itself is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from typing import Any

    from tracktray.domain.model import (
        Block,
        DayTotals,
        Profile,
        ReportQuery,
        RunningBlock,
        Status,
        TrackerRef,
        UpdateCheck,
    )
    from tracktray.domain.trackertree import Tracker, TrackerTree

__all__ = [
    "Block",
    "DayTotals",
    "Profile",
    "ReportQuery",
    "RunningBlock",
    "Status",
    "Tracker",
    "TrackerRef",
    "TrackerTree",
    "UpdateCheck",
]

_HOME = {name: "tracktray.domain.model" for name in __all__} | {
    "RunningBlock": "tracktray.domain.status",
    "Status": "tracktray.domain.status",
    "TrackerRef": "tracktray.domain.status",
    "Tracker": "tracktray.domain.trackertree",
    "TrackerTree": "tracktray.domain.trackertree",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
