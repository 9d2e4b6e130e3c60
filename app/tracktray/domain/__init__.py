"""Pure values shared by every layer: no I/O, no Qt, no HTTP."""

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
