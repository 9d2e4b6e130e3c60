"""Pure values shared by every layer: no I/O, no Qt, no HTTP.

The names below load on first use (PEP 562): a module that needs only a rule of time
(``domain.worktime``, ``domain.localtime``) does not pay for building every value class,
and ``tracktray status`` builds only the ones it shows.
"""

from __future__ import annotations

from tracktray._lazy import lazy_exports

TYPE_CHECKING = False  # typing itself is not imported at run time (a few ms per command)
if TYPE_CHECKING:
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


__getattr__ = lazy_exports(__name__, _HOME)
